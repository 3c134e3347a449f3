"""What every browser test shares: Chromium's flags and the phone-sized screen."""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


def open_logged_in(playwright, chromium_path: str, url: str, username: str, password: str):
    """A desktop-sized Chromium page at ``url``, past the login form; returns (browser, page)."""
    browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page.goto(url)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.keyboard.press("Enter")
    return browser, page
