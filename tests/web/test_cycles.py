"""Cycles in the web app: linked on import, set by evaluators, compared in the analysis."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from tests.report.bundles import write_evaluation
from tilik.web.evaluations.bundles import export_bundle, import_bundle, read_bundle_for_db
from tilik.web.evaluations.models import Evaluation
from tilik.web.reports.models import FollowUp
from tilik.web.reports.services import run_analysis

pytestmark = pytest.mark.django_db


def _pair(tmp_path):
    then = write_evaluation(tmp_path / "siklus" / "uji-2024", [3, 3, 4, 2, 3, 4, 3, 2, 4, 3])
    meta = then / "evaluasi.yaml"
    text = meta.read_text("utf-8").replace("period: 2025", "period: 2024")
    # 10 of 40 enrolled answered: the rule on response rates fires in 2024
    meta.write_text(text.replace("participants: 10", "participants: 40"), "utf-8")
    (then / "tindak_lanjut.csv").write_text(
        "key,status,due,assignee,note\n"
        "tindak_lanjut_pengumpulan:survei_peserta,selesai,2025-06-30,,\n",
        encoding="utf-8",
    )
    now = write_evaluation(tmp_path / "siklus" / "uji-2025", [5, 4, 4, 5, 3, 4, 5, 5, 4, 4])
    meta = now / "evaluasi.yaml"
    meta.write_text(meta.read_text("utf-8") + "previous: ../uji-2024\n", "utf-8")
    return then, now


def test_it_links_the_previous_cycle_and_its_follow_ups_on_import(tmp_path):
    then, now = _pair(tmp_path)
    earlier = import_bundle(read_bundle_for_db(then)).evaluation
    summary = import_bundle(read_bundle_for_db(now))
    assert summary.previous == earlier and summary.evaluation.previous == earlier
    follow_up = FollowUp.objects.get(evaluation=earlier)
    assert (follow_up.key, follow_up.status, str(follow_up.due)) == (
        "tindak_lanjut_pengumpulan:survei_peserta",
        "selesai",
        "2025-06-30",
    )
    again = import_bundle(read_bundle_for_db(then))
    assert again.follow_ups == 0 and FollowUp.objects.count() == 1


def test_it_exports_the_link_and_the_follow_ups(tmp_path):
    then, now = _pair(tmp_path)
    import_bundle(read_bundle_for_db(then))
    evaluation = import_bundle(read_bundle_for_db(now)).evaluation
    out = export_bundle(evaluation.previous, tmp_path / "out" / "uji-2024")
    rows = list(csv.DictReader((out / "tindak_lanjut.csv").open(encoding="utf-8")))
    assert (
        rows[0]["key"] == "tindak_lanjut_pengumpulan:survei_peserta"
        and rows[0]["status"] == "selesai"
    )
    out = export_bundle(evaluation, tmp_path / "out" / "uji-2025")
    assert "previous: ../uji-2024" in (out / "evaluasi.yaml").read_text("utf-8")
    assert read_bundle_for_db(out).meta.previous == "../uji-2024"


def test_the_analysis_compares_with_the_previous_cycles_latest_run(tmp_path):
    then, now = _pair(tmp_path)
    earlier = import_bundle(read_bundle_for_db(then)).evaluation
    evaluation = import_bundle(read_bundle_for_db(now)).evaluation
    assert "comparison" not in run_analysis(evaluation).hasil  # 2024 not analysed yet
    run_analysis(earlier)
    comparison = run_analysis(evaluation).hasil["comparison"]
    assert comparison["previous"]["period"] == 2024
    manfaat = comparison["constructs"]["survei_peserta"]["manfaat"]
    assert manfaat["previous"]["n"] == 10 and manfaat["mean_diff"] > 0
    followed = {r["key"]: r["status"] for r in comparison["recommendations"]}
    assert followed.get("tindak_lanjut_pengumpulan:survei_peserta") == "selesai"


def test_an_evaluator_sets_the_previous_cycle(cast, client):
    earlier = Evaluation.objects.create(
        organisation=cast.agency_a, title="Evaluasi A", period="2024"
    )
    earlier.members.create(user=cast.alice, role="evaluator")
    client.force_login(cast.alice)
    url = reverse("evaluations:cycles", args=[cast.evaluation_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"previous": earlier.pk})
    assert response.status_code == 302
    cast.evaluation_a.refresh_from_db()
    assert cast.evaluation_a.previous == earlier
    assert cast.evaluation_a.settings["previous"] == "../evaluasi-a"
    # linking the earlier one back to this one would loop: not offered, refused
    back = client.post(
        reverse("evaluations:cycles", args=[earlier.pk]), {"previous": cast.evaluation_a.pk}
    )
    assert back.status_code == 200 and earlier.previous is None


@pytest.mark.parametrize(
    "who, get, post", [("charlie", 200, 403), ("bob", 404, 404), ("mallory", 404, 404)]
)
def test_only_the_evaluations_evaluators_set_its_cycle(cast, client, who, get, post):
    client.force_login(getattr(cast, who))
    url = reverse("evaluations:cycles", args=[cast.evaluation_a.pk])
    assert client.get(url).status_code == get
    assert client.post(url, {"previous": cast.evaluation_b.pk}).status_code == post
    cast.evaluation_a.refresh_from_db()
    assert cast.evaluation_a.previous is None


def test_one_cannot_link_an_evaluation_one_does_not_reach(cast, client):
    client.force_login(cast.alice)
    url = reverse("evaluations:cycles", args=[cast.evaluation_a.pk])
    response = client.post(url, {"previous": cast.evaluation_b.pk})
    assert response.status_code == 200
    cast.evaluation_a.refresh_from_db()
    assert cast.evaluation_a.previous is None


def test_the_results_page_shows_the_comparison_and_its_chart(tmp_path, client):
    from django.contrib.auth import get_user_model

    then, now = _pair(tmp_path)
    user = get_user_model().objects.create_user("eva", password="pw-eva-uji-123")
    earlier = import_bundle(read_bundle_for_db(then), user=user).evaluation
    evaluation = import_bundle(read_bundle_for_db(now), user=user).evaluation
    run_analysis(earlier)
    run_analysis(evaluation)
    client.force_login(user)
    page = client.get(reverse("reports:results", args=[evaluation.pk])).content.decode()
    assert "Dibandingkan dengan evaluasi 2024" in page
    assert "grafik/siklus.svg" in page and "Angka utama per siklus evaluasi" in page
    assert "Peserta menilai program bermanfaat naik dari" in page
