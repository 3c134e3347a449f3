"""The fast paths of the import give what the plain ones give: reading in a second process,
canonical JSON through orjson, remembered rule results."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from tests.builders import kobo_csv, kobo_row, write_form
from tilik.core.ingest import (
    _TOO_WIDE,
    StoredRow,
    _canonical,
    json_text,
    read_export,
    read_export_parallel,
    stored_row,
)
from tilik.core.xlsform import read_xlsform
from tilik.core.xpath import compile_function, compile_memoized


def mixed_rows() -> list[list[str]]:
    rows = [kobo_row(i, _uuid=f"u{i}") for i in range(40)]
    rows[3] = kobo_row(3, _uuid="u3", umur="12")  # constraint
    rows[5] = kobo_row(5, _uuid="u5", instansi="Dinas Kesehatan")  # a label: slow path
    rows[7] = kobo_row(7, _uuid="u7", saran='koma, titik: dua "kutip"')
    rows[9] = list(rows[8])  # an exact repeat
    rows[11] = kobo_row(11, _uuid="u10")  # same id, other content
    rows[13] = kobo_row(13, _uuid="u13", **{"hambatan/dana": "2"})  # bad one-hot
    rows[15] = kobo_row(15, _uuid="", tanggal="14/03/2025")  # id from the content
    rows[17] = [*kobo_row(17, _uuid="u17"), "extra"]  # a value without a header
    return rows


def read_all(tmp_path, method: str) -> tuple[list[StoredRow], object, list[int]]:
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    rows: list[StoredRow] = []
    progress: list[int] = []
    result = read_export_parallel(
        kobo_csv(mixed_rows()),
        form,
        sink=rows.extend,
        file_name="k.csv",
        hash_key=b"key",
        progress=progress.append,
        chunk_size=7,
        min_rows=0,
        method=method,
    )
    return rows, result, progress


@pytest.mark.parametrize("method", ["fork", "interpreter"])
def test_it_reads_the_same_in_a_second_process(tmp_path, method):
    inline = read_all(tmp_path, "inline")
    assert read_all(tmp_path, method) == inline
    rows, result, _ = inline
    assert len(rows) == 36 and len(result.quarantined) == 3 and result.duplicates == 1


def test_it_stores_what_read_export_gives(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    rows, _, _ = read_all(tmp_path, "inline")
    plain = read_export(kobo_csv(mixed_rows()), form, file_name="k.csv", hash_key=b"key")
    expected = [stored_row(r, b"key") for r in plain.responses]
    assert rows == expected
    assert [json.loads(r.raw_json) for r in rows] == [r.raw for r in plain.responses]
    assert all(
        json.loads(r.answers_json) == json.loads(json_text(p.answers))
        for r, p in zip(rows, plain.responses)
    )


def test_it_hands_the_readers_error_to_the_caller(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    data = kobo_csv([kobo_row(0)])
    with pytest.raises(TypeError):  # a key that is no bytes: a bug, raised where it happened
        read_export_parallel(
            data, form, sink=lambda rows: None, hash_key="text", min_rows=0, method="fork"
        )


def test_it_stops_at_a_row_too_wide_with_its_reason(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    data = kobo_csv([kobo_row(0)]) + (";".join(["x"] * 5001) + "\r\n").encode()
    stored: list[StoredRow] = []
    result = read_export_parallel(data, form, sink=stored.extend, min_rows=0, method="fork")
    assert result.stopped and len(stored) == 1
    assert [(p.message, p.row) for p in result.problems] == [(_TOO_WIDE, 3)]


def test_it_stops_the_reader_when_storing_fails(tmp_path):
    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))

    def fail(rows: list[StoredRow]) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        read_export_parallel(
            kobo_csv(mixed_rows()), form, sink=fail, chunk_size=2, min_rows=0, method="fork"
        )


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"b": "x", "a": 1, "é": None, "Z": date(2025, 3, 14), "l": ["p", "q"], "e": []},
        {"t": 'koma, titik: dua "kutip" \\ \n\t\x01 ✓ 😀'},
        {"k:ey": "v", "k,ey": ["a,b", "c:d"]},
        {"big": 2**70, "neg": -5},
        {"f": 0.1, "nan": float("nan"), "inf": float("inf"), "bool": True},
        {"moment": datetime(2025, 3, 14, 9, 30), "day": date(5, 1, 2)},
    ],
)
def test_it_writes_canonical_json_as_json_does(answers):
    text = json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False)
    assert _canonical(answers)[0] == text


@pytest.mark.parametrize(
    "expression",
    [
        ". >= 18 and . <= 65",
        "${ikut} = 'tidak'",
        "${a} = 1 or ${b} != ''",
        "selected(${l}, 'x') and . > ${a}",
        "string-length(.) > 2",
        ". <= today()",
    ],
)
def test_it_remembers_rule_results_without_changing_them(expression):
    plain, remembered = compile_function(expression), compile_memoized(expression)
    values = [None, "", 1, 1.0, True, "1", "tidak", 30, 17, -0.0, 0.0, ["x", "y"], "abc"]
    values += [date(2025, 3, 14), "2025-03-14", float("nan")]
    for value in values:
        for other in (1, "1", True, None, ["x"]):
            answers = {"ikut": value, "a": other, "b": value, "l": other}
            for _ in range(2):  # the second time from memory
                expected = plain(answers, value)
                got = remembered(answers, value)
                assert got == expected or (got != got and expected != expected)
