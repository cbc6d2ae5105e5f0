"""No page scrolls sideways at 320 px (WCAG 1.4.10 Reflow), measured in a real Chromium on
every public page type of the demo (``seed_demo``): the hub and its sections, grants,
associations, the calendar's month, week, list and an event, the exchange's list and a
post, courses, loans, the prize, the figures, search and Mine sider logged in. Long Danish
words hyphenate (``hyphens: auto`` on a page that says ``lang="da"``) or break."""

import io
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

WIDTH = 320

#: The pages reached directly, then the detail pages found by the first link on an index.
PAGES = [
    "/",
    "/frivillig/",
    "/frivillig/foreninger/",
    "/frivillig/puljer/",
    "/frivillig/idekatalog/",
    "/frivillig/kontakt/",
    "/frivillig/kom-i-gang/",
    "/frivillig/kalender/",
    "/frivillig/kalender/maaned/",
    "/frivillig/kalender/uge/",
    "/frivillig/boers/",
    "/frivillig/kurser/",
    "/frivillig/laan/",
    "/frivillig/initiativpris/",
    "/frivillig/i-tal/",
    "/soeg/?q=frivillig",
]
DETAILS = {
    "/frivillig/foreninger/": r"^/frivillig/foreninger/[\w-]+/$",
    "/frivillig/puljer/": r"^/frivillig/puljer/[\w-]+/$",
    "/frivillig/kalender/": r"^/frivillig/kalender/arrangement/\d+/$",
    "/frivillig/boers/": r"^/frivillig/boers/\d+/$",
    "/frivillig/kurser/": r"^/frivillig/kurser/(?!behov/)[\w-]+/$",
    "/frivillig/laan/": r"^/frivillig/laan/[\w-]+/[\w-]+/$",
}


def _sign_in(context, base_url, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def _measure(page, path) -> dict:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
                .slice(-3)
                .map(e => `${e.tagName}.${e.className} «${(e.textContent || '').trim().slice(0, 40)}»`);
            // Content that overflows its own box (a word too long for it) says where, too.
            const spilling = [...document.body.querySelectorAll('*')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
                .slice(-3)
                .map(e => `${e.tagName}.${e.className} «${(e.textContent || '').trim().slice(0, 40)}»`);
            return {width: root.scrollWidth, lang: root.lang, wide, spilling};
        }"""
    )


def test_no_public_page_scrolls_sideways_at_320_px(live_server, browser, axe):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": WIDTH, "height": 700}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        measured = {}
        for path in PAGES:
            measured[path] = _measure(page, path)
            if path in DETAILS:
                hrefs = page.eval_on_selector_all(
                    "main a[href]", "as => as.map(a => a.getAttribute('href'))"
                )
                detail = next((h for h in hrefs if re.match(DETAILS[path], h)), None)
                assert detail, f"no detail link on {path}"
                measured[detail] = _measure(page, detail)
        # Mine sider, logged in as the demo's citizen (loans, events, posts, courses).
        _sign_in(context, live_server.url, get_user_model().objects.get(username="borger"))
        measured["/mine-sider/"] = _measure(page, "/mine-sider/")
        assert "Mine arrangementer" in page.content()

        too_wide = {p: m for p, m in measured.items() if m["width"] > WIDTH}
        assert not too_wide, f"pages wider than {WIDTH} px: {too_wide}"
        assert {m["lang"] for m in measured.values()} == {"da"}
        assert len(measured) >= len(PAGES) + len(DETAILS) + 1

        # Long words: headings and cards hyphenate, and break where no dictionary knows them.
        page.goto("/frivillig/puljer/")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.querySelector('main h1'));
                       return [s.hyphens || s.webkitHyphens, s.overflowWrap]; }"""
        )
        assert style[0] == "auto" and style[1] in ("break-word", "anywhere")
        # A wide table scrolls inside its own box, which a keyboard reaches.
        page.goto("/frivillig/i-tal/")
        box = page.locator(".table-scroll").first
        assert box.get_attribute("tabindex") == "0"
        assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        axe(page)
    finally:
        page.goto("about:blank")
        context.close()
