from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Member
from tilik.web.reports.models import AnalysisRun, FollowUp, Publication, RecommendationEdit

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"

pytestmark = pytest.mark.django_db


_ANALYSED: dict[str, object] = {}


def _analysed_run(evaluation, user):
    """The demo's analysis is computed once per test session and copied for each test."""
    from django.conf import settings

    from tilik.web.reports.services import run_analysis

    if not _ANALYSED:
        run = run_analysis(evaluation, user)
        _ANALYSED.update(hasil=run.hasil, path=run.path)
        return run
    folder = f"laporan/{evaluation.pk}/copy-{len(_ANALYSED)}-{id(evaluation)}"
    shutil.copytree(_ANALYSED["path"], Path(settings.MEDIA_ROOT) / folder)
    _ANALYSED[folder] = True
    return AnalysisRun.objects.create(
        evaluation=evaluation, created_by=user, lang="id", hasil=_ANALYSED["hasil"], folder=folder
    )


@pytest.fixture
def demo(cast):
    """The demo evaluation, analysed, with alice as evaluator and charlie as leader."""
    evaluation = import_bundle(read_bundle_for_db(DEMO), organisation=cast.agency_a).evaluation
    Member.objects.create(evaluation=evaluation, user=cast.alice, role="evaluator")
    Member.objects.create(evaluation=evaluation, user=cast.charlie, role="leader")
    _analysed_run(evaluation, cast.alice)
    return evaluation


def test_it_runs_the_analysis_and_offers_downloads(client, cast, demo):
    client.force_login(cast.alice)
    response = client.get(f"/evaluasi/{demo.pk}/hasil/")
    assert response.status_code == 200
    run = AnalysisRun.objects.get(evaluation=demo)
    assert run.hasil["schema"] == "tilik.hasil/1"
    for name in ("laporan.pdf", "laporan.docx", "laporan.html", "hasil.json"):
        download = client.get(f"/evaluasi/{demo.pk}/hasil/{run.pk}/berkas/{name}?unduh=1")
        assert download.status_code == 200, name


def test_it_refuses_downloads_to_other_agencies(client, cast, demo):
    run = AnalysisRun.objects.get(evaluation=demo)
    client.force_login(cast.bob)
    assert client.get(f"/evaluasi/{demo.pk}/hasil/").status_code == 404
    assert client.get(f"/evaluasi/{demo.pk}/hasil/{run.pk}/berkas/laporan.pdf").status_code == 404


def test_it_refuses_paths_outside_the_report(client, cast, demo):
    run = AnalysisRun.objects.get(evaluation=demo)
    client.force_login(cast.alice)
    url = f"/evaluasi/{demo.pk}/hasil/{run.pk}/berkas/../../secret_key"
    assert client.get(url).status_code == 404


def test_it_lets_only_evaluators_run_the_analysis(client, cast, demo):
    client.force_login(cast.charlie)
    assert client.post(f"/evaluasi/{demo.pk}/hasil/jalankan/").status_code == 403
    assert AnalysisRun.objects.filter(evaluation=demo).count() == 1


def test_it_keeps_an_edited_recommendation_after_a_rerun(client, cast, demo):
    from tilik.web.reports.services import run_analysis

    key = AnalysisRun.objects.get(evaluation=demo).hasil["recommendations"][0]["key"]
    client.force_login(cast.alice)
    response = client.post(
        f"/evaluasi/{demo.pk}/rekomendasi/ubah/{key}",
        {"action": "save", "text_id": "Teks suntingan evaluator.", "priority": "tinggi"},
    )
    assert response.status_code == 302
    run = run_analysis(demo, cast.alice)
    texts = [r["text"]["id"] for r in run.hasil["recommendations"]]
    assert "Teks suntingan evaluator." in texts
    assert "Teks suntingan evaluator." in (run.path / "laporan.html").read_text()


def test_it_removes_and_adds_recommendations(client, cast, demo):
    key = AnalysisRun.objects.get(evaluation=demo).hasil["recommendations"][0]["key"]
    client.force_login(cast.alice)
    client.post(f"/evaluasi/{demo.pk}/rekomendasi/ubah/{key}", {"action": "remove"})
    client.post(
        f"/evaluasi/{demo.pk}/rekomendasi/ubah/baru",
        {"baru-text_id": "Rekomendasi tambahan.", "baru-priority": "rendah"},
    )
    assert RecommendationEdit.objects.get(evaluation=demo, key=key).removed
    body = client.get(f"/evaluasi/{demo.pk}/rekomendasi/").content.decode()
    assert "Rekomendasi tambahan." in body


def test_it_lets_a_leader_track_follow_up_but_not_edit(client, cast, demo):
    key = AnalysisRun.objects.get(evaluation=demo).hasil["recommendations"][0]["key"]
    client.force_login(cast.charlie)
    response = client.post(
        f"/evaluasi/{demo.pk}/rekomendasi/tindak-lanjut/{key}",
        {"status": "proses", "assignee": "Kabid PKA"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(evaluation=demo, key=key).status == "proses"
    edit = client.post(f"/evaluasi/{demo.pk}/rekomendasi/ubah/{key}", {"action": "remove"})
    assert edit.status_code == 403


def test_it_publishes_and_withdraws_a_public_summary(client, cast, demo):
    client.force_login(cast.alice)
    client.post(f"/evaluasi/{demo.pk}/publikasi/", {"action": "publish", "lang": "id"})
    item = Publication.objects.get(evaluation=demo)
    client.logout()
    public = client.get(f"/publikasi/{item.slug}/")
    assert public.status_code == 200
    assert "Evaluasi" in public.content.decode()
    client.force_login(cast.alice)
    client.post(f"/evaluasi/{demo.pk}/publikasi/", {"action": "withdraw"})
    client.logout()
    assert client.get(f"/publikasi/{item.slug}/").status_code == 404


def test_it_keeps_names_and_nips_out_of_the_public_summary(client, cast, demo):
    from tilik.web.evaluations.models import Employee

    client.force_login(cast.alice)
    client.post(f"/evaluasi/{demo.pk}/publikasi/", {"action": "publish"})
    html = Publication.objects.get(evaluation=demo).html
    for employee in Employee.objects.all()[:400]:
        assert employee.nip not in html
        assert employee.name not in html
