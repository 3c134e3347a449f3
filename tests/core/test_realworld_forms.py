"""Every real XLSForm of ../shared/realworld/ read as pyxform reads it.

The forms were written by other projects (pyxform's own example and bug-report forms,
KoboToolbox's formpack fixtures). For each one: Tilik accepts it exactly when pyxform does
(and, when refusing, gives pyxform's reason), and every question pyxform's survey builder
makes is in Tilik's form at the same path, with the same XForm type, choices, relevance,
constraint and label.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tilik.core.xlsform import Form, read_xlsform, write_xlsform

REALWORLD = Path(__file__).parents[2] / ".." / "shared" / "realworld"
_EXPORTS = ("-xml.xlsx", "-labels.xlsx")


def realworld_forms() -> list[Path]:
    forms = sorted((REALWORLD / "forms-pyxform").glob("*.xls*"))
    forms += sorted(
        p for p in (REALWORLD / "kobo-formpack").glob("*/*.xlsx") if not p.name.endswith(_EXPORTS)
    )
    return forms


def _pyxform(path: Path):
    """pyxform's verdict (None or its reason) and the questions its builder makes, from
    one reading of the file."""
    from dataclasses import asdict

    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.question import Question as PyQuestion
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData, get_xlsform
    from pyxform.xls2xform import convert

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = get_xlsform(str(path))
            convert(xlsform=asdict(data), warnings=[], validate=False, form_name=None)
        except PyXFormError as exc:
            return str(exc), []
        model = workbook_to_json(
            DefinitionData(**asdict(data)),
            fallback_form_name=data.fallback_form_name,
            warnings=[],
        )
    survey = create_survey_element_from_dict(model)
    questions = [
        e
        for e in survey.iter_descendants()
        if isinstance(e, PyQuestion) and e.get_xpath().split("/")[2:3] != ["meta"]
    ]
    return None, questions


def _tilik(path: Path) -> tuple[Form | None, list[str]]:
    """What an upload does: Tilik's reader, then pyxform's check of the same bytes."""
    from tilik.core.xlsform import pyxform_problems

    data = path.read_bytes()
    form, problems = read_xlsform(data, file_name=path.name)
    if form is not None:
        problems += pyxform_problems(data, file_name=path.name)
    refused = [p.render("en") for p in problems if p.severity == "error"]
    return (None if refused else form), refused


def _xform_type(tilik_type: str) -> str:
    """The XForm bind type pyxform gives a question of this (canonical) XLSForm type."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    alias = {
        "select_one": "select one",
        "select_multiple": "select all that apply",
        "select_one_from_file": "select one",
        "select_multiple_from_file": "select all that apply",
        "select_one_external": "select one external",
    }.get(tilik_type, tilik_type)
    return (QUESTION_TYPE_DICT.get(alias) or {}).get("bind", {}).get("type", "?")


def _labels(value, form: Form) -> dict[str, str]:
    from tilik.core.xlsform import _lang_of

    if not value:
        return {}
    if isinstance(value, str):
        return {form.default_language: value.strip()} if value.strip() else {}
    return {
        (form.default_language if k == "default" else _lang_of(k)): v.strip()
        for k, v in value.items()
        if v.strip()
    }


def compare(form: Form, questions) -> list[str]:
    """How Tilik's form differs from pyxform's questions (an empty list: not at all)."""
    by_path = {q.path: q for q in form.questions}
    others = {f"{q.path}_other": q for q in form.questions if q.or_other}
    mismatches = []
    for element in questions:
        path = element.get_xpath().split("/", 2)[2]  # without the root: /data/…
        if path in others:  # the text question pyxform adds for ``or_other``
            continue
        mine = by_path.get(path)
        if mine is None:
            mismatches.append(f"{path}: missing")
            continue
        bind = element.bind or {}
        if _xform_type(mine.type) != bind.get("type", "?") and bind.get("type"):
            mismatches.append(f"{path}: type {mine.type} is not {bind.get('type')}")
        choices = getattr(element, "choices", None)
        if choices is not None:
            theirs = [c.name for c in choices.options]
            ours = form.choice_names(mine)
            if theirs != ours:
                mismatches.append(f"{path}: choices {ours} are not {theirs}")
        if (bind.get("relevant") or "").strip() != mine.own_relevant:
            mismatches.append(f"{path}: relevant {mine.own_relevant!r}")
        if (bind.get("constraint") or "").strip() != mine.constraint:
            mismatches.append(f"{path}: constraint {mine.constraint!r}")
        if _labels(element.label, form) != mine.labels:
            mismatches.append(f"{path}: label {mine.labels!r} is not {element.label!r}")
    return mismatches


def test_it_reads_every_real_form_as_pyxform_does():
    forms = realworld_forms()
    assert len(forms) >= 80, "the shared real-world forms are missing"
    accepted = compared = 0
    mismatches: list[str] = []
    for path in forms:
        reason, questions = _pyxform(path)
        form, refused = _tilik(path)
        if reason is not None:
            assert form is None, f"{path.name}: pyxform refuses it ({reason}), Tilik accepted it"
            assert any(reason in r for r in refused), f"{path.name}: {refused} lacks {reason}"
            continue
        assert form is not None, f"{path.name}: pyxform accepts it, Tilik refused: {refused}"
        accepted += 1
        compared += len(questions)
        mismatches += [f"{path.name}: {m}" for m in compare(form, questions)]
    assert mismatches == []
    assert accepted >= 70 and compared >= 450


def test_it_reads_loops_as_one_group_per_choice_with_distinct_answers():
    form, _ = read_xlsform(REALWORLD / "forms-pyxform" / "example_xls__loop.xls")
    numbers = [q for q in form.questions if q.name == "number"]
    assert [q.key for q in numbers] == [
        "loop_toilet_types/pit_latrine_with_slab/number",
        "loop_toilet_types/open_pit_latrine/number",
        "loop_toilet_types/bucket_system/number",
        "loop_toilet_types/other/number",
    ]
    assert numbers[0].labels == {"english": "How many Pit latrine with slab are on the premises?"}
    toilets = form.question("available_toilet_types")
    assert toilets.type == "select_multiple" and toilets.or_other


@pytest.mark.parametrize(
    ("name", "question", "expected"),
    [
        ("example_xls__case_insensitivity.xlsx", None, None),
        ("example_xls__specify_other.xls", None, None),
        ("example_xls__yes_or_no_question.xls", None, None),
    ],
)
def test_it_keeps_every_sheet_cell_when_writing_back(name, question, expected):
    form, _ = read_xlsform(REALWORLD / "forms-pyxform" / name)
    again, _ = read_xlsform(write_xlsform(form), file_name=name)
    assert again.to_dict() == form.to_dict()
    assert [(q.path, q.type, q.labels) for q in again.questions] == [
        (q.path, q.type, q.labels) for q in form.questions
    ]


def test_it_reads_select_one_from_previous_answers():
    path = REALWORLD / "kobo-formpack" / "select_one_from_previous_answers"
    form, problems = read_xlsform(path / "select_one_from_previous_answers.xlsx")
    assert [p for p in problems if p.severity == "error"] == []
    head = form.question("Q4")
    assert head.type == "select_one" and head.choices_from == "Q2"
    assert form.question("Q5").choice_filter == "${Q3} < 18"
