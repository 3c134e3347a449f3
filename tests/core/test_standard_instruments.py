"""The standard XLSForms shipped in tilik.core.instruments."""

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from tilik.core.instruments import interview_guides, standard_instruments

ROOT = Path(__file__).resolve().parents[2]
FORMS = standard_instruments()
LEVELS = {"reaksi", "pembelajaran", "perilaku", "hasil"}


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_instruments", ROOT / "tools/build_instruments.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, read_only=True)[sheet]
    header, *rows = ws.iter_rows(values_only=True)
    return [dict(zip(header, r)) for r in rows]


def _likert_items(path: Path) -> list[dict]:
    choices = _rows(path, "choices")
    numeric = {c["list_name"] for c in choices if str(c["name"]).isdigit()}
    return [
        r
        for r in _rows(path, "survey")
        if r["type"].startswith("select_one ") and r["type"].split()[1] in numeric
    ]


def test_it_ships_the_five_forms_and_four_guides():
    assert set(FORMS) == {"survei_peserta", "survei_atasan", "tes_pengetahuan", "observasi", "skm"}
    assert set(interview_guides()) == {"pejabat", "atasan", "peserta", "penyelenggara"}


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_it_converts_with_pyxform(form_id):
    result = convert(xlsform=str(FORMS[form_id]), validate=False)
    assert f'id="{form_id}"' in result.xform
    assert result.warnings == []


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_it_names_the_form_after_its_file(form_id):
    (settings,) = _rows(FORMS[form_id], "settings")
    assert settings["form_id"] == form_id
    assert settings["default_language"] == "Indonesian (id)"


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_it_gives_every_likert_item_a_construct_and_level(form_id):
    for item in _likert_items(FORMS[form_id]):
        assert item["construct"], item["name"]
        assert item["level"] in LEVELS, item["name"]


def test_it_has_reverse_worded_items_in_the_participant_survey():
    reversed_constructs = {
        r["construct"] for r in _rows(FORMS["survei_peserta"], "survey") if r["reverse"] == "yes"
    }
    assert len(reversed_constructs) >= 2


def test_it_has_the_nine_skm_unsur_in_order():
    items = [r for r in _rows(FORMS["skm"], "survey") if r["construct"] == "skm"]
    assert [r["name"] for r in items] == [f"u{n}" for n in range(1, 10)]
    scales = {c["list_name"]: [] for c in _rows(FORMS["skm"], "choices")}
    for choice in _rows(FORMS["skm"], "choices"):
        scales[choice["list_name"]].append(choice["name"])
    assert all(scales[r["type"].split()[1]] == ["1", "2", "3", "4"] for r in items)


def test_it_marks_the_correct_answer_of_every_test_item():
    items = [r for r in _rows(FORMS["tes_pengetahuan"], "survey") if r["name"].startswith("soal_")]
    assert 10 <= len(items) <= 15
    assert all(r["correct"] in {"a", "b", "c", "d"} for r in items)


def test_it_codes_obstacle_choices_with_themes():
    choices = [c for c in _rows(FORMS["survei_peserta"], "choices") if c["list_name"] == "hambatan"]
    themes = {c["theme"] for c in choices if c["name"] != "lainnya"}
    assert {"waktu_beban_kerja", "jadwal", "anggaran", "dukungan_atasan"} <= themes


def test_it_rebuilds_the_committed_forms_cell_by_cell(tmp_path):
    _build_script().main([str(tmp_path)])
    for form_id, committed in FORMS.items():
        built = tmp_path / f"{form_id}.xlsx"
        for sheet in ("survey", "choices", "settings"):
            assert _rows(built, sheet) == _rows(committed, sheet), (form_id, sheet)
