"""Screens and the report in words: no codes, statistic keys or hasil paths where a person reads."""

from __future__ import annotations

import pytest

from tests.codescan import leaked_codes, visible_text
from tests.web.test_reports import demo  # noqa: F401  (the analysed demo evaluation)
from tilik.web.reports.models import AnalysisRun

pytestmark = pytest.mark.django_db


def demo_codes(run) -> set[str]:
    """The demo's own codes: form ids, construct codes and group codes of hasil."""
    hasil = run.hasil
    codes = set(hasil["instruments"]) | {"pretest", "posttest", "skm"}
    for constructs in hasil["constructs"].values():
        codes |= set(constructs)
    for groups in hasil["labels"].values():
        codes |= {c for c in groups if "_" in c}
    return {c for c in codes if "_" in c or c in ("pretest", "posttest")}


def test_the_html_report_shows_no_codes_or_paths(demo):  # noqa: F811
    run = AnalysisRun.objects.get(evaluation=demo)
    html = run.file("laporan.html").read_text(encoding="utf-8")
    assert leaked_codes(html, demo_codes(run)) == []


@pytest.mark.parametrize("page", ["", "hasil/", "rekomendasi/", "publikasi/"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_main_pages_show_no_codes_or_paths(client, cast, demo, page, lang):  # noqa: F811
    run = AnalysisRun.objects.get(evaluation=demo)
    client.force_login(cast.alice)
    client.cookies["django_language"] = lang
    response = client.get(f"/evaluasi/{demo.pk}/{page}")
    assert response.status_code == 200
    assert leaked_codes(response.content.decode(), demo_codes(run)) == []


def test_recommendation_cards_have_titles_and_evidence_sentences_with_links(client, cast, demo):  # noqa: F811
    client.force_login(cast.alice)
    html = client.get(f"/evaluasi/{demo.pk}/rekomendasi/").content.decode()
    text = visible_text(html)
    assert "Penjadwalan pelatihan yang fleksibel" in text
    assert "jadwal_fleksibel" not in text and "akp_sektor" not in text
    assert (
        "Keterbatasan waktu karena beban kerja atau kekurangan pegawai: 58,5% responden survei"
        in text
    )
    assert "(IK 95% 52,8%–64,0%)" in text
    assert "laporan.html#tabel-tantangan" in html


def test_the_results_page_gives_charts_their_alt_text(client, cast, demo):  # noqa: F811
    client.force_login(cast.alice)
    html = client.get(f"/evaluasi/{demo.pk}/hasil/").content.decode()
    assert 'alt="likert-' not in html and '.svg"' not in html.split("alt=")[-1][:20]
    assert 'alt="Hambatan yang dipilih responden survei.' in html
    assert 'id="tabel-tantangan"' in html


def test_the_challenges_table_names_one_denominator_per_column(client, cast, demo):  # noqa: F811
    client.force_login(cast.alice)
    text = visible_text(client.get(f"/evaluasi/{demo.pk}/hasil/").content.decode())
    assert "Survei (% dari 294 responden)" in text
    assert "Jawaban terbuka (% dari 598 penulis)" in text
    assert "Wawancara (% dari 23 narasumber)" in text


def test_the_site_has_a_favicon(client, cast):
    client.force_login(cast.alice)
    page = client.get("/evaluasi/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
