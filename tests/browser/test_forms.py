"""Forms in one pattern in a real Chromium (#21): a keyboard user submits an empty form and
lands on the error summary (focused, first, "Fejl:" in the title), follows its first link
to the field; radio buttons and checkboxes are 24 x 24 px boxes with the label beside them
and no bullet. axe passes at each step."""

from __future__ import annotations

from playwright.sync_api import expect

from frivillig_blocks.models import IdeaCatalogPage
from tests.helpers import danish

PROPOSE = "/frivillig/idekatalog/foreslaa/"


def catalogue(tree):
    page = tree.hub.add_child(instance=IdeaCatalogPage(title="Idékatalog", slug="idekatalog"))
    page.save_revision().publish()
    return page


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the element named ``name`` has the focus (as a keyboard user does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_keyboard_user_submits_an_empty_form_and_lands_on_the_summary(live_site, page, axe):
    _server, tree = live_site
    catalogue(tree)
    page.goto(PROPOSE)
    axe(page)
    title_before = page.title()
    tab_to(page, "Send idéen")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title() == f"{danish('Error:')} {title_before}"
    # First in the page: nothing of the content comes before it.
    first = page.evaluate("document.querySelector('main .container').firstElementChild.id")
    assert first == "error-summary"
    assert summary.is_visible() and summary.bounding_box()["y"] < 600
    axe(page)

    # The next Tab is the summary's first link; Enter moves the focus to its field.
    page.keyboard.press("Tab")
    link = page.evaluate("document.activeElement.getAttribute('href')")
    assert link == "#id_title"
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    label = page.locator('label[for="id_title"]').bounding_box()
    assert 0 <= label["y"] < page.viewport_size["height"]  # the label is in view too
    axe(page)
    page.keyboard.type("Fællesspisning")
    expect(page.locator("#id_title")).to_have_value("Fællesspisning")


def test_radio_buttons_and_checkboxes_are_big_boxes_with_the_label_beside(live_site, page, axe):
    _server, tree = live_site
    catalogue(tree)
    page.goto(PROPOSE)
    boxes = page.locator("main input[type=checkbox], main input[type=radio]")
    assert boxes.count() > 0
    for index in range(boxes.count()):
        box = boxes.nth(index)
        found = box.bounding_box()
        assert found["width"] >= 24 and found["height"] >= 24, found
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').bounding_box()
        # Beside the box, on its line: not below it.
        assert label["x"] >= found["x"] + found["width"], (found, label)
        assert abs(label["y"] - found["y"]) < found["height"], (found, label)
        style = box.evaluate(
            "b => getComputedStyle(b.closest('li') || b.parentElement).listStyleType"
        )
        assert style == "none"
    axe(page)
