"""A unit reports two activities on a phone: adds an instance, reloads, sends offline, later."""

from __future__ import annotations

import pytest

from tests.browser.support import LAUNCH_ARGS, PHONE
from tests.web.test_respond_repeats import COUNTED, SURVEY, xlsform


def _link(survey, form_id):
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name="BKPSDM Kota Uji", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Uji", period="2025")
    data = xlsform(survey, form_id)
    instrument, problems = services.add_instrument(evaluation, data, f"{form_id}.xlsx")
    assert instrument is not None, problems
    _, token = RespondentLink.make(instrument, "single")
    return token


@pytest.fixture
def report_link(transactional_db):
    return _link(SURVEY, "laporan_kegiatan")


@pytest.fixture
def counted_link(transactional_db):
    return _link(COUNTED, "tetap")


def field(page, key):
    return page.locator(f'[name="{key}"]')


def _fill_first(page):
    page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
    page.get_by_label("Nama unit").fill("Puskesmas Oesapa")
    page.get_by_role("button", name="Berikutnya").click()  # the repeat has a page of its own
    field(page, "kegiatan[1]/judul").fill("Kelas layanan prima")
    field(page, "kegiatan[1]/peserta").fill("12")
    page.locator('[name="kegiatan[1]/daring"][value=tidak]').check()
    field(page, "kegiatan[1]/sesi[1]/jam").fill("2")


@pytest.mark.browser
def test_it_adds_an_instance_keeps_it_over_a_reload_and_sends_it_later(
    live_server, report_link, chromium_path
):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/f/{report_link}/")
        _fill_first(page)
        expect(page.locator("#q-catatan")).to_be_hidden()  # count(${kegiatan}) >= 2
        add = page.get_by_role("button", name="Tambah Kegiatan", exact=True)
        assert add.bounding_box()["height"] >= 44
        add.click()
        expect(page.locator("#status")).to_contain_text("Kegiatan 2 ditambahkan")
        expect(field(page, "kegiatan[2]/judul")).to_be_focused()
        expect(page.locator("#inst-kegiatan\\:2 > legend")).to_have_text("Kegiatan 2")
        expect(page.locator("input[name='_count:kegiatan']")).to_have_value("2")
        assert page.locator("label[for='f-kegiatan:2:judul']").count() == 1
        page.keyboard.type("Coaching")
        field(page, "kegiatan[2]/peserta").fill("4")
        page.locator('[name="kegiatan[2]/daring"][value=ya]').check()
        # relevance is decided inside each instance: only the second asks for a platform
        expect(page.locator("#q-kegiatan\\:2\\:platform")).to_be_visible()
        expect(page.locator("#q-kegiatan\\:1\\:platform")).to_be_hidden()
        field(page, "kegiatan[2]/platform").fill("Zoom")
        # the choice filter reads the instance's own answer
        page.locator('[name="kegiatan[2]/jenis"][value=coaching]').check()
        expect(page.locator('[name="kegiatan[2]/materi"][value=karier]')).to_be_visible()
        expect(page.locator('[name="kegiatan[2]/materi"][value=etika]')).to_be_hidden()
        expect(page.locator('[name="kegiatan[1]/materi"][value=etika]')).to_be_hidden()
        page.locator('[name="kegiatan[2]/materi"][value=karier]').check()
        field(page, "kegiatan[2]/sesi[1]/jam").fill("1")
        page.get_by_role("button", name="Berikutnya").click()
        expect(page.locator("#q-catatan")).to_be_visible()
        page.get_by_label("Catatan untuk lebih dari satu kegiatan").fill("Dua kegiatan")

        page.reload()
        expect(page.locator("#status")).to_contain_text("dipulihkan")
        instances = page.locator(".rep-block[data-path=kegiatan] > .rep-instances > .rep-instance")
        expect(instances).to_have_count(2)
        expect(field(page, "kegiatan[2]/judul")).to_have_value("Coaching")
        expect(field(page, "kegiatan[1]/sesi[1]/jam")).to_have_value("2")
        expect(field(page, "kegiatan[2]/platform")).to_have_value("Zoom")
        assert page.locator('[name="kegiatan[2]/daring"][value=ya]').is_checked()
        expect(page.locator("#q-catatan")).to_be_visible()

        context.set_offline(True)
        page.get_by_role("button", name="Kirim", exact=True).click()
        expect(page.locator("#status")).to_contain_text("Belum terkirim")
        assert Submission.objects.count() == 0
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#selesai")).to_be_visible(timeout=15000)
        answers = Submission.objects.get().answers
        assert [k["judul"] for k in answers["kegiatan"]] == ["Kelas layanan prima", "Coaching"]
        assert answers["kegiatan"][1]["sesi"] == [{"jam": 1}]
        assert answers["total_peserta"] == "16" and answers["catatan"] == "Dua kegiatan"
        assert answers["kegiatan"][1]["materi"] == "karier"
        browser.close()


@pytest.mark.browser
def test_it_removes_an_instance_and_renumbers_the_rest(live_server, report_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        page.goto(f"{live_server.url}/f/{report_link}/")
        _fill_first(page)
        add = page.get_by_role("button", name="Tambah Kegiatan", exact=True)
        add.click()
        field(page, "kegiatan[2]/judul").fill("Kedua")
        add.click()
        field(page, "kegiatan[3]/judul").fill("Ketiga")
        # a nested repeat in a new instance starts with one instance of its own
        page.get_by_role("button", name="Tambah Sesi").nth(2).click()
        field(page, "kegiatan[3]/sesi[2]/jam").fill("5")

        page.get_by_role("button", name="Hapus Kegiatan 2").press("Enter")
        expect(page.locator("#status")).to_contain_text("Kegiatan 2 dihapus")
        expect(add).to_be_focused()
        expect(page.locator("input[name='_count:kegiatan']")).to_have_value("2")
        expect(field(page, "kegiatan[2]/judul")).to_have_value("Ketiga")
        expect(field(page, "kegiatan[2]/sesi[2]/jam")).to_have_value("5")
        expect(page.locator("input[name='_count:kegiatan[2]/sesi']")).to_have_value("2")
        assert field(page, "kegiatan[3]/judul").count() == 0
        expect(page.locator("#inst-kegiatan\\:2 > legend")).to_have_text("Kegiatan 2")
        assert (
            page.locator("#f-kegiatan\\:2\\:sesi\\:2\\:jam").get_attribute("aria-describedby")
            == "err-kegiatan:2:sesi:2:jam"
        )

        field(page, "kegiatan[2]/judul").fill("")
        page.get_by_role("button", name="Berikutnya").click()  # the page it leaves is checked
        expect(page.locator("#ringkasan-galat")).to_contain_text("Kegiatan 2 › Judul kegiatan")
        expect(page.locator("#err-kegiatan\\:2\\:judul")).to_have_text(
            "Pertanyaan ini wajib dijawab."
        )
        browser.close()


@pytest.mark.browser
def test_it_follows_a_repeat_count_taken_from_an_answer(live_server, counted_link, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    from tilik.web.collection.models import Submission

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
        page.goto(f"{live_server.url}/f/{counted_link}/")
        page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()
        assert page.get_by_role("button", name="Tambah Kegiatan").count() == 0
        assert page.get_by_role("button", name="Hapus").count() == 0
        expect(page.locator("input[name='_count:kegiatan']")).to_have_value("0")
        page.get_by_label("Berapa kegiatan?").fill("3")
        expect(page.locator("input[name='_count:kegiatan']")).to_have_value("3")
        page.get_by_label("Berapa kegiatan?").fill("2")
        expect(page.locator("input[name='_count:kegiatan']")).to_have_value("2")
        page.get_by_role("button", name="Berikutnya").click()
        field(page, "kegiatan[1]/judul").fill("A")
        field(page, "kegiatan[2]/judul").fill("B")
        page.get_by_role("button", name="Kirim", exact=True).click()
        expect(page.locator("#selesai")).to_be_visible(timeout=15000)
        answers = Submission.objects.get().answers
        assert answers["n"] == 2 and [k["judul"] for k in answers["kegiatan"]] == ["A", "B"]
        browser.close()
