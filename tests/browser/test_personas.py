"""Personas on the demo, from the front page by links alone (issue #21, "Done when"): an
association's organiser signs in, puts an event in the calendar where the room is already
taken, and is taken to the error summary that says so; a keyboard user goes by Tab and
Enter alone to the idea form, sends it empty and lands on the summary. axe passes at each
step. (The newcomer's way is in test_findable.py; the summary's links in test_forms.py.)"""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_forms import tab_to
from tests.conftest import requires_apps
from tests.helpers import danish


def test_a_keyboard_user_goes_from_home_to_the_idea_form_and_lands_on_the_summary(
    live_server, page, axe
):
    call_command("seed_demo", stdout=io.StringIO())
    page.goto("/")
    for link, url in [
        ("Frivillig i Dragør", "**/frivillig/"),
        ("Få en idé", "**/frivillig/idekatalog/"),
        ("Foreslå en idé", "**/frivillig/idekatalog/foreslaa/"),
    ]:
        axe(page)
        tab_to(page, link)
        page.keyboard.press("Enter")
        page.wait_for_url(url)
    axe(page)
    title_before = page.title()
    tab_to(page, "Send idéen")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title() == f"{danish('Error:')} {title_before}"
    axe(page)


@requires_apps("kalender")
def test_an_organiser_signs_in_from_home_and_a_clashing_event_leads_to_the_summary(
    live_server, page, axe
):
    call_command("seed_demo", stdout=io.StringIO())
    # The demo's »Fællessang i Kulturhuset« takes Salen every Wednesday 19–21 from next week.
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    wednesday = monday + datetime.timedelta(days=2 + 14)

    page.goto("/")
    axe(page)
    page.locator("header").get_by_role("link", name="Log ind").click()
    page.get_by_label("E-mail:", exact=True).fill("borger@example.org")
    page.get_by_label("Adgangskode (valgfrit):", exact=True).fill("dragoer-demo")
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/mine-sider/")
    axe(page)

    page.locator("header").get_by_role("link", name="Kalender").click()
    page.wait_for_url("**/frivillig/kalender/")
    axe(page)
    page.locator("main").get_by_role("link", name="Opret et arrangement").click()
    page.wait_for_url("**/frivillig/kalender/opret/")
    axe(page)
    page.get_by_label("Titel", exact=True).fill("Spejdernes forældremøde")
    page.get_by_label("Arrangør", exact=True).select_option(label="Dragør Søspejdere")
    page.get_by_label("Dato", exact=True).fill(wednesday.isoformat())
    page.get_by_label("Begynder kl.", exact=True).fill("19:00")
    page.get_by_label("Slutter kl.", exact=True).fill("20:00")
    page.get_by_label("Sted", exact=True).select_option(label="Kulturhuset Dragør")
    page.get_by_label("Lokale", exact=True).fill("Salen")
    title_before = page.title()
    page.get_by_role("button", name="Opret arrangementet").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title() == f"{danish('Error:')} {title_before}"
    summary.get_by_role("heading", name=danish("The room is taken")).wait_for()
    assert "Fællessang i Kulturhuset" in summary.inner_text()
    # A one-off event is not offered to cancel some of its dates.
    cancel_dates = danish("Cancel the dates when the room is taken")
    assert summary.get_by_role("link", name=cancel_dates).count() == 0
    assert "konflikt" not in page.locator("main").inner_text().lower()
    axe(page)
