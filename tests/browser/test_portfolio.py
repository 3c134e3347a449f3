"""A province's leader reads the portfolio: its two regencies' evaluations side by side."""

from __future__ import annotations

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE
from tests.portfolio_builders import province


@pytest.mark.browser
def test_a_leader_sees_two_organisations_evaluations_side_by_side(
    live_server, cast, chromium_path, tmp_path
):
    from playwright.sync_api import sync_playwright

    top, _ = province(cast)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.goto(f"{live_server.url}/")
        page.get_by_label("Nama pengguna").fill("lena")
        page.get_by_label("Kata sandi").fill("pw-lena-uji-123")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("link", name="Portofolio").click()
        page.get_by_role("link", name=top.name).click()
        assert page.get_by_role("heading", name=top.name, level=1).is_visible()
        a = page.get_by_role("region", name="BKPSDM Kota A")
        b = page.get_by_role("region", name="BKPSDM Kabupaten B")
        box_a, box_b = a.bounding_box(), b.bounding_box()
        assert abs(box_a["y"] - box_b["y"]) < 2 and box_b["x"] + box_b["width"] <= box_a["x"]
        assert "80,13" in a.inner_text() and "76,10" in a.inner_text()
        assert "72,40" in b.inner_text() and "Evaluasi B" in b.inner_text()
        page.screenshot(path=str(tmp_path / "portofolio.png"), full_page=True)
        page.select_option("#f-tahun", "2024")
        with page.expect_navigation():
            page.get_by_role("button", name="Saring").click()
        assert page.get_by_role("region", name="BKPSDM Kota A").is_visible()
        assert page.get_by_role("region", name="BKPSDM Kabupaten B").count() == 0
        phone = browser.new_page(viewport=PHONE, locale="id-ID")
        phone.context.add_cookies(page.context.cookies())
        phone.goto(page.url.split("?")[0])
        top_a = phone.get_by_role("region", name="BKPSDM Kota A").bounding_box()
        top_b = phone.get_by_role("region", name="BKPSDM Kabupaten B").bounding_box()
        assert top_a["y"] > top_b["y"] + top_b["height"] - 1  # stacked on a phone
        browser.close()
