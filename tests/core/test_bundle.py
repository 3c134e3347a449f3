from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.builders import KOBO_HEADER, NIPS, SURVEY, kobo_row, write_bundle, write_form
from tests.conftest import require
from tilik.core.bundle import read_bundle
from tilik.core.problems import BundleError


def test_it_reads_a_kobo_export(tmp_path):
    bundle = read_bundle(write_bundle(tmp_path), hash_key=b"k")
    assert bundle.errors == []
    data = bundle.data["survei_peserta"]
    assert len(data.responses) == 3
    first = data.responses[0]
    assert first.instance_id == "uuid-0000"
    assert first.answers["manfaat_1"] == "4"
    assert first.answers["hambatan"] == ["waktu", "jadwal"]
    assert first.answers["umur"] == 35
    assert first.answers["tanggal"] == date(2025, 3, 14)
    assert first.key is not None and NIPS[0] not in first.key


def test_it_reads_meta_programs_and_interviews(tmp_path):
    bundle = read_bundle(write_bundle(tmp_path))
    assert bundle.meta.title == "Evaluasi Uji"
    program = bundle.meta.programs[0]
    assert (program.jp, program.participants, program.start) == (30, 10, date(2025, 3, 10))
    assert bundle.interviews[0].role == "pejabat"
    assert "bermanfaat" in bundle.interviews[0].text


def test_it_accepts_bom_comma_and_cp1252(tmp_path):
    rows = [kobo_row(0, saran="Jadwal café pagi")]
    bundle = read_bundle(write_bundle(tmp_path, rows, delimiter=",", bom=True))
    assert bundle.data["survei_peserta"].responses[0].answers["saran"] == "Jadwal café pagi"
    other = tmp_path / "b"
    bundle = read_bundle(write_bundle(other, rows, delimiter=",", encoding="cp1252"))
    assert bundle.data["survei_peserta"].responses[0].answers["saran"] == "Jadwal café pagi"


def test_it_uses_one_hot_columns_without_summary(tmp_path):
    rows = [kobo_row(0, hambatan="", **{"hambatan/dana": "1"})]
    bundle = read_bundle(write_bundle(tmp_path, rows))
    assert bundle.data["survei_peserta"].responses[0].answers["hambatan"] == [
        "waktu",
        "jadwal",
        "dana",
    ]


def test_it_stores_duplicates_once_and_quarantines_conflicts(tmp_path):
    rows = [kobo_row(0), kobo_row(0), kobo_row(0, saran="lain"), kobo_row(1)]
    data = read_bundle(write_bundle(tmp_path, rows)).data["survei_peserta"]
    assert len(data.responses) == 2
    assert data.duplicates == 1
    assert len(data.quarantined) == 1
    assert data.quarantined[0].row == 4


def test_it_quarantines_bad_values_with_row_column_and_value(tmp_path):
    rows = [kobo_row(0, umur="tiga puluh"), kobo_row(1, instansi="dinas_x"), kobo_row(2)]
    bundle = read_bundle(write_bundle(tmp_path, rows))
    data = bundle.data["survei_peserta"]
    assert len(data.responses) == 1
    texts = [p.render() for q in data.quarantined for p in q.problems]
    assert any("baris 2" in t and "umur" in t and "tiga puluh" in t for t in texts)
    assert any("baris 3" in t and "instansi" in t and "dinkes" in t for t in texts)
    english = data.quarantined[0].problems[0].render("en")
    assert "row 2" in english


def test_it_flags_an_empty_required_answer(tmp_path):
    rows = [kobo_row(0, **{"reaksi/manfaat_1": ""})]
    data = read_bundle(write_bundle(tmp_path, rows)).data["survei_peserta"]
    assert data.responses == []
    assert "wajib" in data.quarantined[0].problems[0].render()


def test_it_reports_a_missing_yaml_and_form_clearly(tmp_path):
    root = write_bundle(tmp_path)
    (root / "evaluasi.yaml").unlink()
    (root / "instrumen" / "survei_peserta.xlsx").unlink()
    bundle = read_bundle(root)
    texts = [p.render() for p in bundle.problems]
    assert any("evaluasi.yaml" in t for t in texts)
    assert any("data/survei_peserta.csv" in t for t in texts)


def test_it_refuses_a_missing_folder(tmp_path):
    with pytest.raises(BundleError):
        read_bundle(tmp_path / "nope")


def test_it_hides_nips_from_the_analysis_frame(tmp_path):
    frame = read_bundle(write_bundle(tmp_path), hash_key=b"k").data["survei_peserta"].frame()
    assert frame.height == 3
    assert not any(NIPS[0] in str(v) for v in frame["nip"].to_list())
    assert frame["hambatan"].to_list()[0] == ["waktu", "jadwal"]
    assert len(KOBO_HEADER) == 21


def test_it_reads_a_bundle_without_django():
    code = (
        "import sys; from tilik.core.bundle import read_bundle; "
        "import tilik.core.ingest, tilik.core.xlsform; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_it_reads_a_kobo_export_resaved_with_a_bom(tmp_path):
    rows = [kobo_row(0, hambatan="", **{"hambatan/dana": "1"}), kobo_row(1)]
    data = read_bundle(write_bundle(tmp_path, rows, delimiter=";", bom=True)).data
    responses = data["survei_peserta"].responses
    assert [r.instance_id for r in responses] == ["uuid-0000", "uuid-0001"]
    assert responses[0].answers["hambatan"] == ["waktu", "jadwal", "dana"]
    assert responses[0].answers["manfaat_2"] == "2"


def test_it_quarantines_numbers_json_cannot_hold(tmp_path):
    survey = [row[:] for row in SURVEY]
    survey.append(["decimal", "jarak", "Jarak (km)", "Distance", "", "", "", "", "", "", ""])
    header = [*KOBO_HEADER[:11], "jarak", *KOBO_HEADER[11:]]
    root = write_bundle(tmp_path, rows=[])
    write_form(root / "instrumen" / "survei_peserta.xlsx", survey=survey)
    lines = [";".join(f'"{h}"' for h in header)]
    for index, distance in enumerate(["2,5", "nan", "inf", "1e999"]):
        values = kobo_row(index)
        values.insert(11, distance)
        lines.append(";".join(f'"{v}"' for v in values))
    (root / "data" / "survei_peserta.csv").write_text("\r\n".join(lines) + "\r\n")
    data = read_bundle(root).data["survei_peserta"]
    assert [r.answers["jarak"] for r in data.responses] == [2.5]
    assert sorted(q.row for q in data.quarantined) == [3, 4, 5]


def test_it_says_which_sheets_of_an_xlsx_export_it_did_not_read(tmp_path):
    import openpyxl

    from tilik.core.ingest import read_export
    from tilik.core.xlsform import read_xlsform

    form, _ = read_xlsform(write_form(tmp_path / "survei_peserta.xlsx"))
    workbook = openpyxl.Workbook()
    workbook.active.append(KOBO_HEADER)
    workbook.active.append(kobo_row(0))
    workbook.create_sheet("anggota_keluarga").append(["nama", "_parent_index"])
    workbook.save(tmp_path / "export.xlsx")
    result = read_export(tmp_path / "export.xlsx", form)
    assert len(result.responses) == 1
    assert any("anggota_keluarga" in p.render() for p in result.problems)


REALWORLD = Path(__file__).parents[2] / ".." / "shared" / "realworld" / "forms-pyxform"


def test_it_reads_an_xls_form_in_a_bundle(tmp_path):
    source = REALWORLD / "example_xls__text_and_integer.xls"
    require(source.exists(), "../shared/realworld")
    root = write_bundle(tmp_path / "b")
    (root / "instrumen" / "teks_angka.xls").write_bytes(source.read_bytes())
    (root / "instrumen" / "survei_peserta.xls").write_bytes(source.read_bytes())
    bundle = read_bundle(root)
    assert bundle.forms["teks_angka"].questions
    # two files for one instrument: the first by name (.xls before .xlsx) is read, the
    # other is named
    assert bundle.forms["survei_peserta"].question("nip") is None
    assert any(p.file == "instrumen/survei_peserta.xlsx" for p in bundle.problems)


def test_it_keeps_follow_up_notes_safe_and_whole_through_a_bundle(tmp_path):
    from tilik.core.bundle import write_bundle as write

    source = read_bundle(write_bundle(tmp_path / "a"))
    notes = {
        "jadwal_fleksibel": {
            "status": "proses",
            "due": None,
            "assignee": "'BKPSDM",
            "note": "=1+1",
        },
        "lain": {"status": "selesai", "due": "2025-06-30", "assignee": "", "note": "@SUM(A1)"},
    }
    root = write(tmp_path / "b", source.meta.raw, source.forms, {}, [], follow_ups=notes)
    text = (root / "tindak_lanjut.csv").read_text(encoding="utf-8")
    assert "'=1+1" in text and "'@SUM(A1)" in text and ",=" not in text
    assert read_bundle(root).follow_ups == notes
