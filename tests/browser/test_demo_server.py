"""The product as it ships: `tilik demo` in a subprocess, used in Chromium, stopped with Ctrl-C.

This is the path a new user takes after `make run`: log in with the printed password, make a
new evaluation entirely in the browser (programs, a participant list, a standard instrument,
responses through respondent links, the analysis, the report downloaded), run the demo's
analysis again from the results page and see it finish (the web server forks its workers
before any thread pool exists; a worker process does the analysis), cancel a run, stop.
The tests share one server, in file order: the last one stops it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.support import LAUNCH_ARGS
from tests.web.test_jobs import job_children

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`tilik demo` on a free port with its own data folder; yields (url, password, process)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TILIK_", "DATABASE_URL"))}
    env.update(
        TILIK_DATA=str(tmp_path / "data"),
        TILIK_OUTPUT=str(tmp_path / "out"),
        DJANGO_SETTINGS_MODULE="tilik.web.settings",
    )
    log = (tmp_path / "demo.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "tilik", "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C goes to the whole group, as in a terminal
    )
    try:
        deadline = time.monotonic() + 600
        text = ""
        while "Ctrl+C" not in text:
            assert process.poll() is None, Path(log.name).read_text()
            assert time.monotonic() < deadline, text
            time.sleep(0.5)
            text = Path(log.name).read_text()
        password = re.search(r"kata sandi «([^»]+)»", text)
        assert password, text
        assert "DEBUG" not in text and "Traceback" not in text
        assert (tmp_path / "out" / "kupang-2025" / "laporan.pdf").is_file()
        yield f"http://127.0.0.1:{port}", password.group(1), process, tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _log_in(page, url, password):
    page.goto(f"{url}/")
    page.get_by_label("Nama pengguna").fill("demo")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


NIPS = ["198607152015011351", "199001012019032004", "198503122010011001"]
PARTICIPANTS = (
    "NIP BARU;NAMA;INSTANSI KERJA;UNOR;JABATAN;GOL. RUANG;PROGRAM;ANGKATAN\n"
    f"{NIPS[0]};Maria Uji;Dinas Kesehatan Kota Kupang;Puskesmas Oesapa;Perawat;III/b;"
    "Pelatihan Pelayanan Prima;1\n"
    f"{NIPS[1]};Yosef Uji;Dinas Kesehatan Kota Kupang;Puskesmas Oepoi;Bidan;III/a;"
    "Pelatihan Pelayanan Prima;1\n"
    f"{NIPS[2]};Ani Uji;Dinas Kependudukan dan Pencatatan Sipil Kota Kupang;;Pengadministrasi;"
    "II/c;Pelatihan Pelayanan Prima;1\n"
)


def _respond(browser, link, nip):
    """A participant answers the survey on a phone through a one-time link."""
    from playwright.sync_api import expect

    from tests.browser.support import PHONE, answer_pages, visible_radio_groups

    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(link)
    page.get_by_role("button", name="Saya mengerti, mulai mengisi").click()

    def answer(section):
        if section.locator("input[name=nip]").count():
            section.locator("input[name=nip]").fill(nip)
            # the choices are this evaluation's organisations and programs
            section.get_by_label("Dinas Kesehatan Kota Kupang").check()
            section.get_by_label("Pelatihan Pelayanan Prima").check()
        for name in visible_radio_groups(section):
            if name == "persetujuan":
                section.locator("input[name=persetujuan][value=ya]").check()
            elif not section.locator(f"input[name={name}]:checked").count():
                section.locator(f"input[name={name}]").last.check()
        if section.locator("input[name=hambatan]").count():
            section.locator("input[name=hambatan][value=beban_kerja]").check()

    assert answer_pages(page, answer) == 6
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator("#selesai")).to_be_visible(timeout=30_000)
    context.close()


def test_a_new_evaluation_goes_from_creation_to_a_downloaded_report(
    demo_server, chromium_path, tmp_path
):
    """Everything in the browser: no CLI, no administration pages."""
    from playwright.sync_api import expect, sync_playwright

    url, password, _process, _root = demo_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        _log_in(page, url, password)
        page.get_by_role("link", name="Evaluasi baru").click()
        page.get_by_label("Judul evaluasi").fill("Evaluasi Pelatihan Pelayanan Prima 2026")
        page.get_by_label("Periode").fill("2026")
        # the user's only organisation is already chosen
        expect(page.get_by_label("Instansi")).to_have_value(re.compile(r"\d+"))
        page.get_by_label("Program yang dievaluasi").fill("Pelatihan Pelayanan Prima")
        for box in page.locator("input[name=instruments]").all():
            box.uncheck()  # instruments are added later, from the evaluation
        page.get_by_role("button", name="Buat evaluasi").click()
        expect(
            page.get_by_role("heading", name="Evaluasi Pelatihan Pelayanan Prima 2026")
        ).to_be_visible()
        detail = page.url

        # the program's details and its angkatan
        page.get_by_role("link", name="Pelatihan Pelayanan Prima", exact=True).click()
        page.get_by_label("Jenis").fill("pelatihan teknis")
        page.get_by_label("JP").fill("30")
        page.get_by_label("Mulai").first.fill("2026-03-09")
        page.get_by_label("Selesai").first.fill("2026-03-13")
        page.get_by_label("Anggaran (Rp)").fill("45000000")
        page.get_by_label("Jumlah peserta terdaftar").fill("3")
        page.get_by_label("Nama angkatan").fill("1")
        page.get_by_role("button", name="Simpan program").click()
        expect(page.get_by_text("Program disimpan.")).to_be_visible()

        # the participant list, read by a worker
        page.get_by_role("link", name="Impor daftar peserta").click()
        page.get_by_label("Daftar peserta (CSV atau XLSX)").set_input_files(
            {"name": "siasn.csv", "mimeType": "text/csv", "buffer": PARTICIPANTS.encode()}
        )
        page.get_by_role("button", name="Impor", exact=True).click()
        counts = page.locator(".counts-sum")
        expect(counts).to_contain_text("3 baris dibaca", timeout=120_000)
        expect(counts).to_contain_text("3 disimpan")

        # a standard instrument, with this evaluation's organisations and program
        page.goto(detail)
        page.get_by_role("link", name="Tambah instrumen").click()
        page.get_by_label("Survei peserta").check()
        page.get_by_role("button", name="Tambahkan instrumen standar").click()
        page.get_by_role("link", name="Survei Peserta", exact=False).first.click()
        page.get_by_role("link", name="Tautan responden").click()
        page.get_by_label("Jumlah tautan sekali pakai").fill("3")
        page.get_by_role("button", name="Buat", exact=True).click()
        links = page.locator(".links-new a").evaluate_all("els => els.map(e => e.href)")
        assert len(links) == 3
        for link, nip in zip(links, NIPS):
            _respond(browser, link, nip)
        page.goto(detail)
        row = page.get_by_role("row").filter(has_text="Survei Peserta")
        expect(row).to_contain_text("3")

        # the analysis, by a worker, then the report
        page.get_by_role("link", name="Hasil dan laporan").click()
        page.get_by_role("button", name="Jalankan analisis").click()
        expect(page.get_by_role("heading", name="Unduh laporan")).to_be_visible(timeout=300_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="laporan.pdf").click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        with page.expect_download() as download:
            page.get_by_role("link", name="laporan.html").click()
        html = Path(download.value.path()).read_text(encoding="utf-8")
        assert "Evaluasi Pelatihan Pelayanan Prima 2026" in html
        assert "Pelatihan Pelayanan Prima" in html and NIPS[0] not in html
        assert "Maria Uji" not in html
        browser.close()


def test_the_demo_server_runs_cancels_and_stops(demo_server, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    url, password, process, root = demo_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        _log_in(page, url, password)
        page.get_by_role("link", name="Evaluasi Program Pembinaan ASN Kota Kupang 2025").click()
        results = page.url.rstrip("/") + "/hasil/"
        page.goto(results)

        # Run the analysis again and wait for it to finish (the page reloads by itself).
        page.get_by_role("button", name="Jalankan ulang analisis").click()
        expect(page.get_by_role("heading", name="Analisis sedang berjalan")).to_be_visible()
        running = page.get_by_role("heading", name="Analisis sedang berjalan")
        expect(running).to_be_hidden(timeout=300_000)
        expect(page.get_by_role("heading", name="Unduh laporan")).to_be_visible()
        status = page.request.get(results + "status/").json()
        assert status["status"] == "done", status

        # Start another and cancel it: the last results stay.
        page.get_by_role("button", name="Jalankan ulang analisis").click()
        page.get_by_role("button", name="Batalkan analisis").click()
        expect(page.get_by_text("Analisis dibatalkan.")).to_be_visible(timeout=60_000)
        assert page.request.get(results + "status/").json()["status"] == "cancelled"
        expect(page.get_by_role("heading", name="Unduh laporan")).to_be_visible()
        browser.close()

    # Ctrl-C in the terminal: the whole group gets SIGINT; everything stops.
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    assert job_children(root / "data") == []
