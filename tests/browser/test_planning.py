"""An evaluator drafts a flexible schedule from the demo evaluation and reads it by unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import LAUNCH_ARGS

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kupang-2025"


@pytest.fixture
def demo_evaluation(db, settings):
    from django.contrib.auth import get_user_model

    from tilik.web.evaluations.bundles import import_bundle, read_bundle_for_db

    settings.TILIK_SCHEDULE_TIME_LIMIT = 8
    user = get_user_model().objects.create_user("evaluator", password="rahasia-uji-123")
    return import_bundle(read_bundle_for_db(DEMO), user=user).evaluation


@pytest.mark.browser
def test_it_drafts_solves_and_shows_a_schedule(
    live_server, demo_evaluation, chromium_path, tmp_path
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.goto(f"{live_server.url}/evaluasi/{demo_evaluation.pk}/jadwal/")
        page.get_by_label("Nama pengguna").fill("evaluator")
        page.get_by_label("Kata sandi").fill("rahasia-uji-123")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("button", name="Susun draf dari data evaluasi").click()
        assert page.get_by_text("Draf disusun dari data evaluasi").is_visible()
        page.get_by_role("button", name="Susun jadwal").click()
        page.wait_for_url("**/jadwal/hasil/**", timeout=120_000)
        assert page.get_by_text("Jadwal tersusun").first.is_visible()
        assert (
            page.get_by_role("table")
            .filter(has_text="Menyelesaikan semua modul wajib")
            .is_visible()
        )
        page.screenshot(path=str(tmp_path / "run.png"), full_page=True)
        page.get_by_role("link", name="Puskesmas Oepoi").click()
        assert page.get_by_role("heading", name="Puskesmas Oepoi").is_visible()
        assert page.get_by_role("cell").filter(has_text="pagi:").first.is_visible()
        page.screenshot(path=str(tmp_path / "unit.png"), full_page=True)
        browser.close()
