"""Accounts through the real allauth pages: login by e-mail code, bad input, rate limits;
association invitations; Mine sider, data download and account deletion."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from frivillig_blocks.accounts import services
from frivillig_blocks.models import (
    AssociationInvitation,
    AssociationMembership,
    MembershipRole,
    OutboundMessage,
)
from tests.helpers import last_mail_to

from ..conftest import code_from_mail

LOGIN = "/konto/login/"
CONFIRM = "/konto/login/code/confirm/"


def request_code(client, email):
    return client.post(LOGIN, {"login": email})


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_by_code_from_the_mail(client, user, site_tree):
    response = request_code(client, user.email)
    assert response.status_code == 302 and response["Location"].startswith(CONFIRM)
    message = last_mail_to(user.email)
    assert OutboundMessage.objects.get(to=[user.email]).purpose == "account:login_code"
    assert "login-kode" in message.subject.lower() or "kode" in message.body
    response = client.post(CONFIRM, {"code": code_from_mail(message)})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.get("/mine-sider/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "",
        "ikke-en-adresse",
        "a@b",
        "x" * 400 + "@example.org",
        "<script>@x.dk",
        "a@b.dk\r\nBcc: c@d.dk",
    ],
)
def test_a_malformed_email_gets_a_danish_message_and_no_mail(client, email, site_tree):
    response = request_code(client, email)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html or "Indtast" in html or "påkrævet" in html
    assert "<script>@x.dk" not in html
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_unknown_code_is_refused_in_danish(client, user, site_tree):
    request_code(client, user.email)
    response = client.post(CONFIRM, {"code": "XXX-XXX"})
    assert response.status_code == 200
    assert "Koden er forkert" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_used_code_cannot_be_used_again(client, user, site_tree):
    request_code(client, user.email)
    code = code_from_mail(last_mail_to(user.email))
    client.post(CONFIRM, {"code": code})
    assert is_logged_in(client)
    client.post("/konto/logout/")
    assert not is_logged_in(client)
    response = client.post(CONFIRM, {"code": code})
    assert not is_logged_in(client)
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_twenty_wrong_codes_in_a_row_are_stopped(client, user, site_tree):
    request_code(client, user.email)
    right = code_from_mail(last_mail_to(user.email))
    pages = [client.post(CONFIRM, {"code": "AAA-AAA"}, follow=True) for _ in range(20)]
    assert all(page.status_code == 200 for page in pages)
    assert "Koden er forkert." in pages[0].content.decode()
    # The third wrong code abandons the pending login with a Danish message...
    assert "For mange forsøg på at logge ind. Prøv igen om lidt." in pages[2].content.decode()
    assert pages[2].redirect_chain[-1][0] == "/konto/login/code/"
    # ...after which not even the right code logs in.
    client.post(CONFIRM, {"code": right})
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_password_is_optional_but_works_when_chosen(client, user, site_tree):
    wrong = client.post(LOGIN, {"login": user.email, "password": "forkert"})
    assert wrong.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert." in wrong.content.decode()
    assert not is_logged_in(client)
    right = client.post(LOGIN, {"login": user.email, "password": "correct horse battery staple"})
    assert right.status_code == 302 and right["Location"] == "/mine-sider/"
    assert is_logged_in(client)
    assert mail.outbox == []  # no code needed


@pytest.mark.django_db
def test_requesting_codes_is_rate_limited_per_address(user, site_tree):
    """Someone flooding a person's inbox from fresh sessions gets three codes a minute."""
    from django.test import Client

    for _ in range(3):
        assert request_code(Client(), user.email).status_code == 302
    assert len(mail.outbox) == 3
    response = request_code(Client(), user.email)
    assert response.status_code == 200
    assert "For mange forsøg på at logge ind. Prøv igen om lidt." in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_asking_again_in_the_same_session_sends_no_new_code(client, user, site_tree):
    for _ in range(5):
        assert request_code(client, user.email).status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_mine_sider_needs_a_login(client, site_tree):
    response = client.get("/mine-sider/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- Associations and invitations -----------------------------------------------------------


@pytest.fixture
def association_admin(user_factory, association_factory, membership_factory):
    admin = user_factory(username="formand")
    association = association_factory(name="Dragør Søspejdere")
    membership_factory(user=admin, association=association, role=MembershipRole.ADMIN)
    return admin, association


@pytest.mark.django_db
def test_an_admin_invites_and_the_invitee_joins(client, association_admin, user_factory, site_tree):
    admin, association = association_admin
    client.force_login(admin)
    response = client.post(
        f"/mine-sider/foreninger/{association.pk}/inviter/",
        {"email": "Ny@Example.org", "role": "member"},
    )
    assert response.status_code == 302
    message = last_mail_to("Ny@Example.org")
    assert message.subject == "Invitation til Dragør Søspejdere"
    link = next(word for word in message.body.split() if "/mine-sider/invitation/" in word)
    path = link.split("testserver", 1)[1]

    invitee = user_factory(username="ny", email="ny@example.org")
    client.force_login(invitee)
    page = client.get(path)
    assert (
        "Du er inviteret til at blive en del af Dragør Søspejdere som Medlem."
        in page.content.decode()
    )
    response = client.post(path)
    assert response.status_code == 302
    membership = AssociationMembership.objects.get(user=invitee, association=association)
    assert membership.role == MembershipRole.MEMBER
    assert "Dragør Søspejdere" in client.get("/mine-sider/").content.decode()
    # The same link again changes nothing.
    again = client.post(path)
    assert again.status_code == 400 and "Invitationen er allerede brugt." in again.content.decode()


@pytest.mark.django_db
def test_a_double_submitted_invitation_makes_one_invitation_and_one_mail(
    client, association_admin, site_tree
):
    admin, association = association_admin
    client.force_login(admin)
    for _ in range(2):
        client.post(
            f"/mine-sider/foreninger/{association.pk}/inviter/",
            {"email": "ny@example.org", "role": "member"},
        )
    assert AssociationInvitation.objects.count() == 1
    assert len([m for m in mail.outbox if "ny@example.org" in m.to]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["", "ikke-en-adresse", "<script>alert(1)</script>", "x" * 300 + "@x.dk"]
)
def test_a_malformed_invitation_address_gets_a_danish_message(
    client, association_admin, email, site_tree
):
    admin, association = association_admin
    client.force_login(admin)
    response = client.post(
        f"/mine-sider/foreninger/{association.pk}/inviter/", {"email": email, "role": "member"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "e-mailadresse" in html
    assert "<script>alert(1)</script>" not in html
    assert AssociationInvitation.objects.count() == 0


@pytest.mark.django_db
def test_only_an_admin_may_invite(
    client, association_admin, user_factory, membership_factory, site_tree
):
    _admin, association = association_admin
    member = user_factory(username="menig")
    membership_factory(user=member, association=association, role=MembershipRole.MEMBER)
    client.force_login(member)
    response = client.post(
        f"/mine-sider/foreninger/{association.pk}/inviter/",
        {"email": "ven@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    assert "Det kan kun foreningens administratorer." in response.content.decode()
    stranger = user_factory(username="fremmed")
    client.force_login(stranger)
    assert (
        client.post(
            f"/mine-sider/foreninger/{association.pk}/inviter/",
            {"email": "ven@example.org", "role": "admin"},
        ).status_code
        == 403
    )
    assert client.get(f"/mine-sider/foreninger/{association.pk}/").status_code == 404
    assert AssociationInvitation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", ["forged", "eyJpIjoxfQ:1abc:forged", "../../etc/passwd", "x" * 500]
)
def test_a_forged_invitation_link_gets_a_danish_message(client, user, token, site_tree):
    client.force_login(user)
    response = client.get(f"/mine-sider/invitation/{token}/")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "Invitationslinket er ikke gyldigt" in response.content.decode()
    assert client.post(f"/mine-sider/invitation/{token}/").status_code in (400, 404)
    assert AssociationMembership.objects.count() == 0


@pytest.mark.django_db
def test_an_invitation_for_someone_else_is_refused(
    client, association_admin, user_factory, site_tree
):
    admin, association = association_admin
    invitation, _ = services.invite_member(
        association=association, inviter=admin, email="rigtig@example.org"
    )
    token = services.invitation_token(invitation)
    other = user_factory(username="anden", email="anden@example.org")
    client.force_login(other)
    response = client.post(f"/mine-sider/invitation/{token}/")
    assert response.status_code == 400
    assert "Invitationen er sendt til en anden e-mailadresse." in response.content.decode()
    assert not AssociationMembership.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_download_my_data(client, association_admin, site_tree):
    admin, _association = association_admin
    client.force_login(admin)
    response = client.get("/mine-sider/data/")
    assert response["Content-Disposition"].startswith('attachment; filename="mine-data-')
    data = json.loads(response.content)
    assert data["frivillig_blocks.account"]["email"] == admin.email
    assert "frivillig_blocks.grant_applications" not in data  # none: left out
    memberships = data["frivillig_blocks.associations"]["memberships"]
    assert memberships == [
        {"association": "Dragør Søspejdere", "role": "admin", "since": memberships[0]["since"]}
    ]


@pytest.mark.django_db
def test_delete_my_account(client, association_admin, site_tree):
    admin, association = association_admin
    client.force_login(admin)
    wrong = client.post("/mine-sider/slet-konto/", {"email": "forkert@example.org"})
    assert wrong.status_code == 400
    assert "Det er ikke e-mailadressen på din konto." in wrong.content.decode()
    assert get_user_model().objects.filter(pk=admin.pk).exists()
    response = client.post("/mine-sider/slet-konto/", {"email": admin.email})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=admin.pk).exists()
    assert not AssociationMembership.objects.filter(association=association).exists()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_an_app_adds_its_section_to_mine_sider_through_the_hook(client, user, site_tree):
    from wagtail import hooks as wagtail_hooks

    from frivillig_blocks import hooks

    def my_loans(request):
        return hooks.MineSiderSection(
            title="Mine lån",
            template_name="frivillig_blocks/accounts/section_associations.html",
            context={"memberships": []},
            order=20,
        )

    client.force_login(user)
    with wagtail_hooks.register_temporarily(hooks.MINE_SIDER_SECTIONS, my_loans):
        html = client.get("/mine-sider/").content.decode()
    assert html.index("Mine foreninger") < html.index("Mine lån")
    assert "Mine lån" not in client.get("/mine-sider/").content.decode()


@pytest.mark.django_db
def test_my_data_includes_my_grant_applications_and_idea_proposals(client, user, site_tree):
    from frivillig_blocks.models import Grant, GrantApplication, Idea

    grant = Grant.objects.create(
        name="Grøn pulje",
        slug="groen",
        summary="s",
        who_may_apply="w",
        amount="1 kr.",
        rolling=True,
        live=True,
    )
    GrantApplication.objects.create(
        grant=grant,
        reference="PUL-TEST1",
        applicant_name="Karen",
        email=user.email,
        association_name="Forening",
        project_title="Strandrydning",
        description="d",
        amount_requested=1000,
        user=user,
    )
    Idea.objects.create(
        title="Min idé",
        slug="min-ide",
        description="d",
        live=False,
        proposed_by_email=user.email.upper(),
    )
    client.force_login(user)
    data = json.loads(client.get("/mine-sider/data/").content)
    applications = data["frivillig_blocks.grant_applications"]
    assert [a["reference"] for a in applications] == ["PUL-TEST1"]
    assert data["frivillig_blocks.idea_proposals"][0]["title"] == "Min idé"
