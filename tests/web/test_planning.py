from __future__ import annotations

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from tests.schedule_builders import small_plan
from tilik.core.schedule import parse_plan
from tilik.web.evaluations.models import Cohort, Employee, Enrolment, Program
from tilik.web.planning.models import SchedulePlan, ScheduleRun

NIP = "198607152015011351"


def _plan(cast, data=None) -> SchedulePlan:
    return SchedulePlan.objects.create(
        evaluation=cast.evaluation_a,
        title="Uji",
        source=yaml.safe_dump(data or small_plan(), allow_unicode=True, sort_keys=False),
    )


def _solved(client, cast, data=None) -> ScheduleRun:
    plan = _plan(cast, data)
    client.force_login(cast.alice)
    response = client.post(reverse("planning:solve", args=[cast.evaluation_a.pk, plan.pk]))
    assert response.status_code == 302
    return plan.runs.get()


def _enrol(cast, program: Program, nip: str, name: str, position="Perawat Terampil") -> Employee:
    cohort, _ = Cohort.objects.get_or_create(program=program, name="1")
    employee, _ = Employee.objects.get_or_create(
        nip=nip, defaults={"organisation": cast.agency_a, "name": name, "position": position}
    )
    Enrolment.objects.create(cohort=cohort, employee=employee)
    return employee


def _draft_form(*programs: Program, weeks: int = 8) -> dict:
    return {"programs": [p.pk for p in programs], "start": "2026-05-11", "weeks": weeks}


def _drafted_run(client, cast) -> ScheduleRun:
    program = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima", jp=8)
    _enrol(cast, program, NIP, "Simon Kase")
    client.force_login(cast.alice)
    client.post(reverse("planning:draft", args=[cast.evaluation_a.pk]), _draft_form(program))
    plan = cast.evaluation_a.schedule_plans.get()
    client.post(reverse("planning:solve", args=[cast.evaluation_a.pk, plan.pk]))
    run = plan.runs.get()
    assert run.solved, (run.status, run.outcome, run.problems)
    return run


def test_it_drafts_a_plan_from_the_evaluation_without_names_or_nips(client, cast):
    program = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima", jp=16)
    cohort = Cohort.objects.create(program=program, name="1")
    employee = Employee.objects.create(
        organisation=cast.agency_a, nip=NIP, name="Simon Kase", position="Perawat Terampil"
    )
    Enrolment.objects.create(cohort=cohort, employee=employee)
    client.force_login(cast.alice)
    response = client.post(
        reverse("planning:draft", args=[cast.evaluation_a.pk]), _draft_form(program)
    )
    assert response.status_code == 302
    source = cast.evaluation_a.schedule_plans.get().source
    data = yaml.safe_load(source)
    assert len(data["participants"]) == 1 and data["participants"][0]["front_line"] is True
    assert NIP not in source and "Simon" not in source


def test_it_solves_a_plan_and_shows_it_by_unit_and_person(client, cast):
    run = _solved(client, cast)
    assert run.status == ScheduleRun.Status.DONE and run.solved
    pk = cast.evaluation_a.pk
    page = client.get(reverse("planning:run", args=[pk, run.pk]))
    assert page.status_code == 200 and "Puskesmas Oesapa" in page.content.decode()
    unit = client.get(reverse("planning:unit", args=[pk, run.pk, "pkm_oesapa"]))
    assert unit.status_code == 200 and "P1" in unit.content.decode()
    person = client.get(reverse("planning:person", args=[pk, run.pk, "P3"]))
    assert person.status_code == 200 and "Etika pelayanan" in person.content.decode()


def test_it_lets_each_participants_calendar_be_downloaded(client, cast):
    run = _solved(client, cast)
    response = client.get(reverse("planning:ics", args=[cast.evaluation_a.pk, run.pk, "P1"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="P1.ics"'
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") and "Maria" not in response.content.decode()


def test_it_downloads_the_schedule_as_csv_and_xlsx(client, cast):
    run = _solved(client, cast)
    for name in ("jadwal.csv", "jadwal.xlsx", "jadwal.html"):
        response = client.get(
            reverse("planning:download", args=[cast.evaluation_a.pk, run.pk, name])
        )
        assert response.status_code == 200, name
    assert reverse("planning:download", args=[cast.evaluation_a.pk, run.pk, "x.py"])
    missing = client.get(reverse("planning:download", args=[cast.evaluation_a.pk, run.pk, "x.py"]))
    assert missing.status_code == 404


def test_it_keeps_other_agencies_out_of_plans_and_calendars(client, cast):
    run = _solved(client, cast)
    pk = cast.evaluation_a.pk
    for user in (cast.bob, cast.mallory):
        client.force_login(user)
        for url in (
            reverse("planning:plans", args=[pk]),
            reverse("planning:run", args=[pk, run.pk]),
            reverse("planning:ics", args=[pk, run.pk, "P1"]),
            reverse("planning:download", args=[pk, run.pk, "jadwal.csv"]),
        ):
            assert client.get(url).status_code == 404, (user, url)
    # bob's own evaluation does not open alice's run either
    client.force_login(cast.bob)
    assert (
        client.get(reverse("planning:run", args=[cast.evaluation_b.pk, run.pk])).status_code == 404
    )


def test_it_lets_a_leader_read_but_not_solve(client, cast):
    run = _solved(client, cast)
    client.force_login(cast.charlie)
    assert (
        client.get(reverse("planning:run", args=[cast.evaluation_a.pk, run.pk])).status_code == 200
    )
    response = client.post(reverse("planning:solve", args=[cast.evaluation_a.pk, run.plan.pk]))
    assert response.status_code == 403
    assert run.plan.runs.count() == 1


def test_it_explains_an_infeasible_plan_in_english(client, cast):
    data = small_plan()
    data["units"][0]["busy"] = [
        {"reason": "BIAS", "from": "2026-05-11", "to": "2026-05-22", "minimum": 5}
    ]
    run = _solved(client, cast, data)
    assert run.status == ScheduleRun.Status.DONE
    assert run.outcome == ScheduleRun.Outcome.INFEASIBLE
    client.cookies["django_language"] = "en"
    page = client.get(reverse("planning:run", args=[cast.evaluation_a.pk, run.pk]))
    text = page.content.decode()
    assert "Puskesmas Oesapa: a minimum of 5 front-line staff must be on duty" in text
    assert "No schedule meets every constraint" in text and "Traceback" not in text


def test_it_rejects_an_uploaded_plan_naming_line_and_field(client, cast):
    data = small_plan()
    data["participants"][0]["unit"] = "tidak_ada"
    upload = SimpleUploadedFile(
        "jadwal.yaml", yaml.safe_dump(data, sort_keys=False).encode(), "application/x-yaml"
    )
    client.force_login(cast.alice)
    response = client.post(
        reverse("planning:upload", args=[cast.evaluation_a.pk]), {"file": upload}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "participants[1].unit" in text and "tidak_ada" in text
    assert not SchedulePlan.objects.exists()


@pytest.mark.postgres
def test_it_stores_a_solved_schedule_on_postgresql(client, cast):
    from django.db import connection

    assert connection.vendor == "postgresql"
    run = _solved(client, cast)
    stored = ScheduleRun.objects.get(pk=run.pk)
    assert stored.schedule_object().attendance and stored.summary["schema"] == "tilik.jadwal/1"


def test_it_queues_a_solve_and_shows_its_progress_until_it_ends(client, cast):
    from django.test import override_settings

    from tilik.web.jobs.runner import run_job

    plan = _plan(cast)
    client.force_login(cast.alice)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.post(reverse("planning:solve", args=[cast.evaluation_a.pk, plan.pk]))
    run = plan.runs.get()
    assert response.status_code == 302 and run.status == ScheduleRun.Status.PENDING
    page = client.get(reverse("planning:run", args=[cast.evaluation_a.pk, run.pk]))
    body = page.content.decode()
    assert "Jadwal sedang disusun" in body and "data-stage-poll" in body
    status = client.get(reverse("planning:run_status", args=[cast.evaluation_a.pk, run.pk]))
    assert status.json()["status"] == "pending" and status.json()["steps"] == 6
    assert run_job("planning.schedulerun", run.pk) == "done"  # what a worker does
    run.refresh_from_db()
    assert run.solved and run.stage == "compare" and run.summary["schema"] == "tilik.jadwal/1"
    body = client.get(reverse("planning:run", args=[cast.evaluation_a.pk, run.pk])).content.decode()
    assert "Jadwal tersusun" in body and "data-stage-poll" not in body


def test_it_cancels_a_waiting_solve_and_starts_one_solve_per_plan(client, cast):
    from django.test import override_settings

    plan = _plan(cast)
    client.force_login(cast.alice)
    url = reverse("planning:solve", args=[cast.evaluation_a.pk, plan.pk])
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        client.post(url)
        client.post(url)  # a second click while the first waits starts nothing
    run = plan.runs.get()
    client.force_login(cast.charlie)  # a leader reads, does not cancel
    cancel = reverse("planning:run_cancel", args=[cast.evaluation_a.pk, run.pk])
    assert client.post(cancel).status_code == 403
    client.force_login(cast.alice)
    page = client.post(cancel, follow=True)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.CANCELLED and not run.outcome
    assert "Penyusunan jadwal dibatalkan." in page.content.decode()
    assert plan.latest_run() == run and "Susun jadwal lagi" in page.content.decode()


def test_it_marks_a_solve_whose_worker_died_as_interrupted(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    plan = _plan(cast)
    run = ScheduleRun.objects.create(
        plan=plan,
        source=plan.source,
        time_limit=5,
        status=ScheduleRun.Status.RUNNING,
        heartbeat=timezone.now() - timedelta(minutes=5),
    )
    client.force_login(cast.alice)
    status = client.get(reverse("planning:run_status", args=[cast.evaluation_a.pk, run.pk]))
    assert status.json()["status"] == "interrupted"
    assert "terputus" in status.json()["line"]


def test_it_says_in_words_how_far_the_schedule_can_be_from_the_best(client, cast):
    from tilik.core.schedule import quality_words

    found = {"status": "feasible", "objective": 12_500_000.0, "bound": 10_000_000.0}
    assert "paling banyak Rp2.500.000 (25,0%) lebih tinggi daripada jadwal terbaik" in (
        quality_words(found, "id")
    )
    assert "at most Rp2,500,000 (25.0%) more than the best schedule possible" in (
        quality_words(found, "en")
    )
    run = _solved(client, cast)
    assert run.summary["solver"]["status"] == "optimal"
    pk = cast.evaluation_a.pk
    text = client.get(reverse("planning:run", args=[pk, run.pk])).content.decode()
    assert "Terbukti jadwal terbaik" in text and "celah optimalitas" not in text
    client.cookies["django_language"] = "en"
    text = client.get(reverse("planning:run", args=[pk, run.pk])).content.decode()
    assert "Proven the best schedule" in text


def test_it_names_participants_only_for_evaluators_and_masks_their_nips(client, cast):
    run = _drafted_run(client, cast)
    pk = cast.evaluation_a.pk
    code = run.plan_object().participants[0].code
    unit = run.plan_object().participants[0].unit
    pages = [
        reverse("planning:run", args=[pk, run.pk]),
        reverse("planning:unit", args=[pk, run.pk, unit]),
        reverse("planning:person", args=[pk, run.pk, code]),
    ]
    for user, sees_name in ((cast.alice, True), (cast.charlie, False), (cast.victor, False)):
        client.force_login(user)
        for url in pages:
            text = client.get(url).content.decode()
            assert ("Simon Kase" in text) is sees_name, (user, url)
            assert "**************1351" in text and NIP not in text, (user, url)


def test_it_refuses_a_nip_as_a_participant_code(client, cast):
    data = small_plan()
    data["participants"][0]["code"] = NIP
    upload = SimpleUploadedFile("jadwal.yaml", yaml.safe_dump(data).encode(), "application/x-yaml")
    client.force_login(cast.alice)
    response = client.post(
        reverse("planning:upload", args=[cast.evaluation_a.pk]), {"file": upload}
    )
    text = response.content.decode()
    assert response.status_code == 400 and "participants[1].code" in text
    assert NIP not in text and "**************1351" in text


def test_it_drafts_one_plan_for_the_programs_the_evaluator_chooses(client, cast):
    prima = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima", jp=8)
    digital = Program.objects.create(evaluation=cast.evaluation_a, name="Literasi Digital", jp=4)
    _enrol(cast, prima, NIP, "Simon Kase")
    _enrol(cast, digital, NIP, "Simon Kase")
    _enrol(cast, digital, "199001012019022001", "Maria Bere", "Pengelola Data")
    client.force_login(cast.alice)
    url = reverse("planning:draft", args=[cast.evaluation_a.pk])
    page = client.get(reverse("planning:plans", args=[cast.evaluation_a.pk])).content.decode()
    assert "Pelayanan Prima (8 JP)" in page and "Literasi Digital (4 JP)" in page
    assert client.post(url, _draft_form(prima, digital)).status_code == 302
    both = yaml.safe_load(cast.evaluation_a.schedule_plans.get().source)
    modules = {m["code"]: m["name"] for m in both["modules"]}
    taken = sorted(sorted(p["modules"]) for p in both["participants"])
    assert taken == [["P1-M1"], ["P1-M1", "P2-M1"]], taken  # Maria: Literasi Digital only
    assert modules["P2-M1"].startswith("Pelayanan Prima") and both["calendar"]["weeks"] == 8
    assert parse_plan(both)[0] is not None
    SchedulePlan.objects.all().delete()
    assert client.post(url, _draft_form(digital, weeks=4)).status_code == 302
    one = yaml.safe_load(cast.evaluation_a.schedule_plans.get().source)
    assert len(one["participants"]) == 2 and one["program"] == "Literasi Digital"
    refused = client.post(url, _draft_form())
    assert refused.status_code == 400 and "Pilih paling sedikit satu program." in (
        refused.content.decode()
    )


def test_it_offers_the_draft_from_the_evaluation_before_the_yaml_upload(client, cast):
    program = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima", jp=8)
    _enrol(cast, program, NIP, "Simon Kase")
    client.force_login(cast.alice)
    pk = cast.evaluation_a.pk
    text = client.get(reverse("planning:plans", args=[pk])).content.decode()
    draft, details = text.index(reverse("planning:draft", args=[pk])), text.index("<details")
    assert draft < details < text.index(reverse("planning:upload", args=[pk]))
    example = client.get(reverse("planning:example", args=[pk]))
    assert example.status_code == 200 and "attachment" in example["Content-Disposition"]
    source = example.content.decode()
    assert parse_plan(yaml.safe_load(source))[0] is not None
    assert NIP not in source and "Simon" not in source
    client.force_login(cast.bob)
    assert client.get(reverse("planning:example", args=[pk])).status_code == 404


def test_it_styles_every_button_on_the_schedule_pages(client, cast):
    run = _solved(client, cast)
    pk = cast.evaluation_a.pk
    pages = [
        reverse("planning:plans", args=[pk]),
        reverse("planning:edit", args=[pk, run.plan.pk]),
        reverse("planning:run", args=[pk, run.pk]),
    ]
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.FAILED)
    pages.append(reverse("planning:run", args=[pk, run.pk]))  # "Susun jadwal lagi"
    for url in pages:
        buttons = re.findall(r"<button\b[^>]*>", client.get(url).content.decode())
        assert buttons, url
        for button in buttons:
            found = re.search(r'class="([^"]*)"', button)
            classes = set(found.group(1).split()) if found else set()
            assert classes & {"primary", "secondary", "link"}, (url, button)


def test_it_refuses_a_draft_start_that_is_not_a_monday(client, cast):
    program = Program.objects.create(evaluation=cast.evaluation_a, name="Pelayanan Prima", jp=8)
    _enrol(cast, program, NIP, "Simon Kase")
    client.force_login(cast.alice)
    url = reverse("planning:draft", args=[cast.evaluation_a.pk])
    refused = client.post(url, {**_draft_form(program), "start": "2026-05-13"})
    assert refused.status_code == 400
    assert "Tanggal mulai harus hari Senin: 2026-05-13 hari Rabu." in refused.content.decode()
    assert not SchedulePlan.objects.exists()


def test_it_says_the_weekday_in_english_too(client, cast):
    from django.utils import translation

    from tilik.web.planning.forms import DraftForm

    with translation.override("en"):
        form = DraftForm({"start": "2026-05-17", "weeks": 8})
        form.is_valid()
        assert "The start date must be a Monday: 2026-05-17 is a Sunday." in form.errors["start"]
