"""What every browser test shares: Chromium's flags, the phone-sized screen, the
accessibility check, and moving through the pages of a respondent form."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files

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
DESKTOP = {"width": 1280, "height": 900}

#: What axe-core checks: WCAG 2.0 and 2.1, levels A and AA, and its best practices
#: (landmarks, a main region, heading order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    """axe-core as shipped in the axe-playwright-python package: nothing is downloaded."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (injected through the DevTools
    protocol, so the page's Content-Security-Policy does not stop it)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        r"""async (tags) => {
             const result = await axe.run(document, {
               runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
               iframes: false});
             return result.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' +
                                                  (n.failureSummary || '').replace(/\s+/g, ' '))}));
           }""",
        AXE_TAGS,
    )


def assert_accessible(page, where: str = "") -> None:
    """No axe-core violation (WCAG 2.1 A and AA, best practices) on the page as it is now."""
    found = axe_violations(page)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    ]
    assert not found, f"{where or page.url}: {len(found)} violations\n" + "\n".join(lines)


def current_page(page):
    """The page of a paged respondent form one is on (the whole form when it has one page)."""
    paged = page.locator("section.page:not(.page-off)")
    return paged if paged.count() else page.locator("#formulir")


def answer_pages(page, fill) -> int:
    """Fill each page of a respondent form with ``fill(section)`` and go on with «Berikutnya»
    until the page with «Kirim»; returns how many pages there were."""
    count = 0
    while True:
        fill(current_page(page))
        count += 1
        following = page.get_by_role("button", name="Berikutnya", exact=True)
        if not following.is_visible():
            return count
        following.click()


def visible_radio_groups(section) -> list[str]:
    return section.locator("input[type=radio]").evaluate_all(
        "els => [...new Set(els.filter(e => e.offsetParent).map(e => e.name))]"
    )


def open_logged_in(playwright, chromium_path: str, url: str, username: str, password: str):
    """A desktop-sized Chromium page at ``url``, past the login form; returns (browser, page)."""
    browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page.goto(url)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.keyboard.press("Enter")
    return browser, page
