"""Repeat groups: the form's structure, expressions across instances, imports and exports."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.repeat_builders import (
    KEGIATAN_HEADER,
    MAIN_HEADER,
    TITLE,
    UUIDS,
    kobo_repeat_xlsx,
    write_repeat_form,
)
from tilik.core.ingest import (
    ORPHAN_SHEET,
    Response,
    check_repeats,
    read_export,
    write_kobo_xlsx,
)
from tilik.core.repeats import Scope, flatten, instances, nest, parse_key
from tilik.core.xlsform import pyxform_problems, read_xlsform, write_xlsform
from tilik.core.xpath import NodeSet, evaluate, truthy


@pytest.fixture
def form(tmp_path: Path):
    found, problems = read_xlsform(write_repeat_form(tmp_path / "kegiatan_unit.xlsx"))
    assert found is not None, problems
    return found


ANSWERS = {
    "unit": "Puskesmas Oesapa",
    "kegiatan": [
        {"judul": "Kelas", "peserta": 12, "hari": ["senin"], "sesi": [{"jam": 2}, {"jam": 3}]},
        {"judul": "Coaching", "peserta": 3, "hari": [], "sesi": [{"jam": 1}]},
    ],
}


def test_it_reads_the_repeats_of_a_form(form):
    assert [(r.name, r.parent, r.path) for r in form.repeats] == [
        ("kegiatan", "", "kegiatan"),
        ("sesi", "kegiatan", "kegiatan/sesi"),
    ]
    assert [q.name for q in form.data_questions()] == [
        "unit",
        "nip",
        "total_peserta",
        "kegiatan_diakui",
    ]
    assert [q.name for q in form.repeat_questions("kegiatan")] == [
        "judul",
        "peserta",
        "hari",
        "catatan",
    ]
    assert form.repeat("sesi").questions[0].name == "jam"
    assert form.repeat("kegiatan").label == "Kegiatan"


def test_a_form_with_repeats_passes_pyxform_and_round_trips(form):
    data = write_xlsform(form)
    assert [p for p in pyxform_problems(data) if p.severity == "error"] == []
    again, _ = read_xlsform(data)
    assert again is not None
    assert write_xlsform(again) == data or again.to_dict() == form.to_dict()


def test_expressions_see_instances_as_odk_does(form):
    top = Scope(form, ANSWERS)
    assert evaluate("sum(${peserta})", top) == 15.0
    assert evaluate("count(${kegiatan})", top) == 2.0
    assert evaluate("count(${sesi})", top) == 3.0
    assert evaluate("sum(${jam})", top) == 6.0
    assert evaluate("max(${jam})", top) == 3.0
    assert evaluate("indexed-repeat(${judul}, ${kegiatan}, 2)", top) == "Coaching"
    assert evaluate("join(', ', ${judul})", top) == "Kelas, Coaching"
    assert truthy(evaluate("${peserta} > 10", top))  # any instance
    assert not truthy(evaluate("${peserta} > 20", top))
    assert isinstance(top.get("peserta"), NodeSet)
    seen = [
        (r.name, scope.position, evaluate("${peserta}", scope), evaluate("count(${sesi})", scope))
        for r, scope, _ in instances(form, ANSWERS)
    ]
    assert seen == [
        ("kegiatan", 1, 12.0, 2.0),
        ("sesi", 1, 12.0, 2.0),
        ("sesi", 2, 12.0, 2.0),
        ("kegiatan", 2, 3.0, 1.0),
        ("sesi", 1, 3.0, 1.0),
    ]
    positions = [evaluate("position(..)", s) for _, s, _ in instances(form, ANSWERS)]
    assert positions == [1.0, 1.0, 2.0, 2.0, 1.0]


def test_flat_names_nest_and_flatten(form):
    flat = flatten(form, ANSWERS)
    assert flat["kegiatan[2]/judul"] == "Coaching"
    assert flat["kegiatan[1]/sesi[2]/jam"] == 3
    assert nest(form, flat) == ANSWERS | {
        "kegiatan": [
            {**ANSWERS["kegiatan"][0]},
            {k: v for k, v in ANSWERS["kegiatan"][1].items()},
        ]
    }
    assert parse_key("grup/kegiatan[3]/sesi[1]/jam") == ([("kegiatan", 3), ("sesi", 1)], "jam")
    assert parse_key("kegiatan/judul") is None
    counted = nest(form, {"kegiatan[1]/judul": "A", "_count:kegiatan": "3"})
    assert counted == {"kegiatan": [{"judul": "A"}, {}, {}]}


def test_it_checks_every_instance(form):
    answers = {
        "unit": "X",
        "kegiatan": [
            {
                "judul": "",
                "peserta": "0",
                "catatan": "hilang",
                "sesi": [{"jam": "9"}, {"jam": "x"}],
            },
            {"judul": "B", "peserta": "11", "catatan": "tetap", "sesi": []},
        ],
    }
    issues = check_repeats(form, answers)
    found = {(i.key, i.message) for i in issues}
    assert found == {
        ("kegiatan[1]/judul", "jawaban wajib kosong"),
        ("kegiatan[1]/peserta", "jawaban tidak memenuhi syarat formulir"),
        ("kegiatan[1]/sesi[1]/jam", "jawaban tidak memenuhi syarat formulir"),
        ("kegiatan[1]/sesi[2]/jam", "bukan bilangan bulat"),
    }
    first, second = answers["kegiatan"]
    assert "catatan" not in first  # not relevant: peserta is 0
    assert second == {"judul": "B", "peserta": 11, "hari": None, "catatan": "tetap"}


def test_it_imports_a_kobo_xlsx_with_repeat_sheets(form):
    result = read_export(kobo_repeat_xlsx(), form, file_name="kobo.xlsx")
    assert result.quarantined == []
    assert [p for p in result.problems if p.severity == "error"] == []
    assert [r.instance_id for r in result.responses] == UUIDS
    first, second, third = (r.answers for r in result.responses)
    assert first["kegiatan"] == [
        {
            "judul": "Kelas layanan prima",
            "peserta": 12,
            "hari": ["senin", "rabu"],
            "catatan": "Diikuti semua loket",
            "sesi": [{"jam": 2}, {"jam": 3}],
        },
        {"judul": "Coaching loket", "peserta": 3, "hari": ["selasa"]},
    ]
    assert "kegiatan" not in second
    assert third["kegiatan"] == [
        {"judul": "Simulasi antrean", "peserta": 4, "hari": [], "sesi": [{"jam": 1}]}
    ]


def test_a_defective_instance_quarantines_its_submission_naming_sheet_row_and_value(form):
    bad = kobo_repeat_xlsx(
        sesi=[
            ["2", "kegiatan", "1", "101", UUIDS[0], "", "", "", "", "", "", ""],
            ["sepuluh", "kegiatan", "1", "101", UUIDS[0], "", "", "", "", "", "", ""],
            ["1", "kegiatan", "3", "103", UUIDS[2], "", "", "", "", "", "", ""],
        ]
    )
    result = read_export(bad, form, file_name="kobo.xlsx")
    assert [r.instance_id for r in result.responses] == UUIDS[1:]
    (held,) = result.quarantined
    assert held.row == 2 and held.instance_id == UUIDS[0]
    (problem,) = held.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "sesi",
        3,
        "kegiatan/sesi/jam",
        "sepuluh",
    )
    assert "lembar «sesi», baris 3" in problem.render("id")
    assert "sheet «sesi», row 3" in problem.render("en")
    # the quarantined row keeps every cell of its instances, to be corrected and checked again
    assert held.raw["kegiatan[1]/sesi[2]/jam"] == "sepuluh"
    assert held.raw["kegiatan[2]/judul"] == "Coaching loket"


def test_a_corrected_quarantined_row_reads_back_from_its_flat_cells(form):
    bad = kobo_repeat_xlsx(
        sesi=[["sepuluh", "kegiatan", "1", "101", UUIDS[0], "", "", "", "", "", "", ""]]
    )
    held = read_export(bad, form, file_name="kobo.xlsx").quarantined[0]
    raw = dict(held.raw)
    raw["kegiatan[1]/sesi[1]/jam"] = "8"
    header = list(raw)
    text = ";".join(header) + "\n" + ";".join(raw[h] for h in header) + "\n"
    result = read_export(text.encode(), form, file_name="koreksi.csv")
    assert result.quarantined == []
    (response,) = result.responses
    assert response.answers["kegiatan"][0]["sesi"] == [{"jam": 8}]
    assert response.answers["kegiatan"][1]["judul"] == "Coaching loket"


def test_orphan_repeat_rows_are_quarantined_not_dropped(form):
    rows = [
        ["Kelas", "12", "", "", "", "", "", "1", TITLE, "1", "101", UUIDS[0]] + [""] * 7,
        ["Tanpa induk", "5", "", "", "", "", "", "2", TITLE, "9", "109", ""] + [""] * 7,
    ]
    result = read_export(kobo_repeat_xlsx(kegiatan=rows, sesi=[]), form, file_name="k.xlsx")
    # the first and third submissions now claim more recognised activities than they have
    assert [q.row for q in result.quarantined] == [2, 4, 3]
    orphan = result.quarantined[-1]
    assert orphan.raw[ORPHAN_SHEET] == "kegiatan"
    assert orphan.raw["kegiatan/judul"] == "Tanpa induk"
    assert orphan.problems[0].column == "_parent_index" and orphan.problems[0].value == "9"
    assert orphan.problems[0].sheet == "kegiatan" and orphan.row == 3
    assert [r.instance_id for r in result.responses] == [UUIDS[1]]


def test_duplicate_submissions_with_repeats_are_stored_once(form):
    main = [
        ["Puskesmas Oesapa", "", "15", "", "101", UUIDS[0], "", "", "", "", "", "", "", "1"],
        ["Puskesmas Oesapa", "", "15", "", "101", UUIDS[0], "", "", "", "", "", "", "", "2"],
    ]
    kegiatan = [
        ["Kelas", "12", "", "", "", "", "", "1", TITLE, "1", "101", UUIDS[0]] + [""] * 7,
        ["Kelas", "12", "", "", "", "", "", "2", TITLE, "2", "101", UUIDS[0]] + [""] * 7,
    ]
    result = read_export(kobo_repeat_xlsx(main=main, kegiatan=kegiatan, sesi=[]), form)
    assert len(result.responses) == 1 and result.duplicates == 1
    # the same id with another activity is a conflict, quarantined
    kegiatan[1][0] = "Lain"
    result = read_export(kobo_repeat_xlsx(main=main, kegiatan=kegiatan, sesi=[]), form)
    assert len(result.responses) == 1 and len(result.quarantined) == 1


def test_export_and_import_give_the_same_answers(form):
    first = read_export(kobo_repeat_xlsx(), form, file_name="kobo.xlsx").responses
    data = write_kobo_xlsx(form, first)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [TITLE, "kegiatan", "sesi"]
    assert [c.value for c in workbook["kegiatan"][1]] == KEGIATAN_HEADER[:-9] + [
        "_submission__id",
        "_submission__uuid",
        "_submission__submission_time",
        "_submission__validation_status",
        "_submission__notes",
        "_submission__status",
        "_submission__submitted_by",
        "_submission___version__",
        "_submission__tags",
    ]
    assert [c.value for c in workbook[TITLE][1]] == MAIN_HEADER
    again = read_export(data, form, file_name="again.xlsx").responses
    assert [(r.instance_id, r.answers, r.content_hash) for r in again] == [
        (r.instance_id, r.answers, r.content_hash) for r in first
    ]
    third = write_kobo_xlsx(form, again)
    assert _cells(third) == _cells(data)


def test_text_that_looks_like_a_formula_stays_text(form):
    response = Response(
        "id-1", {"unit": '=HYPERLINK("x")', "kegiatan": [{"judul": "=1+1", "peserta": 2}]}, {}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(write_kobo_xlsx(form, [response])))
    assert workbook["kegiatan"]["A2"].data_type == "s"
    assert workbook["kegiatan"]["A2"].value == "=1+1"
    assert workbook[TITLE]["A2"].data_type == "s"


def test_it_imports_wide_repeat_columns_from_a_csv(form):
    text = (
        "unit;kegiatan[1]/judul;kegiatan[1]/peserta;kegiatan[2]/judul;kegiatan[2]/peserta;"
        "kegiatan[1]/sesi[1]/jam;_uuid\n"
        "Loket A;Kelas;12;Coaching;x;2;u-1\n"
    )
    result = read_export(text.encode(), form, file_name="wide.csv")
    (held,) = result.quarantined
    (problem,) = held.problems
    assert (problem.row, problem.column, problem.value) == (2, "kegiatan[2]/peserta", "x")
    fixed = text.replace(";x;", ";4;")
    (response,) = read_export(fixed.encode(), form, file_name="wide.csv").responses
    assert response.answers["kegiatan"] == [
        {"judul": "Kelas", "peserta": 12, "hari": None, "catatan": None, "sesi": [{"jam": 2}]},
        {"judul": "Coaching", "peserta": 4, "hari": None},  # catatan: not relevant
    ]


def test_top_level_rules_see_the_repeats(form):
    main = [["Loket", "", "3", "5", "101", UUIDS[0], "", "", "", "", "", "", "", "1"]]
    kegiatan = [["Kelas", "3", "", "", "", "", "", "1", TITLE, "1", "101", UUIDS[0]] + [""] * 7]
    result = read_export(kobo_repeat_xlsx(main=main, kegiatan=kegiatan, sesi=[]), form)
    (held,) = result.quarantined  # 5 activities recognised, but only one reported
    assert held.problems[0].column == "kegiatan_diakui"


def _cells(data: bytes) -> list[list[list[object]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in workbook]


def test_open_answers_inside_repeats_are_coded(form, tmp_path):
    from types import SimpleNamespace

    from tilik.core.bundle import Dataset
    from tilik.core.themes.results import bundle_texts

    responses = read_export(kobo_repeat_xlsx(), form, file_name="kobo.xlsx").responses
    dataset = Dataset("kegiatan_unit", "data/kegiatan_unit.xlsx", form, responses)
    meta = SimpleNamespace(instruments={"kegiatan_unit": SimpleNamespace(kind="survei_peserta")})
    bundle = SimpleNamespace(data={"kegiatan_unit": dataset}, interviews=[], meta=meta)
    texts = [(t.text, t.origin) for t in bundle_texts(bundle)]
    assert ("Diikuti semua loket", "kegiatan_unit/catatan") in texts
    assert ("Simulasi antrean", "kegiatan_unit/judul") in texts


def _odk_zip(sesi_jam: str = "3") -> bytes:
    """An ODK Central "all data" export: one CSV per table, repeats joined by PARENT_KEY."""
    import zipfile

    u1, u2 = (f"uuid:{u}" for u in UUIDS[:2])
    main = (
        "SubmissionDate,unit,nip,total_peserta,kegiatan_diakui,SET-OF-kegiatan,meta-instanceID,"
        "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,"
        "DeviceID,Edits,FormVersion,KEY\n"
        f"2025-02-11T08:00:00.000Z,Puskesmas Oesapa,,15,2,{u1}/kegiatan,{u1},5,enum,0,0,,,,0,"
        f"2025020101,{u1}\n"
        f"2025-02-12T08:00:00.000Z,Kelurahan Oebobo,,0,,{u2}/kegiatan,{u2},5,enum,0,0,,,,0,"
        f"2025020101,{u2}\n"
    )
    kegiatan = (
        "judul,peserta,hari,catatan,SET-OF-sesi,PARENT_KEY,KEY,SET-OF-kegiatan\n"
        f"Kelas layanan prima,12,senin rabu,Diikuti semua loket,{u1}/kegiatan[1]/sesi,{u1},"
        f"{u1}/kegiatan[1],{u1}/kegiatan\n"
        f"Coaching loket,3,selasa,,{u1}/kegiatan[2]/sesi,{u1},{u1}/kegiatan[2],{u1}/kegiatan\n"
    )
    sesi = (
        "jam,PARENT_KEY,KEY,SET-OF-sesi\n"
        f"2,{u1}/kegiatan[1],{u1}/kegiatan[1]/sesi[1],{u1}/kegiatan[1]/sesi\n"
        f"{sesi_jam},{u1}/kegiatan[1],{u1}/kegiatan[1]/sesi[2],{u1}/kegiatan[1]/sesi\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kegiatan_unit.csv", main)
        archive.writestr("kegiatan_unit-kegiatan.csv", kegiatan)
        archive.writestr("kegiatan_unit-sesi.csv", sesi)
    return buffer.getvalue()


def test_it_imports_an_odk_central_zip_with_repeat_csvs(form):
    result = read_export(_odk_zip(), form, file_name="kegiatan_unit.zip")
    assert result.quarantined == []
    assert [p for p in result.problems if p.severity != "info"] == []
    first, second = result.responses
    assert first.instance_id == UUIDS[0]
    assert first.answers["kegiatan"] == [
        {
            "judul": "Kelas layanan prima",
            "peserta": 12,
            "hari": ["senin", "rabu"],
            "catatan": "Diikuti semua loket",
            "sesi": [{"jam": 2}, {"jam": 3}],
        },
        {"judul": "Coaching loket", "peserta": 3, "hari": ["selasa"]},
    ]
    assert "kegiatan" not in second.answers
    # the same answers as KoboToolbox's layout of the same submission
    kobo = read_export(kobo_repeat_xlsx(), form, file_name="kobo.xlsx").responses[0]
    assert kobo.answers["kegiatan"] == first.answers["kegiatan"]


def test_a_defective_row_of_an_odk_repeat_csv_names_its_file_and_row(form):
    result = read_export(_odk_zip(sesi_jam="12"), form, file_name="kegiatan_unit.zip")
    (held,) = result.quarantined
    (problem,) = held.problems
    assert (problem.sheet, problem.row, problem.value) == ("kegiatan_unit-sesi", 3, "12")


def test_a_zip_bomb_of_csvs_is_refused(form):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kegiatan_unit.csv", "unit,KEY\n" + "a,b\n" * 3_000_000)
    result = read_export(buffer.getvalue(), form, file_name="bom.zip")
    assert result.responses == [] and result.quarantined == []
    assert "berkas ZIP ditolak" in result.problems[0].render("id")
    assert "zip bomb" in result.problems[0].render("en")


def test_repeat_rows_join_by_uuid_when_the_main_sheet_has_no_index(form):
    main = [
        ["Puskesmas Oesapa", "", "15", "", "101", UUIDS[0], "", "", "", "", "", "", ""],
        ["Dukcapil Kota", "", "4", "", "103", UUIDS[2], "", "", "", "", "", "", ""],
    ]
    kegiatan = [
        ["Kelas", "12", "", "", "", "", "", "1", TITLE, "", "101", UUIDS[0]] + [""] * 7,
        ["Simulasi", "4", "", "", "", "", "", "2", TITLE, "", "103", UUIDS[2]] + [""] * 7,
    ]
    import openpyxl as _openpyxl

    data = kobo_repeat_xlsx(main=main, kegiatan=kegiatan, sesi=[])
    workbook = _openpyxl.load_workbook(io.BytesIO(data))
    workbook[TITLE].delete_cols(len(MAIN_HEADER))  # no _index column
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_export(buffer.getvalue(), form, file_name="kobo.xlsx")
    assert result.quarantined == []
    assert [r.answers["kegiatan"][0]["judul"] for r in result.responses] == ["Kelas", "Simulasi"]


def test_a_count_inside_a_missing_instance_makes_nothing(form):
    made = nest(form, {"_count:kegiatan": "2", "_count:kegiatan[3]/sesi": "4"})
    assert made == {"kegiatan": [{}, {}]}
    made = nest(form, {"_count:kegiatan": "1", "_count:kegiatan[1]/sesi": "2"})
    assert made == {"kegiatan": [{"sesi": [{}, {}]}]}
