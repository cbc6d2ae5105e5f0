"""Feedback in a real Chromium: a citizen answers "Nej" in the compact box on a page of the
volunteer section (no JavaScript needed: the answer is the button pressed), then writes a
comment in the field that follows, is thanked back on the page, axe passes at each step, and
the coordinator reads the comment in the Wagtail admin."""

from playwright.sync_api import expect

from frivillig_blocks import roles
from opfoelgning.models import Feedback

from ..factories import UserFactory


def test_a_citizen_answers_no_and_the_coordinator_reads_it(live_site, page, axe):
    _server, tree = live_site
    UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])

    page.goto("/frivillig/om/")
    form = page.get_by_role("region", name="Hjælp os med at gøre siden bedre")
    expect(form.get_by_role("group", name="Fandt du det, du søgte?")).to_be_visible()
    axe(page)

    expect(form.locator("textarea")).to_have_count(0)  # compact: the question and two buttons
    form.get_by_role("button", name="Nej", exact=True).click()

    # The answer is stored; the comment field follows on a page of its own.
    page.wait_for_url("**/mine-sider/feedback/**")
    axe(page)
    page.locator("#feedback_comment").fill("Jeg fandt ikke <b>åbningstiderne</b>.")
    page.locator("form.feedback__comment button[type=submit]").click()

    expect(page.get_by_text("Tak for dit svar!")).to_be_visible()
    assert page.url.endswith("/frivillig/om/")
    axe(page)
    feedback = Feedback.objects.get()
    assert feedback.found is False
    assert feedback.comment == "Jeg fandt ikke åbningstiderne."
    assert feedback.page_id == tree.topic.pk

    page.goto("/admin/login/")
    page.locator("#id_username").fill("koordinator")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/feedback/")
    expect(page.get_by_text("Jeg fandt ikke åbningstiderne.")).to_be_visible()
    expect(page.get_by_text("/frivillig/om/").first).to_be_visible()
