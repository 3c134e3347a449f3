"""A newcomer logs in and sees the demo evaluation, in Indonesian then English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import LAUNCH_ARGS

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"


@pytest.fixture
def demo_evaluation(db):
    from django.contrib.auth import get_user_model

    from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db

    user = get_user_model().objects.create_user("evaluator", password="rahasia-uji-123")
    return import_bundle(read_bundle_for_db(DEMO), user=user).evaluation


@pytest.mark.browser
def test_it_shows_the_demo_evaluation_after_login(
    live_server, demo_evaluation, chromium_path, tmp_path
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.goto(f"{live_server.url}/")
        page.get_by_label("Nama pengguna").fill("evaluator")
        page.get_by_label("Kata sandi").fill("rahasia-uji-123")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("link", name=demo_evaluation.title).click()
        assert page.get_by_role("heading", name=demo_evaluation.title).is_visible()
        assert page.get_by_text("Instrumen dan jumlah respons").is_visible()
        survey = demo_evaluation.instruments.get(form_id="survei_peserta")
        row = page.get_by_role("row").filter(has_text=survey.title)  # by its title, not its id
        count = survey.submissions.count()
        assert str(count) in row.inner_text()
        page.screenshot(path=str(tmp_path / "detail-id.png"), full_page=True)
        with page.expect_navigation():
            page.select_option("#lang-select", "en")
        assert page.get_by_text("Instruments and responses").is_visible()
        browser.close()
