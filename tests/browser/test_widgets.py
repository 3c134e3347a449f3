"""Questions a plain text box would get wrong: range, geopoint, rank, and what only ODK
Collect can collect, on a phone-sized page."""

from __future__ import annotations

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE

SURVEY = [
    ("type", "name", "label", "parameters", "required"),
    ("range", "nilai", "Nilai layanan", "start=0 end=10 step=2", "yes"),
    ("geopoint", "lokasi", "Lokasi kantor", "", ""),
    ("rank p", "prioritas", "Urutkan prioritas", "", ""),
    ("image", "foto", "Foto kantor", "", "yes"),
    ("deviceid", "perangkat", "", "", ""),
    ("start", "mulai", "", "", ""),
    ("end", "selesai", "", "", ""),
]
CHOICES = [("list_name", "name", "label"), ("p", "dana", "Dana"), ("p", "waktu", "Waktu")]


@pytest.fixture
def widget_link(transactional_db):
    import io

    import openpyxl

    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    workbook = openpyxl.Workbook()
    workbook.active.title = "survey"
    for row in SURVEY:
        workbook.active.append([v or None for v in row])
    choices = workbook.create_sheet("choices")
    for row in CHOICES:
        choices.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    organisation = Organisation.objects.create(name="BKPSDM Uji", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Uji", period="2025")
    instrument, problems = services.add_instrument(evaluation, buffer.getvalue(), "widget.xlsx")
    assert instrument is not None, problems
    return RespondentLink.make(instrument, "open")[1]


@pytest.mark.browser
def test_it_checks_range_geopoint_and_rank_and_sends_metadata(
    live_server, widget_link, chromium_path
):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        page.goto(f"{live_server.url}/f/{widget_link}/")
        page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
        assert page.locator('[name="perangkat"], [name="mulai"], [name="foto"]').count() == 0
        expect(page.get_by_text("ODK Collect / KoboCollect")).to_be_visible()
        page.get_by_label("Nilai layanan").fill("11")
        page.get_by_label("Lokasi kantor").fill("-10.17 abc")
        page.get_by_role("button", name="Kirim", exact=True).last.click()
        expect(page.locator("#ringkasan-galat")).to_contain_text("Nilai layanan")
        expect(page.locator("#ringkasan-galat")).to_contain_text("Lokasi kantor")
        page.get_by_label("Nilai layanan").fill("8")
        page.get_by_label("Lokasi kantor").fill("-10.1772 123.6070")
        page.get_by_label("Peringkat 1").select_option("waktu")
        page.get_by_label("Peringkat 2").select_option("dana")
        page.get_by_role("button", name="Kirim", exact=True).last.click()
        expect(page.locator("#selesai")).to_be_visible()
        browser.close()
    answers = Submission.objects.get().answers
    assert answers["nilai"] == 8 and answers["lokasi"] == "-10.1772 123.6070 0 0"
    assert answers["prioritas"] == "waktu dana"
    assert answers["mulai"] <= answers["selesai"] and "perangkat" not in answers
