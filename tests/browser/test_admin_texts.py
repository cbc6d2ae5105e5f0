"""The page editor's block buttons speak our Danish ("Flyt op", not Wagtail's "Bevæg op")."""

from playwright.sync_api import expect

from frivillig_blocks import roles
from tests.factories import UserFactory


def test_the_page_editors_block_buttons_speak_our_danish(live_site, page):
    _server, tree = live_site
    UserFactory(username="redaktoer", groups=[roles.KOMMUNIKATOERER])
    page.goto("/admin/login/")
    page.locator("#id_username").fill("redaktoer")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/pages/{tree.statement.pk}/edit/")
    assert page.evaluate("django.gettext('Move up')") == "Flyt op"
    expect(page.get_by_role("button", name="Flyt ned").first).to_be_attached()
    expect(page.get_by_role("button", name="Kopiér").first).to_be_attached()
    assert page.get_by_role("button", name="Bevæg op").count() == 0
