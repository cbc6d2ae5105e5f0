"""A newcomer finds their way in the demo by links alone (issue #21, "Findable"): from the
front page to "Kom i gang som frivillig", Frivillig Fredag and the figures page, with the
breadcrumbs and the crest link home, axe passing at each step."""

from __future__ import annotations

import io

from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import requires_apps


@requires_apps("initiativpris", "opfoelgning")
def test_a_newcomer_reaches_getting_started_frivillig_fredag_and_the_figures_from_home(
    live_server, page, axe
):
    call_command("seed_demo", stdout=io.StringIO())
    page.goto("/")
    expect(page).to_have_title("Frivillig i Dragør – Dragør Kommune")
    axe(page)

    page.get_by_role("link", name="Kom i gang som frivillig").first.click()
    page.wait_for_url("**/frivillig/kom-i-gang/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kom i gang som frivillig")
    crumbs = page.locator("nav.breadcrumbs")
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Kom i gang som frivillig")
    axe(page)

    # Back up one step by the breadcrumbs, to the hub, then Frivillig Fredag from its card.
    crumbs.get_by_role("link", name="Frivillig i Dragør").click()
    page.wait_for_url("**/frivillig/")
    axe(page)
    page.locator(".task-cards").get_by_role("link", name="Frivillig Fredag").click()
    page.wait_for_url("**/frivillig/frivillig-fredag/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Frivillig Fredag")
    axe(page)

    # Home by the crest link, then the figures from the front page's shortcuts.
    page.locator(".site-header__brand").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Frivilligheden i Dragør i tal").click()
    page.wait_for_url("**/frivillig/i-tal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Frivilligheden i Dragør i tal")
    axe(page)
