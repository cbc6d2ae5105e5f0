"""The staff roles, tested from each group and from an account without one, through the
real Wagtail admin views."""

import pytest
from wagtail.test.utils.form_data import rich_text

from frivillig_blocks import roles
from frivillig_blocks.models import Association

ASSOCIATIONS = "/admin/snippets/frivillig_blocks/association/"
INBOUND = "/admin/mail-log/inbound/"  # the mail log's list view


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def login(client, user_factory, *groups):
    user = user_factory(groups=list(groups))
    client.force_login(user)
    return user


def denied(response):
    """Wagtail answers a missing permission with a redirect to the dashboard or a 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/admin/" in response["Location"]
    )


@pytest.mark.django_db
def test_an_account_without_a_group_cannot_enter_the_admin(client, user_factory, site_tree):
    login(client, user_factory)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(edit_url(site_tree.home)).status_code == 302
    assert client.get(ASSOCIATIONS).status_code == 302


@pytest.mark.django_db
def test_kommunikatoerer_edit_all_content_and_snippets(
    client, user_factory, site_tree, association_factory
):
    login(client, user_factory, roles.KOMMUNIKATOERER)
    assert client.get("/admin/").status_code == 200
    assert client.get(edit_url(site_tree.home)).status_code == 200
    assert client.get(edit_url(site_tree.statement)).status_code == 200
    assert client.get(ASSOCIATIONS).status_code == 200
    response = client.post(
        f"{ASSOCIATIONS}add/",
        {
            "name": "Dragør Roklub",
            "slug": "dragoer-roklub",
            "cvr": "",
            "purpose": "Roning",
            "email": "",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Association.objects.filter(name="Dragør Roklub").exists()
    assert denied(client.get(INBOUND))


@pytest.mark.django_db
def test_frivilligkoordinator_edits_the_volunteer_section_and_reads_the_mail_log(
    client, user_factory, site_tree
):
    login(client, user_factory, roles.FRIVILLIGKOORDINATOR)
    assert client.get("/admin/").status_code == 200
    assert client.get(edit_url(site_tree.hub)).status_code == 200
    assert client.get(edit_url(site_tree.topic)).status_code == 200  # below the hub
    assert denied(client.get(edit_url(site_tree.home)))
    assert denied(client.get(edit_url(site_tree.statement)))
    assert client.get(ASSOCIATIONS).status_code == 200
    assert client.get(INBOUND).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.INSTITUTIONSLEDERE, roles.KURSUSANSVARLIGE])
def test_institution_leaders_and_course_staff_enter_the_admin_but_not_content(
    client, user_factory, site_tree, group
):
    login(client, user_factory, group)
    assert client.get("/admin/").status_code == 200
    assert denied(client.get(edit_url(site_tree.home)))
    assert denied(client.get(edit_url(site_tree.hub)))
    assert denied(client.get(ASSOCIATIONS))
    assert denied(client.get(INBOUND))
    response = client.post(f"{ASSOCIATIONS}add/", {"name": "Snydeforening", "slug": "snyd"})
    assert denied(response)
    assert not Association.objects.filter(name="Snydeforening").exists()


SNIPPETS = [
    "association",
    "initiative",
    "contactperson",
    "place",
    "grant",
    "idea",
    "theme",
    "topic",
]


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.KOMMUNIKATOERER, roles.FRIVILLIGKOORDINATOR])
def test_editors_and_the_coordinator_keep_the_shared_snippets(
    client, user_factory, site_tree, group
):
    login(client, user_factory, group)
    for model in SNIPPETS:
        assert client.get(f"/admin/snippets/frivillig_blocks/{model}/").status_code == 200, model
        assert client.get(f"/admin/snippets/frivillig_blocks/{model}/add/").status_code == 200, (
            model
        )
    assert client.get("/admin/grant-applications/").status_code == 200


@pytest.mark.django_db
def test_a_grant_is_saved_as_a_draft_and_published_by_an_editor(client, user_factory, site_tree):
    from frivillig_blocks.models import Grant

    login(client, user_factory, roles.KOMMUNIKATOERER)
    data = {
        "name": "Ny pulje",
        "slug": "ny-pulje",
        "summary": "Resumé",
        "who_may_apply": "Alle",
        "amount": "10.000 kr.",
        "deadline": "",
        "rolling": "on",
        "legal_basis": "",
        "how_to_apply": rich_text("<p>Skriv til os.</p>"),
    }
    assert client.post("/admin/snippets/frivillig_blocks/grant/add/", data).status_code == 302
    grant = Grant.objects.get(slug="ny-pulje")
    assert grant.live is False and grant.latest_revision is not None  # a draft
    data["action-publish"] = "action-publish"
    assert (
        client.post(f"/admin/snippets/frivillig_blocks/grant/edit/{grant.pk}/", data).status_code
        == 302
    )
    grant.refresh_from_db()
    assert grant.live is True


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.INSTITUTIONSLEDERE, roles.KURSUSANSVARLIGE, None])
def test_other_staff_do_not_touch_the_shared_snippets(client, user_factory, site_tree, group):
    login(client, user_factory, *([group] if group else []))
    for model in SNIPPETS:
        assert denied(client.get(f"/admin/snippets/frivillig_blocks/{model}/add/")), model
    assert denied(client.get("/admin/grant-applications/"))
