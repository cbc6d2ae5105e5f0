"""The browser harness every suite shares: Debian's Chromium through Playwright, and axe's
WCAG 2.1 A/AA check. It imports nothing of the project, so the second site's tests
(tests/eksempel/, run against the installed wheel) load it by path as well."""

from __future__ import annotations

import os
import shutil

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError("Chromium is missing: `make test` installs it, or set CHROMIUM_PATH.")
    return path


def launch_chromium(playwright):
    """A headless Chromium (the machine's own, never a downloaded build)."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


def axe_checker():
    """``check(page, context=None)``: fails on any WCAG 2.1 A/AA violation of the page."""
    from axe_playwright_python.sync_playwright import Axe

    engine = Axe()

    def check(page, context=None):
        # A click that navigates returns before the new document has loaded; axe run
        # against a document being replaced finds no documentElement.
        page.wait_for_load_state("load")
        results = engine.run(
            page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        )
        violations = results.response["violations"]
        assert not violations, (
            f"axe found WCAG violations on {page.url}:\n" + results.generate_report()
        )
        return results

    return check


def open_page(browser, base_url: str):
    """A fixture's body: a Danish page in a fresh context on ``base_url``; afterwards the
    browser finishes what it asked the live server for before the database is reset."""
    context = browser.new_context(base_url=base_url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    page.goto("about:blank")
    context.close()
