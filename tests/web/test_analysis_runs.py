"""The analysis runs in the background: status, progress, failures, one run at a time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tilik.report.pipeline import STAGES
from tilik.web.evaluations.models import Member
from tilik.web.jobs.models import stale_after
from tilik.web.reports import services
from tilik.web.reports.models import AnalysisRun

pytestmark = pytest.mark.django_db


def _quick_report(bundle, out, *, progress=None, **options):
    """Stands in for the pipeline where only the run's bookkeeping is under test."""
    for stage in STAGES:
        if progress is not None:
            progress(stage)
    out.mkdir(parents=True, exist_ok=True)
    (out / "hasil.json").write_text(json.dumps({"schema": "tilik.hasil/1", "findings": []}))
    (out / "laporan.html").write_text("<p>laporan</p>")
    return {}


def _broken_report(bundle, out, *, progress=None, **options):
    """Fails half-way: some files written, then an error carrying personal data."""
    if progress is not None:
        progress("themes")
    out.mkdir(parents=True, exist_ok=True)
    (out / "hasil.json").write_text("{}")
    raise RuntimeError("Yohanes Ndun 198504122010011003")


def _running(evaluation, user, **fields) -> AnalysisRun:
    fields.setdefault("heartbeat", timezone.now())
    return AnalysisRun.objects.create(
        evaluation=evaluation,
        created_by=user,
        folder=f"laporan/{evaluation.pk}/berjalan",
        status=AnalysisRun.Status.RUNNING,
        stage="statistics",
        **fields,
    )


def test_it_starts_a_run_and_redirects_to_the_results(client, cast):
    client.force_login(cast.alice)
    response = client.post(f"/evaluasi/{cast.evaluation_a.pk}/hasil/jalankan/", {"lang": "id"})
    assert response.status_code == 302
    assert response["Location"] == f"/evaluasi/{cast.evaluation_a.pk}/hasil/"
    run = AnalysisRun.objects.get(evaluation=cast.evaluation_a)
    assert run.status == AnalysisRun.Status.DONE
    assert run.hasil["schema"] == "tilik.hasil/1"
    assert run.stage == "report" and run.finished_at is not None
    assert run.file("laporan.pdf") is not None


def test_it_shows_the_new_run_once_done(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _quick_report)
    client.force_login(cast.alice)
    response = client.post(f"/evaluasi/{cast.evaluation_a.pk}/hasil/jalankan/", follow=True)
    body = response.content.decode()
    assert "Analisis selesai; laporan diperbarui." in body
    run = AnalysisRun.objects.get(evaluation=cast.evaluation_a)
    assert f"/hasil/{run.pk}/berkas/laporan.html" in body
    assert 'id="analysis-status"' not in body


def test_it_records_a_failure_in_both_languages_and_keeps_nothing(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _broken_report)
    client.force_login(cast.alice)
    response = client.post(f"/evaluasi/{cast.evaluation_a.pk}/hasil/jalankan/")
    assert response.status_code == 302
    run = AnalysisRun.objects.get(evaluation=cast.evaluation_a)
    assert run.status == AnalysisRun.Status.FAILED
    assert run.hasil == {}
    assert run.error["id"].startswith("Analisis gagal")
    assert run.error["en"] and run.error["en"] != run.error["id"]
    assert not run.path.exists()
    download = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/{run.pk}/berkas/hasil.json")
    assert download.status_code == 404
    body = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/").content.decode()
    assert run.error["id"] in body
    assert "198504122010011003" not in body and "Traceback" not in body
    assert "Jalankan analisis" in body  # the button is back


def test_it_keeps_showing_the_last_done_run_after_a_failure(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _quick_report)
    done = services.run_analysis(cast.evaluation_a, cast.alice)
    monkeypatch.setattr(services, "build_report", _broken_report)
    failed, started = services.start_analysis(cast.evaluation_a, cast.alice)
    assert started and failed.status == AnalysisRun.Status.FAILED
    assert services.latest_run(cast.evaluation_a) == done
    client.force_login(cast.alice)
    body = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/").content.decode()
    assert f"/hasil/{done.pk}/berkas/laporan.html" in body
    assert "Analisis gagal" in body


def test_it_shows_the_failure_in_english(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _broken_report)
    run, _started = services.start_analysis(cast.evaluation_a, cast.alice)
    client.force_login(cast.alice)
    client.cookies["django_language"] = "en"
    body = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/").content.decode()
    assert escape(run.error["en"]) in body


def test_it_starts_nothing_while_a_run_is_running(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _quick_report)
    running = _running(cast.evaluation_a, cast.alice)
    client.force_login(cast.alice)
    response = client.post(f"/evaluasi/{cast.evaluation_a.pk}/hasil/jalankan/", follow=True)
    assert response.status_code == 200
    assert AnalysisRun.objects.filter(evaluation=cast.evaluation_a).count() == 1
    assert "Analisis sudah berjalan" in response.content.decode()
    assert services.start_analysis(cast.evaluation_a, cast.alice) == (running, False)


def test_the_database_allows_one_active_run_per_evaluation(cast):
    from django.db import IntegrityError, transaction

    _running(cast.evaluation_a, cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        _running(cast.evaluation_a, cast.alice)
    _running(cast.evaluation_b, cast.bob)  # another evaluation is another matter


def test_the_page_shows_a_running_run_and_the_last_results(client, cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _quick_report)
    done = services.run_analysis(cast.evaluation_a, cast.alice)
    _running(cast.evaluation_a, cast.alice)
    client.force_login(cast.alice)
    body = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/").content.decode()
    assert 'id="analysis-status"' in body and 'role="status"' in body
    assert "Tahap 3 dari 5: Statistik" in body
    assert "Muat ulang" in body
    assert f"/hasil/{done.pk}/berkas/laporan.html" in body
    assert "data-run-form" not in body  # no second start from this page


def test_the_status_endpoint_reports_the_stage(client, cast):
    run = _running(cast.evaluation_a, cast.alice)
    client.force_login(cast.alice)
    data = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/status/").json()
    assert data["run"] == run.pk and data["status"] == "running"
    assert (data["stage"], data["step"], data["steps"]) == ("statistics", 3, 5)
    assert data["line"] == "Tahap 3 dari 5: Statistik"
    clock = data["elapsed"]  # whole seconds since the start, for the page's clock
    assert isinstance(clock, int) and clock >= 0


def test_the_status_endpoint_refuses_outsiders(client, cast):
    _running(cast.evaluation_a, cast.alice)
    for user in (cast.bob, cast.mallory):
        client.force_login(user)
        assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/status/").status_code == 404
    client.logout()
    assert client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/status/").status_code == 302


def test_readers_see_the_status_but_start_nothing(client, cast):
    Member.objects.create(evaluation=cast.evaluation_a, user=cast.mallory, role="viewer")
    _running(cast.evaluation_a, cast.alice)
    for user in (cast.charlie, cast.mallory):
        client.force_login(user)
        url = f"/evaluasi/{cast.evaluation_a.pk}/hasil/status/"
        assert client.get(url).json()["status"] == "running"
        assert client.post(url).status_code == 405
        assert client.post(f"/evaluasi/{cast.evaluation_a.pk}/hasil/jalankan/").status_code == 403
    assert AnalysisRun.objects.filter(evaluation=cast.evaluation_a).count() == 1


def test_it_marks_a_silent_run_as_interrupted(client, cast):
    stale = timezone.now() - stale_after() - timedelta(seconds=1)
    run = _running(cast.evaluation_a, cast.alice, heartbeat=stale)
    client.force_login(cast.alice)
    data = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/status/").json()
    assert data["status"] == "interrupted"
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.INTERRUPTED and run.finished_at is not None
    assert run.error["id"].startswith("Analisis terputus")
    assert run.error["en"] != run.error["id"]
    body = client.get(f"/evaluasi/{cast.evaluation_a.pk}/hasil/").content.decode()
    assert run.error["id"] in body and "data-run-form" in body


def test_it_keeps_a_run_with_a_recent_heartbeat(cast):
    recent = timezone.now() - stale_after() + timedelta(seconds=10)
    run = _running(cast.evaluation_a, cast.alice, heartbeat=recent)
    assert not run.check_interrupted()
    assert services.active_run(cast.evaluation_a) == run


def test_it_starts_again_after_an_interrupted_run(cast, monkeypatch):
    monkeypatch.setattr(services, "build_report", _quick_report)
    stale = timezone.now() - stale_after() - timedelta(seconds=1)
    old = _running(cast.evaluation_a, cast.alice, heartbeat=stale)
    run, started = services.start_analysis(cast.evaluation_a, cast.alice)
    assert started and run != old and run.status == AnalysisRun.Status.DONE
    old.refresh_from_db()
    assert old.status == AnalysisRun.Status.INTERRUPTED


def test_the_pipeline_reports_every_stage_in_order(cast, monkeypatch):
    seen: list[str] = []
    run = AnalysisRun.objects.create(
        evaluation=cast.evaluation_a, folder="laporan/x/y", status=AnalysisRun.Status.PENDING
    )
    original = services._analyse

    def recording(evaluation, folder, lang, note):
        def both(stage: str) -> None:
            seen.append(stage)
            note(stage)

        return original(evaluation, folder, lang, both)

    monkeypatch.setattr(services, "_analyse", recording)
    services.execute_run(run.pk)
    assert seen == list(AnalysisRun.STAGES) == ["prepare", *STAGES]
