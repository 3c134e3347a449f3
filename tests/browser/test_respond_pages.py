"""A long respondent form on a phone, one group a page: progress, answers kept between pages
and over a reload, errors on another page reachable from the summary, errors gone once fixed."""

from __future__ import annotations

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE
from tests.browser.test_respond_offline import NIP
from tests.browser.test_respond_offline import survey_link as survey_link  # the fixture


def _start(page, url):
    page.goto(url)
    page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()


@pytest.mark.browser
def test_it_pages_the_form_and_keeps_the_place_and_answers(live_server, survey_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        _start(page, f"{live_server.url}/f/{token}/")
        progress = page.locator("#kemajuan")
        expect(progress).to_contain_text("Bagian 1 dari 6")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 2500  # one page of the form, not the whole of it (~11,000 px)
        page.locator("input[name=persetujuan][value=ya]").check()
        page.get_by_role("button", name="Berikutnya").click()
        expect(progress).to_contain_text("Bagian 2 dari 6: Identitas")
        expect(progress).to_be_focused()  # the new page is announced by its name
        page.get_by_label("NIP", exact=False).first.fill(NIP)
        page.reload()
        expect(progress).to_contain_text("Bagian 2 dari 6")  # the same page after a reload
        assert page.get_by_label("NIP", exact=False).first.input_value() == NIP
        page.get_by_role("button", name="Sebelumnya").click()
        expect(progress).to_contain_text("Bagian 1 dari 6")
        # declining: the pages that follow are not asked, the form can be sent from here
        page.locator("input[name=persetujuan][value=tidak]").check()
        expect(progress).to_contain_text("Bagian 1 dari 1")
        expect(page.get_by_role("button", name="Kirim", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Berikutnya")).to_be_hidden()
        browser.close()


@pytest.mark.browser
def test_errors_of_another_page_lead_to_the_field_and_go_once_fixed(
    live_server, survey_link, chromium_path
):
    from playwright.sync_api import expect, sync_playwright

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        _start(page, f"{live_server.url}/f/{token}/")
        page.locator("input[name=persetujuan][value=ya]").check()
        page.get_by_role("button", name="Berikutnya").click()
        page.get_by_role("button", name="Berikutnya").click()  # NIP and the rest left empty
        summary = page.locator("#ringkasan-galat")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        # the link lands in the input, not on a legend
        summary.get_by_role("link").filter(has_text="Instansi").click()
        expect(page.locator("#f-instansi")).to_be_focused()
        assert page.locator("#f-instansi").get_attribute("type") == "radio"
        group = page.locator("#q-instansi [role=radiogroup]")
        assert group.get_attribute("aria-invalid") == "true"
        assert group.get_attribute("aria-required") == "true"
        # fixed: the error and its line in the summary go at once
        page.locator("input[name=instansi]").first.check()
        expect(page.locator("#err-instansi")).to_be_empty()
        assert group.get_attribute("aria-invalid") is None
        expect(summary.get_by_role("link").filter(has_text="Instansi")).to_have_count(0)
        expect(summary.get_by_role("link").filter(has_text="NIP")).to_have_count(1)
        browser.close()
