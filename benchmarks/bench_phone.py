"""How soon a respondent can use the participant survey on a weak phone.

Serves the app as `tilik serve` does (gunicorn, static files collected: hashed, compressed,
cached) on 127.0.0.1 with a fresh SQLite file, and opens a respondent link in Chromium with
the phone throttled through the DevTools protocol: CPU 4× slower
(``Emulation.setCPUThrottlingRate``) and a 400 kbit/s, 400 ms network
(``Network.emulateNetworkConditions``), on a 390×844 screen. The same steps unthrottled are
the baseline of the same run.

Measured from the start of the navigation, median of ``--runs`` cold opens (empty cache):

- *usable*: the page's script has run and the "Saya mengerti, mulai mengisi" button shows
  (before it the form cannot be filled);
- *first field*: after pressing it, the first answer has the focus;
- *next page*: "Berikutnya" after the first page's answer, until the second page shows;
- *bytes*: what crossed the network (compressed), and the page's height once the form shows;
- *warm*: a second open of the same link (the browser's cache and the service worker).

Usage::

    .venv/bin/python benchmarks/bench_phone.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHONE = {"width": 390, "height": 844}
THROTTLED = {"cpu": 4, "latency": 400, "kbps": 400}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(env: dict[str, str]) -> str:
    """Migrate, collect static files, make an evaluation with the participant survey and an
    open link; returns its token."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tilik.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name="BKPSDM Bench", kind="instansi")
    evaluation = Evaluation.objects.create(organisation=organisation, title="Bench", period="2025")
    (instrument,) = services.add_standard_instruments(evaluation, ["survei_peserta"])
    _, token = RespondentLink.make(instrument, "open")
    return token


def _wait(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _open(browser, url: str, throttle: dict | None) -> dict[str, float]:
    """One cold open, then one warm open, of the form; times in seconds."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = {"bytes": 0.0}
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.__setitem__("bytes", received["bytes"] + event["encodedDataLength"]),
    )
    if throttle:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle["cpu"]})
        rate = throttle["kbps"] * 1000 / 8  # bytes per second
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": throttle["latency"],
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120_000)
    start_button = page.get_by_role("button", name="Saya mengerti, mulai mengisi")
    start_button.wait_for(state="visible", timeout=120_000)
    usable = time.perf_counter() - start
    start_button.click()
    page.wait_for_function(
        "document.activeElement && document.activeElement.name === 'persetujuan'"
    )
    first_field = time.perf_counter() - start
    height = page.evaluate("document.documentElement.scrollHeight")
    page.locator("input[name=persetujuan][value=ya]").check()
    before = time.perf_counter()
    page.get_by_role("button", name="Berikutnya").click()
    page.locator("#kemajuan").filter(has_text="Bagian 2").wait_for(timeout=60_000)
    next_page = time.perf_counter() - before
    page.wait_for_load_state("load")
    moved = received["bytes"]
    warm_start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120_000)
    page.locator("#kemajuan").wait_for(timeout=120_000)  # restored on the page it was on
    warm = time.perf_counter() - warm_start
    context.close()
    return {
        "usable": usable,
        "first_field": first_field,
        "next_page": next_page,
        "bytes": moved,
        "height": height,
        "warm": warm,
    }


def _report(name: str, runs: list[dict[str, float]]) -> None:
    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(
        f"{name:<22} usable {median('usable'):5.2f} s · first field {median('first_field'):5.2f} s"
        f" · next page {median('next_page'):4.2f} s · {median('bytes') / 1024:5.1f} KB"
        f" · page {median('height'):.0f} px · warm reopen {median('warm'):4.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    data_dir = tempfile.mkdtemp(prefix="tilik-bench-phone-")
    env = {
        "TILIK_DATA": data_dir,
        "TILIK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TILIK_LOG_LEVEL": "ERROR",
    }
    token = _setup(env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tilik.web.server", "127.0.0.1", str(port), "--quiet"],
        env={**os.environ, **env},
        cwd=ROOT,
        start_new_session=True,
    )
    from playwright.sync_api import sync_playwright

    try:
        _wait(port, server)
        url = f"http://127.0.0.1:{port}/f/{token}/"
        print(
            f"participant survey (6 pages), Chromium {PHONE['width']}×{PHONE['height']}, "
            f"{args.runs} cold opens each, load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores"
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            _report("unthrottled (baseline)", [_open(browser, url, None) for _ in range(args.runs)])
            _report(
                "CPU ×4, 400 kbps/400 ms",
                [_open(browser, url, THROTTLED) for _ in range(args.runs)],
            )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
