"""The columnar reader (tilik.core.columnar) against the row reader, its reference.

Whatever a file holds, reading it by columns must give what the row reader gives: the same
frame of stored rows, the same quarantined rows, problems, duplicates and rows read — on the
example bundle, on KoboToolbox's own exports, and on generated files full of what real exports
hold (blanks, white space, bad values, labels, repeated ids, rows of another form version,
KoBoCAT's ``n/a``, an HXL row, short rows, quotes and line breaks inside fields, other
delimiters and encodings).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from tests.builders import CHOICES, SURVEY_COLUMNS, write_form
from tests.core import realworld as rw
from tilik.core.bundle import read_bundle
from tilik.core.columnar import frame_from_responses, read_table
from tilik.core.ingest import read_export
from tilik.core.xlsform import read_xlsform

EXAMPLE = Path(__file__).parents[2] / "examples" / "kupang-2025"
KEY = b"test-key"


def _problems(problems):
    return [
        (p.message, p.file, p.row, p.column, p.value, p.expected, p.severity, sorted(p.params))
        for p in problems
    ]


def same_as_rows(data: bytes, form, label: str, escaped: bool = False) -> bool:
    """Assert the columnar reading equals the row reader's; return whether it was columnar."""
    table = read_table(data, form, file_name=label, hash_key=KEY, formula_escaped=escaped)
    rows = read_export(data, form, file_name=label, hash_key=KEY, formula_escaped=escaped)
    assert_frame_equal(table.frame, frame_from_responses(rows.responses, form, KEY))
    got, want = table.result, rows
    assert _problems(got.problems) == _problems(want.problems)
    assert [(q.row, q.instance_id, q.raw, _problems(q.problems)) for q in got.quarantined] == [
        (q.row, q.instance_id, q.raw, _problems(q.problems)) for q in want.quarantined
    ]
    assert (got.duplicates, got.rows_read, got.stopped) == (
        want.duplicates,
        want.rows_read,
        want.stopped,
    )
    return table.columnar


def test_it_reads_the_example_bundle_by_columns_as_by_rows():
    bundle = read_bundle(EXAMPLE, hash_key=KEY)
    for dataset in bundle.data.values():
        assert same_as_rows(bundle.sources[dataset.file], dataset.form, dataset.file)


def test_it_reads_kobotoolbox_csv_exports_as_the_row_reader():
    read = 0
    for folder in rw.fixtures():
        forms = [p for p in folder.glob("*.xlsx") if not p.name.endswith(rw.VARIANTS)]
        form, _ = read_xlsform(forms[0].read_bytes(), file_name=forms[0].name)
        for export in sorted(folder.glob("*.csv")):
            read += same_as_rows(export.read_bytes(), form, export.name)
    if rw.fixtures():
        assert read >= 30  # most by columns; repeats, literacy tests, _other texts by rows


# ----------------------------------------------------------------------- generated files

FUZZ_SURVEY = [
    ["text", "kode_responden", "Kode", "Code", "yes", "", "", "", "", "", ""],
    ["text", "nip", "NIP", "NIP", "", "", "", "", "", "", ""],
    ["select_one opd", "instansi", "Instansi", "Agency", "yes", "", "", "", "", "", ""],
    ["select_one setuju5", "q1", "Bermanfaat", "Useful", "", "", "", "manfaat", "", "", ""],
    ["select_multiple hambatan", "hambatan", "Hambatan", "Obstacles", "", "", "", "", "", "", ""],
    ["integer", "umur", "Umur", "Age", "", "", ". >= 18 and . <= 65", "", "", "", ""],
    ["integer", "jp", "JP", "JP", "", "", ". <= ${umur}", "", "", "", ""],
    ["decimal", "jarak", "Jarak", "Distance", "", "", "", "", "", "", ""],
    ["date", "tanggal", "Tanggal", "Date", "", "", "", "", "", "", ""],
    ["dateTime", "mulai", "Mulai", "Start", "", "", "", "", "", "", ""],
    ["select_one yt", "ikut", "Ikut", "Took part", "", "", "", "", "", "", ""],
    ["text", "alasan", "Alasan", "Why", "yes", "${ikut} = 'tidak'", "", "", "", "", ""],
    ["text", "saran", "Saran", "Suggestions", "", "", "", "", "", "", ""],
]
FUZZ_CHOICES = [*CHOICES, ["yt", "ya", "Ya", "Yes", ""], ["yt", "tidak", "Tidak", "No", ""]]
OPTIONS = ["waktu", "jadwal", "dana"]
META = ["_id", "_uuid", "_submission_time", "__version__", "_index"]


@pytest.fixture(scope="module")
def fuzz_form(tmp_path_factory):
    import tests.builders as builders

    path = tmp_path_factory.mktemp("form") / "survei_peserta.xlsx"
    original = builders.CHOICES
    builders.CHOICES = FUZZ_CHOICES
    try:
        write_form(path, survey=FUZZ_SURVEY)
    finally:
        builders.CHOICES = original
    form, problems = read_xlsform(path.read_bytes(), file_name=path.name)
    assert form is not None, problems
    assert SURVEY_COLUMNS[0] == "type"
    return form


def _values(*good: str) -> st.SearchStrategy[str]:
    odd = ["", " ", "  ", "\x1c", "n/a", "abc", "#loc+name", '"kutip"', "a;b,c", "dua\r\nbaris"]
    odd += ["'", "'3", "'=1+1", "''x"]  # a bundle's formula escape: one leading ' comes off
    return st.one_of(st.sampled_from(list(good)), st.sampled_from(odd), st.text(max_size=6))


CELLS = {
    "kode_responden": _values("R1", "R2", "R3", "r 1"),
    "nip": _values("198503122010011001", "199001152015032002"),
    "instansi": _values("dinkes", "dukcapil", "Dinas Kesehatan", " dinkes"),
    "q1": _values("1", "3", "5", "Skala 4", "6", "3.0"),
    "hambatan": _values("waktu", "waktu jadwal", "dana  waktu", "Tidak ada waktu", "lain"),
    "umur": _values("17", "35", "66", "+40", " 40", "40.0", "007", "99999999999999999999"),
    "jp": _values("10", "30", "50", "0"),
    "jarak": _values("2.5", "2,5", "-0", "1e3", "7", "inf"),
    "tanggal": _values("2025-03-14", "14/03/2025", "2025-02-30", "45730", "2025-W11-5"),
    "mulai": _values(
        "2025-03-14T09:30:00",
        "2025-03-14T09:30:00.5+08:00",
        "2025-03-14T09:30:00Z",
        "2025-03-14 09:30",
        "2025-03-14T09:30:60",
    ),
    "ikut": _values("ya", "tidak", "Ya"),
    "alasan": _values("sibuk", "jauh"),
    "saran": _values("Perlu jadwal yg fleksibel", "mantap 👍"),
    "one_hot": st.sampled_from(["1", "0", "", "", "True", "x", "2", " 1", "n/a"]),
    "_uuid": _values("u1", "u2", "u3", "uuid:u4", "hash:x"),
    "_submission_time": _values("2025-03-20T08:12:33", "2025-03-20 08:12", "kemarin"),
    "__version__": st.sampled_from(["2025010101", "2025010101", "v1", ""]),
}


@st.composite
def exports(draw):
    one_hot = draw(st.booleans())
    header = [q[1] for q in FUZZ_SURVEY]
    header = [("penilaian/" + h if h == "q1" else h) for h in header]
    if one_hot:
        at = header.index("hambatan") + 1
        header[at:at] = [f"hambatan/{o}" for o in OPTIONS]
    header += META
    rows: list[list[str]] = []
    if draw(st.booleans()):
        rows.append(["#loc+name" if i % 3 == 0 else "" for i in range(len(header))])
    for index in range(draw(st.integers(1, 25))):
        if rows and draw(st.integers(0, 9)) == 0:
            rows.append(list(rows[-1]))  # a repeat, or (ids reused below) a conflict
            continue
        row = []
        for name in header:
            base = name.split("/")[-1]
            if name.startswith("hambatan/"):
                row.append(draw(CELLS["one_hot"]))
            elif base in CELLS:
                row.append(draw(CELLS[base]))
            elif name == "_id" or name == "_index":
                row.append(str(index + 1))
            else:
                row.append("")
        if draw(st.integers(0, 7)) == 0:
            row = [""] * len(row)  # a blank row
        rows.append(row)
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    quoting = draw(st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]))
    end = draw(st.sampled_from(["\r\n", "\n"]))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=end)
    writer.writerow(header)
    for row in rows:
        if quoting == csv.QUOTE_MINIMAL and draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(1, len(row)))]  # a short row
        writer.writerow(row)
    text = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:  # damaged: a stray quote, line end or delimiter
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\r", "\n", ";", ",", '""'])) + text[at:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(data=exports(), escaped=st.booleans())
def test_it_checks_generated_rows_by_columns_as_by_rows(fuzz_form, data, escaped):
    same_as_rows(data, fuzz_form, "data/survei_peserta.csv", escaped)


def test_it_reads_a_plain_kobotoolbox_export_by_columns(fuzz_form):
    header = ["kode_responden", "instansi", "penilaian/q1", "umur", "_uuid", "__version__"]
    rows = [["R1", "dinkes", "4", "35", "u1", "2025010101"]] * 1 + [
        ["R2", "dukcapil", "3", "17", "u2", "2025010101"]
    ]
    text = "\r\n".join(";".join(f'"{v}"' for v in r) for r in [header, *rows]) + "\r\n"
    table = read_table(text.encode(), fuzz_form, file_name="x.csv", hash_key=KEY)
    assert table.columnar
    assert table.frame.get_column("instansi").dtype == pl.Categorical
    assert table.frame.get_column("_instance_id").to_list() == ["u1"]
    assert [q.row for q in table.result.quarantined] == [3]  # umur 17 fails its constraint


def test_it_lets_go_of_the_data_files_bytes_when_asked(tmp_path):
    from tests.builders import kobo_row, write_bundle

    root = write_bundle(tmp_path / "b", [kobo_row(0), kobo_row(1, umur="tiga")])
    kept = read_bundle(root, hash_key=KEY)
    light = read_bundle(root, hash_key=KEY, keep_sources=False)
    assert "data/survei_peserta.csv" in kept.sources
    assert "data/survei_peserta.csv" not in light.sources
    dataset = light.data["survei_peserta"]
    assert_frame_equal(dataset.frame(), kept.data["survei_peserta"].frame())
    assert [r.answers for r in dataset.responses] == [
        r.answers for r in kept.data["survei_peserta"].responses
    ]
    assert len(dataset.quarantined) == 1
