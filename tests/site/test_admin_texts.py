"""Our Danish for the Wagtail admin's JavaScript texts (frivillig_blocks.views.admin_texts):
served beside Wagtail's own catalogue and loaded after it on every admin page."""

import json

import pytest

from frivillig_blocks import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_our_danish_for_the_admins_buttons(client):
    response = client.get("/admin-tekster/da.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for danish in ["Flyt op", "Flyt ned", "Kopiér", "Indsæt en blok", "Fold alle sammen"]:
        assert json.dumps(danish) in body  # the catalogue is JSON, its æ, ø, å escaped
    assert "Bevæg" not in body


def test_the_english_catalogue_is_empty_and_an_unknown_language_is_not_found(client):
    english = client.get("/admin-tekster/en.js")
    assert english.status_code == 200 and "Flyt op" not in english.content.decode()
    for language in ["xx", "da-DK", "%3Cscript%3E", "../da"]:
        assert client.get(f"/admin-tekster/{language}.js").status_code == 404


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_admin_page_loads_ours_after_wagtails_own(client, site_tree, signed_in):
    if signed_in:
        client.force_login(UserFactory(username="redaktoer", groups=[roles.KOMMUNIKATOERER]))
    html = client.get("/admin/" if signed_in else "/admin/login/").content.decode()
    wagtails, ours = html.find("/admin/jsi18n/"), html.find('src="/admin-tekster/da.js?v=')
    assert wagtails != -1 and ours > wagtails
