"""Retention: personal data is purged when its period ends; a person's data is found,
exported, corrected and deleted on request."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.builders import kobo_row, write_bundle
from tilik.cli.main import cli
from tilik.web.audit.models import Action, AuditEvent
from tilik.web.collection.models import Interview, QuarantinedRow, Submission
from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Employee, Enrolment, Member
from tilik.web.jobs.tasks import schedule_daily
from tilik.web.reports.models import AnalysisRun

pytestmark = pytest.mark.django_db
NIP = "198503122010011001"
ROSTER = "nip,nama,instansi,program\n198503122010011001,Yohana Lobo,Dinas Kesehatan,Pelatihan Uji\n"


@pytest.fixture
def evaluation(cast, tmp_path):
    rows = [kobo_row(i, saran="Menurut Maria Goreti Seran jadwal padat.") for i in range(3)]
    rows.append(kobo_row(9, umur="x"))  # quarantined
    root = write_bundle(tmp_path / "b", rows)
    (root / "peserta.csv").write_text(ROSTER, encoding="utf-8")
    (root / "wawancara" / "w01.txt").write_text("N: Kata Pak Yohanes Ndun, stafnya kurang.\n")
    evaluation = import_bundle(read_bundle_for_db(root), organisation=cast.agency_a).evaluation
    Member.objects.create(evaluation=evaluation, user=cast.alice, role="evaluator")
    Member.objects.create(evaluation=evaluation, user=cast.charlie, role="leader")
    return evaluation


def _age(evaluation, months: int) -> None:
    Submission.objects.filter(instrument__evaluation=evaluation).update(
        received_at=timezone.now() - timedelta(days=31 * months)
    )
    type(evaluation).objects.filter(pk=evaluation.pk).update(
        created_at=timezone.now() - timedelta(days=31 * months)
    )


def test_the_purge_waits_for_the_retention_period(evaluation):
    result = CliRunner().invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "0 evaluasi" in result.output
    assert Employee.objects.filter(nip=NIP).exists()


def test_the_purge_removes_personal_data_and_keeps_the_rest(client, cast, evaluation):
    from tilik.web.reports.services import run_analysis

    run = run_analysis(evaluation, cast.alice)
    _age(evaluation, 25)
    result = CliRunner().invoke(cli, ["purge"])
    assert result.exit_code == 0 and "1 evaluasi" in result.output, result.output
    answers = [s.answers for s in Submission.objects.filter(instrument__evaluation=evaluation)]
    assert len(answers) == 3 and all("nip" not in a for a in answers)
    assert all("Maria" not in a["saran"] for a in answers)
    assert not Employee.objects.filter(nip=NIP).exists()
    assert not Enrolment.objects.exists() and not QuarantinedRow.objects.exists()
    assert "Yohanes" not in Interview.objects.get(evaluation=evaluation).transcript
    assert AnalysisRun.objects.get(pk=run.pk).hasil["schema"] == "tilik.hasil/1"
    assert (run.path / "laporan.html").exists()
    assert AuditEvent.objects.filter(action=Action.PURGED, evaluation=evaluation).count() == 1
    assert "1 evaluasi" not in CliRunner().invoke(cli, ["purge"]).output  # once only


def test_the_worker_queues_the_purge_once_a_day(evaluation):
    _age(evaluation, 25)
    assert schedule_daily("2030-01-01") is True  # the tests run tasks at once
    assert not Employee.objects.filter(nip=NIP).exists()
    assert schedule_daily("2030-01-01") is False


def test_a_person_is_found_exported_corrected_and_deleted(client, cast, evaluation):
    url = f"/evaluasi/{evaluation.pk}/data-pribadi/"
    client.force_login(cast.charlie)
    assert client.get(url, {"q": NIP}).status_code == 403
    client.force_login(cast.alice)
    page = client.get(url, {"q": NIP}).content.decode()
    assert "Yohana Lobo" in page
    export = client.post(url, {"q": NIP, "action": "export"})
    data = json.loads(export.content)
    assert data["peserta"][0]["nama"] == "Yohana Lobo" and len(data["respons"]) >= 1
    employee = Employee.objects.get(nip=NIP)
    client.post(url, {"q": NIP, "action": "correct", f"employee:{employee.pk}:name": "Yohana L."})
    assert Employee.objects.get(nip=NIP).name == "Yohana L."
    client.post(url, {"q": NIP, "action": "delete"})  # without confirmation: nothing
    assert Employee.objects.filter(nip=NIP).exists()
    mine = Submission.objects.filter(answers__nip=NIP)
    assert mine.exists()
    client.post(url, {"q": NIP, "action": "delete", "confirm": "1"})
    assert not Employee.objects.filter(nip=NIP).exists()
    assert not mine.exists()
    actions = set(AuditEvent.objects.filter(evaluation=evaluation).values_list("action", flat=True))
    assert {"person_searched", "person_exported", "person_corrected", "person_deleted"} <= actions
    assert NIP not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
