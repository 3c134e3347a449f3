"""Real forms of other projects through the respondent's path (``/f/<token>/kirim/``), and
forms made to break the server: stored or refused with a reason, never lost."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.db import IntegrityError

from tilik.web.collection import services
from tilik.web.collection.models import RespondentLink, Submission

pytestmark = pytest.mark.django_db
REALWORLD = Path(__file__).parents[2] / ".." / "shared" / "realworld"
UCL = REALWORLD / "forms-pyxform" / "bug_example_xls__UCL_Biomass_Plot_Form.xlsx"


def xlsform(survey, choices=(), name="formulir"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices:
        listed = workbook.create_sheet("choices")
        for row in choices:
            listed.append(list(row))
    workbook.create_sheet("settings").append(["form_id"])
    workbook["settings"].append([name])
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def send(client, token, answers):
    payload = {"instance_id": str(uuid.uuid4()), "answers": answers, "lang": "id"}
    return client.post(f"/f/{token}/kirim/", json.dumps(payload), content_type="application/json")


def test_it_stores_nan_and_infinity_calculations_as_odk_does(client, cast):
    data = xlsform(
        [
            ("type", "name", "label", "calculation"),
            ("integer", "a", "A", ""),
            ("integer", "b", "B", ""),
            ("integer", "umur", "Umur", ""),
            ("calculate", "rasio", "", "${a} div ${b}"),
            ("calculate", "nol", "", "0 div ${b}"),
            ("calculate", "bulan", "", "${umur} * 12"),
            ("calculate", "c1", "", "${c2} + 1"),
            ("calculate", "c2", "", "${c1} + 1"),
        ]
    )
    instrument, problems = services.add_instrument(cast.evaluation_a, data, "formulir.xlsx")
    assert instrument is not None, [p.render("en") for p in problems]
    _, token = RespondentLink.make(instrument, "open")
    r = send(client, token, {"a": "3", "b": "0", "umur": ""})
    assert r.status_code == 201, r.content
    stored = Submission.objects.get().answers
    assert stored["rasio"] == "Infinity" and stored["nol"] == "NaN" and stored["bulan"] == "NaN"
    assert stored["c1"] == "NaN" and stored["c2"] == "NaN"


def test_it_never_tells_a_respondent_of_a_conflict_for_another_integrity_error(
    client, cast, monkeypatch
):
    (instrument,) = services.add_standard_instruments(cast.evaluation_a, ["observasi"])
    _, token = RespondentLink.make(instrument, "open")

    def broken(*args, **kwargs):
        raise IntegrityError("CHECK constraint failed: JSON_VALID")

    monkeypatch.setattr(Submission.objects, "create", broken)
    r = send(client, token, {})
    assert r.status_code in (400, 503)
    if r.status_code == 503:
        assert r.json()["status"] == "failed" and "berbeda" not in r.json()["message"]


def _ucl_answers(form):
    return {
        "leader_name": form.choice_names(form.question("leader_name"))[0],
        "leader_number": "0712345678",
        "plant_phase": form.choice_names(form.question("plant_phase"))[0],
        "canopy_cover": "50",
        "center_point": "-6.8 39.2",
        "monumented": "yes",
        "slope": "10",
        "any_trees": "yes",
        "_count:trees": "1",
        "trees[1]/tag": "1",
        "trees[1]/tree_bearing": "90",
        "trees[1]/tree_distance": "12.5",
        "trees[1]/stem_count": "1",
        "_count:trees[1]/stems": "1",
        "trees[1]/stems[1]/cbh": "30",
        "trees[1]/stems[1]/health_id": "alive",
        "stumps_in_plot": "no",
        "regen_in_subplot1": "no",
        "regen_in_subplot2": "no",
        "disturbance": [form.choice_names(form.question("disturbance"))[0]],
    }


def test_it_accepts_a_valid_distance_of_the_ucl_biomass_form(client, cast):
    instrument, problems = services.add_instrument(cast.evaluation_a, UCL.read_bytes(), UCL.name)
    assert instrument is not None, [p.render("en") for p in problems]
    form = instrument.form()
    assert "alive" in form.choice_names(form.question("health_id"))
    _, token = RespondentLink.make(instrument, "open")
    r = send(client, token, _ucl_answers(form))
    assert r.status_code == 201, r.content
    stored = Submission.objects.get().answers
    assert stored["slope_radius"] == "15.04"  # round(15 div sqrt(cos(atan(10 div 100))), 2)
    assert stored["trees"][0]["tree_distance"] == 12.5
    answers = _ucl_answers(form) | {"trees[1]/tree_distance": "15.5"}
    r = send(client, token, answers)
    assert r.status_code == 400 and "trees[1]/tree_distance" in r.json()["errors"]


def test_it_never_refuses_an_answer_for_a_calculation_it_cannot_make(client, cast):
    data = xlsform(
        [
            ("type", "name", "label", "calculation", "constraint"),
            ("calculate", "batas", "", "pulldata('batas', 'nilai', 'kode', 'x')", ""),
            ("decimal", "jarak", "Jarak", "", ". < ${batas}"),
        ]
    )
    instrument, problems = services.add_instrument(cast.evaluation_a, data, "formulir.xlsx")
    assert instrument is not None
    assert any("pulldata" in p.render("en") for p in problems)  # named at upload
    _, token = RespondentLink.make(instrument, "open")
    assert send(client, token, {"jarak": "4.5"}).status_code == 201
    assert "batas" not in Submission.objects.get().answers


@pytest.mark.parametrize(
    ("constraint", "reason"),
    [
        ("regex(., '^(a)\\1$')", "RE2"),
        ("(" * 3000 + "1" + ")" * 3000, "100"),
    ],
)
def test_it_refuses_hostile_expressions_at_upload(cast, constraint, reason):
    data = xlsform([("type", "name", "label", "constraint"), ("text", "t", "T", constraint)])
    instrument, problems = services.add_instrument(cast.evaluation_a, data, "formulir.xlsx")
    assert instrument is None
    assert any(reason in p.render("id") and p.severity == "error" for p in problems)


def test_it_checks_a_backtracking_regex_in_linear_time(client, cast):
    data = xlsform(
        [("type", "name", "label", "constraint"), ("text", "t", "T", "regex(., '^(a+)+$')")]
    )
    instrument, _ = services.add_instrument(cast.evaluation_a, data, "formulir.xlsx")
    _, token = RespondentLink.make(instrument, "open")
    r = send(client, token, {"t": "a" * 5000 + "b"})  # catastrophic for a backtracking engine
    assert r.status_code == 400 and "t" in r.json()["errors"]
    assert send(client, token, {"t": "a" * 5000}).status_code == 201


def test_it_accepts_an_xls_form_upload(client, cast):
    path = REALWORLD / "forms-pyxform" / "example_xls__yes_or_no_question.xls"
    client.force_login(cast.alice)
    with path.open("rb") as handle:
        r = client.post(
            f"/evaluasi/{cast.evaluation_a.pk}/instrumen-baru/",
            {"file": handle, "kind": "lainnya"},
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    instrument = cast.evaluation_a.instruments.get()
    assert bytes(instrument.current.xlsform)[:2] == b"PK"  # kept as .xlsx
    assert [q.type for q in instrument.form().data_questions()] == ["select_one"]
