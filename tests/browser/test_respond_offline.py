"""A respondent fills the participant survey on a phone, loses the connection, sends later."""

from __future__ import annotations

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE, answer_pages, visible_radio_groups

NIP = "198503122010011001"


@pytest.fixture
def survey_link(transactional_db):
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name="BKPSDM Kota Uji", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Uji", period="2025")
    (instrument,) = services.add_standard_instruments(evaluation, ["survei_peserta"])
    _, token = RespondentLink.make(instrument, "single")
    return instrument, token


def _answer(section):
    for name in visible_radio_groups(section):
        choice = "[value=ya]" if name == "persetujuan" else ""
        section.locator(f"input[name={name}]{choice}").last.check()
    if section.locator("input[name=nip]").count():
        section.locator("input[name=nip]").fill(NIP)
    if section.locator("input[name=hambatan]").count():
        section.locator("input[name=hambatan][value=beban_kerja]").check()


def _fill(page, instrument):
    page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
    assert answer_pages(page, _answer) == 6  # consent, then one page per group


@pytest.mark.browser
def test_it_sends_after_the_connection_comes_back(
    live_server, survey_link, chromium_path, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/f/{token}/")
        _fill(page, instrument)
        context.set_offline(True)
        page.get_by_role("button", name="Kirim").click()
        expect(page.locator("#status")).to_contain_text("Belum terkirim")
        assert Submission.objects.count() == 0
        page.screenshot(path=str(tmp_path / "offline.png"), full_page=True)
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#selesai")).to_be_visible(timeout=15000)
        assert Submission.objects.count() == 1
        instance_id = Submission.objects.get().instance_id
        # a retry that arrives late (the phone never saw the answer) is accepted once
        status = page.evaluate(
            """async ([url, id]) => {
                 const r = await fetch(url, {method: 'POST', headers: {'Content-Type':
                   'application/json'}, body: JSON.stringify({instance_id: id, answers: {}})});
                 return r.status; }""",
            [f"/f/{token}/kirim/", instance_id],
        )
        assert status in (200, 400, 410)
        assert Submission.objects.count() == 1
        assert Submission.objects.get().answers["nip"] == NIP
        browser.close()


@pytest.mark.browser
def test_it_restores_answers_after_a_reload(live_server, survey_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/f/{token}/")
        _fill(page, instrument)
        first_id = page.locator("input[name=_instance_id]").input_value()
        page.reload()
        expect(page.locator("#status")).to_contain_text("dipulihkan")
        assert page.locator("input[name=_instance_id]").input_value() == first_id
        assert page.get_by_label("NIP", exact=False).first.input_value() == NIP
        assert page.locator("input[name=persetujuan][value=ya]").is_checked()
        page.get_by_role("button", name="Kirim").click()
        expect(page.locator("#selesai")).to_be_visible(timeout=15000)
        assert Submission.objects.get().instance_id == first_id
        browser.close()


@pytest.mark.browser
def test_it_announces_errors_next_to_their_fields(live_server, survey_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(f"{live_server.url}/f/{token}/")
        assert page.locator("#privasi-rincian").evaluate("d => d.open")  # read first
        page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
        assert not page.locator("#privasi-rincian").evaluate("d => d.open")  # then folded
        page.locator("input[name=persetujuan][value=ya]").check()
        page.get_by_role("button", name="Berikutnya").click()
        expect(page.locator("#kemajuan")).to_contain_text("Bagian 2 dari 6: Identitas")
        page.get_by_label("NIP", exact=False).first.fill("123")
        page.get_by_role("button", name="Berikutnya").click()  # checks the page it leaves
        summary = page.locator("#ringkasan-galat")
        expect(summary).to_be_visible()
        expect(page.locator("#err-nip")).not_to_be_empty()
        assert page.locator("#f-nip").get_attribute("aria-invalid") == "true"
        assert "err-nip" in page.locator("#f-nip").get_attribute("aria-describedby")
        browser.close()


@pytest.mark.browser
def test_it_opens_again_offline_and_sends_later(live_server, survey_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    instrument, token = survey_link
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/f/{token}/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        # the worker active and watching this page (a respondent coming back later finds it so)
        page.wait_for_function(
            """async () => {
                 const r = await navigator.serviceWorker.getRegistration('/f/');
                 return !!(r && r.active && r.active.state === 'activated'
                           && navigator.serviceWorker.controller); }"""
        )
        page.wait_for_function(
            """async (path) => {
                 const cache = await caches.open('tilik-formulir');
                 return !!(await cache.match(path)); }""",
            arg=f"/f/{token}/",
        )
        # a second visit online is answered through the worker, which keeps that copy too
        page.reload()
        page.wait_for_function("!!navigator.serviceWorker.controller")
        context.set_offline(True)
        page.reload(timeout=15_000)  # the browser's error page without the service worker
        expect(page.get_by_role("button", name="Saya mengerti, mulai mengisi")).to_be_visible()
        _fill(page, instrument)
        page.get_by_role("button", name="Kirim").click()
        expect(page.locator("#status")).to_contain_text("Belum terkirim")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#selesai")).to_be_visible(timeout=15000)
        assert Submission.objects.count() == 1
        browser.close()
