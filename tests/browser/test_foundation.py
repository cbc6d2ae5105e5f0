"""A person in a real Chromium: log in with a code from the mail, switch language; axe on
the foundation's public pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import last_mail_to

from ..conftest import code_from_mail
from ..factories import UserFactory


def test_login_by_email_code_through_the_real_pages(live_site, page):
    _server, _tree = live_site
    user = UserFactory(username="karen", email="karen@example.org")
    page.goto("/")
    page.get_by_role("link", name="Log ind").click()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/konto/login/code/confirm/")
    code = code_from_mail(last_mail_to(user.email))
    page.get_by_label("Kode").fill(code)
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url("**/mine-sider/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine sider"
    expect(page.get_by_text("Du er logget ind som karen@example.org.")).to_be_visible()


def test_a_wrong_code_is_told_in_danish(live_site, page):
    user = UserFactory(username="ole", email="ole@example.org")
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/konto/login/code/confirm/")
    page.get_by_label("Kode").fill("AAA-AAA")
    page.get_by_role("button", name="Bekræft").click()
    # allauth's form has the one error summary too: focused, its message linked to the box.
    expect(page.locator("#error-summary")).to_be_focused()
    summary = page.locator("#error-summary")
    expect(summary.get_by_role("link", name=re.compile("Koden er forkert"))).to_be_visible()
    expect(page.locator("#id_code_error").get_by_text("Koden er forkert.")).to_be_visible()


def test_the_language_switcher_offers_english(live_site, page):
    page.goto("/frivillig/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/frivillig/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Dansk")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/frivillig/",
        "/tilgaengelighedserklaering/",
        "/konto/login/",
        "/konto/signup/",
        "/en/",
        "/findes-ikke/",
    ],
)
def test_public_pages_pass_axe(live_site, page, axe, path):
    page.goto(path)
    axe(page)


def test_mine_sider_passes_axe(live_site, page, axe, client):
    user = UserFactory(username="axe")
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/konto/login/code/confirm/")
    axe(page)
    page.get_by_label("Kode").fill(code_from_mail(last_mail_to(user.email)))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url("**/mine-sider/")
    axe(page)


def test_the_axe_fixture_fails_on_a_violation(page, axe):
    page.set_content(
        '<html><head><title>x</title></head><body><main><img src="x.png"><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        axe(page)
