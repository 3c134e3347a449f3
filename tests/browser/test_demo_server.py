"""The product as it ships: `tilik demo` in a subprocess, used in Chromium, stopped with Ctrl-C.

This is the path a new user takes after `make run`: log in with the printed password, run
the analysis again from the results page and see it finish (the web server forks its workers
before any thread pool exists; a worker process does the analysis), cancel a run, stop.
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


@pytest.fixture
def demo_server(tmp_path):
    """`tilik demo` on a free port with its own data folder; yields (url, password, process)."""
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


def test_the_demo_server_runs_cancels_and_stops(demo_server, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    url, password, process, root = demo_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.goto(f"{url}/")
        page.get_by_label("Nama pengguna").fill("demo")
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
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
