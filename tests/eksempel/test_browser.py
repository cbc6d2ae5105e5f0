"""Eksempel Kommune in a real Chromium: axe finds no WCAG 2.1 A/AA violation on the home
page and the apps' pages, and the header carries its logo and its colour."""

from __future__ import annotations

from conftest import seed


def test_the_home_page_and_the_apps_pages_pass_axe(live_server, page, axe):
    seed()
    for url in ("/", "/frivillig/", "/frivillig/kalender/", "/frivillig/kurser/"):
        response = page.goto(url)
        assert response.status == 200, url
        axe(page)
    page.goto("/")
    brand = page.locator(".site-header__brand")
    assert brand.inner_text().strip() == "Eksempel Kommune"
    assert brand.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    background = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(29, 92, 58)"
