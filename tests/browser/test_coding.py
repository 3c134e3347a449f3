"""An evaluator reviews theme codes with the keyboard only; saves go by fetch, no reload."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import open_logged_in

TRANSCRIPT = """P: Bagaimana pelatihannya?
N: Materinya sangat bermanfaat untuk pelayanan di loket, saya jadi lebih sabar.
P: Ada kendala?
N: Jadwal pelatihan bentrok dengan jam pelayanan, jadi saya sering keluar kelas.
P: Bagaimana sarana?
N: Internet di kantor sering putus waktu e-learning.
"""


@pytest.fixture
def evaluation(cast):
    from tilik.web.coding import services
    from tilik.web.collection.models import Interview

    services.clear_caches()
    Interview.objects.create(
        evaluation=cast.evaluation_a,
        file_name="01.txt",
        role="peserta",
        sector="kesehatan",
        transcript=TRANSCRIPT,
    )
    return cast.evaluation_a


@pytest.mark.browser
def test_it_reviews_codes_with_the_keyboard(live_server, evaluation, chromium_path, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.coding.models import ManualCode

    with sync_playwright() as p:
        url = f"{live_server.url}/evaluasi/{evaluation.pk}/pengodean/"
        browser, page = open_logged_in(p, chromium_path, url, "alice", "pw-alice")
        items = page.locator(".ct-item")
        expect(items).to_have_count(3)
        expect(items.nth(0)).to_have_class(re.compile("is-current"))

        page.keyboard.press("a")  # accept the first text as coded, move on
        expect(items.nth(0)).to_have_class(re.compile("is-reviewed"))
        expect(items.nth(1)).to_have_class(re.compile("is-current"))

        page.keyboard.press("9")  # add "anggaran" to the second text, then save
        page.keyboard.press("Enter")
        expect(items.nth(1)).to_have_class(re.compile("is-reviewed"))

        page.keyboard.press("k")  # back up, then down twice with j and the arrow key
        expect(items.nth(1)).to_have_class(re.compile("is-current"))
        page.keyboard.press("j")
        expect(items.nth(2)).to_have_class(re.compile("is-current"))
        page.keyboard.press("s")  # cycle the sentiment, save with ctrl+s
        page.keyboard.press("Control+s")
        expect(items.nth(2)).to_have_class(re.compile("is-reviewed"))
        expect(page.locator("[data-count=reviewed]")).to_have_text("3")
        page.screenshot(path=str(tmp_path / "coding.png"), full_page=True)
        browser.close()

    codes = {m.text[:8]: m for m in ManualCode.objects.filter(evaluation=evaluation)}
    assert set(codes) == {"Materiny", "Jadwal p", "Internet"}
    assert "anggaran" in codes["Jadwal p"].themes and "jadwal" in codes["Jadwal p"].themes
    assert codes["Materiny"].themes  # accepted as coded, not emptied


SIMILAR = """P: Kendala?
N: Internet di kantor sering putus waktu e-learning.
P: Lainnya?
N: Internet kantor sering putus saat e-learning, jadi kami ketinggalan.
P: Materi?
N: Widyaiswara sangat menguasai materi dan sabar menjelaskan.
"""


@pytest.mark.browser
def test_it_shows_which_texts_a_correction_recoded(live_server, cast, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.coding import services
    from tilik.web.collection.models import Interview

    services.clear_caches()
    Interview.objects.create(
        evaluation=cast.evaluation_a, file_name="02.txt", role="peserta", transcript=SIMILAR
    )
    with sync_playwright() as p:
        url = f"{live_server.url}/evaluasi/{cast.evaluation_a.pk}/pengodean/"
        browser, page = open_logged_in(p, chromium_path, url, "alice", "pw-alice")
        corrected = page.locator(".ct-item", has_text="waktu e-learning")
        similar = page.locator(".ct-item", has_text="jadi kami ketinggalan")
        expect(similar.locator("[data-recoded]")).to_be_hidden()
        corrected.locator(".ct-text").click()
        expect(corrected).to_have_class(re.compile("is-current"))
        page.keyboard.press("8")  # add "jadwal" to the text, then save
        page.keyboard.press("Enter")
        expect(page.locator("#ct-status")).to_contain_text("teks serupa dikode ulang")
        expect(similar.locator("[data-recoded]")).to_be_visible()
        browser.close()


@pytest.mark.browser
def test_one_click_on_another_cards_theme_changes_it(live_server, evaluation, chromium_path):
    """A newcomer clicked a checked theme on a card that was not the current one: the card
    opened and the theme stayed checked, so a removal they believed done was not."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        url = f"{live_server.url}/evaluasi/{evaluation.pk}/pengodean/"
        browser, page = open_logged_in(p, chromium_path, url, "alice", "pw-alice")
        items = page.locator(".ct-item")
        expect(items.nth(0)).to_have_class(re.compile("is-current"))
        other = items.nth(1)
        checked = other.locator("label.ct-toggle:has(input:checked)").first
        box = checked.locator("input")
        name = box.get_attribute("value")
        checked.click()
        expect(other).to_have_class(re.compile("is-current"))
        expect(other.locator(f"input[name=themes][value='{name}']")).not_to_be_checked()
        browser.close()
