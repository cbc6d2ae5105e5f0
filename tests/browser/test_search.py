"""The site search as a citizen uses it: the header box suggests while typing (an ARIA
combobox), the keyboard picks a suggestion, the results page passes axe, and without
JavaScript the same box searches."""

from __future__ import annotations

from playwright.sync_api import expect

from booking.models import BookingIndexPage
from tests import factories


def _loans_section(tree):
    loans = BookingIndexPage(
        title="Lån af lokaler og udstyr",
        slug="laan",
        intro="<p>Foreninger låner kommunens lokaler og udstyr.</p>",
    )
    tree.hub.add_child(instance=loans)
    loans.save_revision().publish()
    factories.TopicPageFactory(
        parent=tree.hub,
        title="Lokalhistorie",
        slug="lokalhistorie",
        intro="Dragørs historie, fortalt af frivillige.",
    )
    return loans


def test_a_citizen_picks_a_suggestion_with_the_keyboard(live_site, page, axe):
    _server, tree = live_site
    _loans_section(tree)
    page.goto("/")
    box = page.get_by_role("combobox", name="Søg på sitet")
    box.click()
    box.press_sequentially("lokale", delay=40)
    listbox = page.get_by_role("listbox", name="Forslag")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("Lån af lokaler og udstyr")
    expect(page.get_by_role("status").filter(has_text="forslag")).to_contain_text(
        "Brug piletasterne"
    )
    axe(page)  # the open combobox too
    box.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")  # opens the list again
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/frivillig/laan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lån af lokaler og udstyr")


def test_the_results_page_passes_axe_and_enter_searches(live_site, page, axe):
    _server, tree = live_site
    _loans_section(tree)
    page.goto("/")
    box = page.get_by_role("combobox", name="Søg på sitet")
    box.fill("lokaler")
    box.press("Enter")  # nothing chosen: Enter searches
    page.wait_for_url("**/soeg/?q=lokaler")
    main = page.locator("main")
    expect(main.locator(".result-count")).to_contain_text("resultater for »lokaler«")
    expect(main.get_by_role("link", name="Lån af lokaler og udstyr")).to_be_visible()
    expect(main.get_by_role("combobox", name="Søg efter")).to_have_value("lokaler")
    axe(page)
    page.goto("/soeg/?q=frivilig")
    expect(page.get_by_text("Mente du:")).to_be_visible()
    axe(page)
    page.goto("/soeg/?q=zzxxyy")
    expect(page.locator("main .result-count")).to_have_text("Ingen resultater for »zzxxyy«.")
    axe(page)


def test_the_search_works_without_javascript(live_site, browser):
    server, tree = live_site
    _loans_section(tree)
    context = browser.new_context(base_url=server.url, locale="da-DK", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        box = page.get_by_role("searchbox", name="Søg på sitet")
        box.fill("lokale")
        box.press("Enter")
        page.wait_for_url("**/soeg/?q=lokale")
        page.locator("main").get_by_role("link", name="Lån af lokaler og udstyr").click()
        page.wait_for_url("**/frivillig/laan/")
        page.goto("about:blank")
    finally:
        context.close()
