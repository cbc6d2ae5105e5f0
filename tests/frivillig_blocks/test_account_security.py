"""Account security (#17): no secret in the mail log, no code login for staff, a second
factor for superusers, the admin login locked like the citizen login, and members who see
each other's names but not their addresses."""

from __future__ import annotations

import importlib
import logging
import re
import time

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client

from frivillig_blocks import roles
from frivillig_blocks.accounts import services
from frivillig_blocks.models import AssociationMembership, MembershipRole, OutboundMessage
from frivillig_blocks.outbound import REDACTED
from frivillig_blocks.signing import read_link
from tests.helpers import last_mail_to

from ..conftest import code_from_mail

LOGIN = "/konto/login/"
REQUEST_CODE = "/konto/login/code/"
CONFIRM = "/konto/login/code/confirm/"
ADMIN_LOGIN = "/admin/login/"
OUTBOUND = "/admin/mail-log/outbound/"
PASSWORD = "correct horse battery staple"
LOCKED = "For mange forsøg på at logge ind. Prøv igen om lidt."

pytestmark = pytest.mark.django_db


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def codes_in_session(client) -> list[str]:
    """Every login code the pending login in this browser's session holds (what a leak of
    the session store, or of the mail, would give an attacker)."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "code" and isinstance(item, str) and item:
                    found.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(dict(client.session.items()))
    return found


@pytest.fixture
def superuser(user_factory):
    return user_factory(
        username="admin", email="admin@dragoer.test", is_superuser=True, is_staff=True
    )


@pytest.fixture
def coordinator(user_factory):
    return user_factory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


def current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if int(time.time()) % 30 > 27:  # not at the edge of a time step
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# --- Finding 1: account takeover through the mail log ---------------------------------------


def test_a_code_asked_for_the_superuser_reaches_nobody_and_logs_nobody_in(
    anymail_backend, superuser, coordinator, user_factory, site_tree
):
    """The attack as reproduced: an anonymous browser asks /konto/login/ for a code for the
    superuser's address, the coordinator reads the outgoing mail log, the browser enters
    what it finds. Now: the log holds no code, nor does any mail, and even the code the
    pending login holds does not log the superuser in."""
    citizen = user_factory(username="borger", first_name="Bo")
    attacker = Client()
    response = attacker.post(LOGIN, {"login": superuser.email})
    # The same answer as for anyone: the address is not revealed as a staff account.
    citizen_response = Client().post(LOGIN, {"login": citizen.email})
    assert response.status_code == citizen_response.status_code == 302
    assert response["Location"] == citizen_response["Location"] == CONFIRM

    held = codes_in_session(attacker)
    assert held, "the pending login holds a code (allauth made one)"

    # The coordinator opens the real admin views of the mail log.
    staff = Client()
    staff.force_login(coordinator)
    listing = staff.get(OUTBOUND)
    assert listing.status_code == 200
    stored = OutboundMessage.objects.filter(to=[superuser.email])
    assert stored.count() == 1
    inspect = staff.get(f"{OUTBOUND}inspect/{stored.get().pk}/")
    assert inspect.status_code == 200
    pages = listing.content.decode() + inspect.content.decode()
    for code in held:
        assert code not in pages
    # What the superuser received is a notice to use the password, with no code.
    notice = last_mail_to(superuser.email)
    assert "adgangskode" in notice.body
    for code in held:
        assert code not in notice.body
    with pytest.raises(AssertionError):
        code_from_mail(notice)

    # The browser tries the code the pending login holds, and then guesses.
    for code in [*held, "AAA-AAA", "BBB-BBB"]:
        attacker.post(CONFIRM, {"code": code})
        assert logged_in_as(attacker) is None
    assert attacker.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "path, field", [(LOGIN, "login"), (REQUEST_CODE, "email")], ids=["login", "request-code"]
)
def test_staff_get_no_login_code_by_either_door(
    anymail_backend, coordinator, site_tree, path, field
):
    browser = Client()
    assert browser.post(path, {field: coordinator.email}).status_code == 302
    held = codes_in_session(browser)
    notice = last_mail_to(coordinator.email)
    assert notice.subject == "Log ind med din adgangskode"
    assert not any(code in notice.body for code in held)
    assert OutboundMessage.objects.get(to=[coordinator.email]).purpose == (
        "account:password_required"
    )
    for code in held:
        browser.post(CONFIRM, {"code": code})
    assert logged_in_as(browser) is None
    # The password still works.
    staff = Client()
    response = staff.post(LOGIN, {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(staff) == coordinator.pk
    assert staff.get("/admin/").status_code == 200


def test_a_citizen_logs_in_by_the_code_while_the_log_keeps_it_redacted(
    anymail_backend, user_factory, coordinator, site_tree
):
    citizen = user_factory(username="borger")
    browser = Client()
    browser.post(LOGIN, {"login": citizen.email})
    code = code_from_mail(last_mail_to(citizen.email))

    stored = OutboundMessage.objects.get(to=[citizen.email])
    assert stored.purpose == "account:login_code"
    assert stored.sealed and code not in stored.body_text + stored.body_html
    assert REDACTED in stored.body_text
    assert stored.sealed_text == stored.sealed_html == ""  # wiped once sent
    staff = Client()
    staff.force_login(coordinator)
    inspect = staff.get(f"{OUTBOUND}inspect/{stored.pk}/").content.decode()
    assert "[…]" in inspect and code not in inspect

    browser.post(CONFIRM, {"code": code})
    assert logged_in_as(browser) == citizen.pk


def test_a_staff_session_opened_by_a_code_does_not_enter_the_admin(
    anymail_backend, user_factory, site_tree
):
    """A citizen logged in by code who is then made staff must log in again with a
    password before the admin opens."""
    person = user_factory(username="ny-medarbejder")
    browser = Client()
    browser.post(LOGIN, {"login": person.email})
    browser.post(CONFIRM, {"code": code_from_mail(last_mail_to(person.email))})
    assert logged_in_as(browser) == person.pk
    person.groups.add(apps.get_model("auth", "Group").objects.get(name=roles.FRIVILLIGKOORDINATOR))
    response = browser.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert logged_in_as(browser) is None


def test_password_reset_and_signup_codes_are_stored_redacted(
    anymail_backend, coordinator, site_tree
):
    Client().post("/konto/password/reset/", {"email": coordinator.email})
    real = last_mail_to(coordinator.email)
    link = re.search(r"http://testserver/konto/password/reset/key/\S+", real.body).group(0)
    stored = OutboundMessage.objects.get(purpose="account:password_reset_key")
    assert link not in stored.body_text + stored.body_html
    assert REDACTED in stored.body_text

    Client().post(
        "/konto/signup/", {"email": "ny@example.org", "password1": "et langt kodeord 2024"}
    )
    code = code_from_mail(last_mail_to("ny@example.org"))
    stored = OutboundMessage.objects.get(to=["ny@example.org"])
    assert stored.purpose.startswith("account:email_confirmation")
    assert code not in stored.body_text + stored.body_html


def test_an_invitation_link_is_stored_redacted(anymail_backend, user_factory, site_tree):
    admin = user_factory(username="formand")
    association = apps.get_model("frivillig_blocks", "Association").objects.create(
        name="Dragør Søspejdere", slug="soespejdere", purpose="Spejd."
    )
    AssociationMembership.objects.create(
        user=admin, association=association, role=MembershipRole.ADMIN
    )
    invitation, _ = services.invite_member(
        association=association, inviter=admin, email="ny@example.org"
    )
    # The link in the mail (signed when it was sent, so read back rather than re-signed:
    # a second later the signature differs) opens this invitation.
    base = services.invitation_url(invitation).rsplit("/", 2)[0] + "/"
    link = re.search(re.escape(base) + r"[\w-]+/", last_mail_to("ny@example.org").body).group()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_link(services.INVITATION_SALT, token, services.INVITATION_MAX_AGE) == {
        "i": invitation.pk
    }
    stored = OutboundMessage.objects.get(purpose="invitation")
    assert link not in stored.body_text + stored.body_html
    assert REDACTED in stored.body_text


def test_no_admin_view_of_the_mail_log_shows_sealed_text(coordinator, site_tree):
    message = OutboundMessage.objects.create(
        message_id="<hemmelig@dragoer.test>",
        purpose="account:login_code",
        from_email="frivillig@dragoer.test",
        to=["borger@example.org"],
        subject="Login-kode",
        body_text=f"Din kode: {REDACTED}",
        sealed=True,
        sealed_text="Din kode: HEMMELIG-KODE-123",
        sealed_html="<p>HEMMELIG-KODE-123</p>",
    )
    staff = Client()
    staff.force_login(coordinator)
    for url in [
        OUTBOUND,
        f"{OUTBOUND}?q=Login",
        f"{OUTBOUND}inspect/{message.pk}/",
        f"{OUTBOUND}edit/{message.pk}/",
    ]:
        response = staff.get(url)
        assert response.status_code in (200, 302), url  # 302: no permission to edit
        assert "HEMMELIG-KODE-123" not in response.content.decode(), url


def test_the_migration_redacts_access_mails_stored_before(site_tree):
    migration = importlib.import_module("frivillig_blocks.migrations.0010_membership_privacy")

    def stored(purpose, body, status="sent"):
        return OutboundMessage.objects.create(
            message_id=f"<{purpose}-{status}@dragoer.test>",
            purpose=purpose,
            from_email="frivillig@dragoer.test",
            to=["borger@example.org"],
            subject="Emne",
            body_text=body,
            body_html=f"<p>{body}</p>",
            status=status,
        )

    code = stored("account:login_code", "Din kode:\n\nABC-DEF\n")
    invitation = stored("invitation", "Klik http://x/mine-sider/invitation/tok/")
    queued = stored("account:login_code", "Din kode:\n\nGHJ-KLM\n", status="queued")
    other = stored("booking:approved", "Dit lån er godkendt.")
    migration.redact_access_mails(apps, None)
    for message in (code, invitation, queued, other):
        message.refresh_from_db()
    assert (code.body_text, code.body_html) == (REDACTED, "")
    assert (invitation.body_text, invitation.body_html) == (REDACTED, "")
    # Still waiting: it leaves as written, the log shows it redacted.
    assert queued.sealed and "GHJ-KLM" in queued.sealed_text
    assert queued.body_text == REDACTED
    assert other.body_text == "Dit lån er godkendt."


# --- Superusers: a password and a second factor ----------------------------------------------


def test_a_superuser_sets_up_totp_before_the_admin_and_then_needs_it(superuser, site_tree):
    from allauth.mfa.models import Authenticator

    browser = Client()
    response = browser.post(LOGIN, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(browser) == superuser.pk
    # No second factor yet: the admin sends the superuser to set one up.
    response = browser.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/"
    assert browser.get(OUTBOUND).status_code == 302
    # allauth asks for the password once more before a second factor is added.
    response = browser.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/reauthenticate/")
    browser.post(response["Location"], {"password": PASSWORD})
    page = browser.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = browser.post("/konto/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=superuser, type="totp").exists()
    assert browser.get("/admin/").status_code == 200

    # The next login asks for the app's code after the password.
    browser.post("/konto/logout/")
    again = Client()
    response = again.post(LOGIN, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    assert logged_in_as(again) is None
    again.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert logged_in_as(again) is None
    again.post("/konto/2fa/authenticate/", {"code": current_totp(secret)})
    assert logged_in_as(again) == superuser.pk
    assert again.get("/admin/").status_code == 200


def test_the_wagtail_login_page_sends_a_superuser_to_the_two_factor_login(
    superuser, coordinator, site_tree
):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(superuser, "JBSWY3DPEHPK3PXP")
    browser = Client()
    response = browser.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    assert logged_in_as(browser) is None
    assert "to-faktor-godkendelse" in response.content.decode()
    assert "/konto/login/" in response.content.decode()
    # Staff without a second factor still use Wagtail's page with their password.
    response = browser.post(ADMIN_LOGIN, {"username": "koordinator", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(browser) == coordinator.pk


# --- Finding 4: no brute-force limit on /admin/login/ ---------------------------------------


@pytest.mark.parametrize(
    "path, credentials",
    [
        (ADMIN_LOGIN, lambda user, pw: {"username": user.username, "password": pw}),
        (LOGIN, lambda user, pw: {"login": user.email, "password": pw}),
    ],
    ids=["admin-login", "konto-login"],
)
def test_25_wrong_passwords_lock_the_account_on_the_admin_login(
    coordinator, site_tree, caplog, path, credentials
):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    with caplog.at_level(logging.WARNING, logger="frivillig_blocks.accounts.security"):
        pages = [attacker.post(path, credentials(coordinator, f"forkert-{n}")) for n in range(25)]
        assert all(page.status_code == 200 for page in pages)
        assert LOCKED in pages[-1].content.decode()
        # The right password, even from another address and a fresh session, is refused.
        owner = Client(REMOTE_ADDR="198.51.100.2")
        response = owner.post(path, credentials(coordinator, PASSWORD))
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert logged_in_as(owner) is None and logged_in_as(attacker) is None
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert f"Failed password login for user:{coordinator.pk}" in log
    assert f"Password login locked for user:{coordinator.pk}" in log
    assert "forkert" not in log and PASSWORD not in log


def test_both_login_doors_count_against_one_account(coordinator, site_tree):
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            ADMIN_LOGIN, {"username": "koordinator", "password": "forkert"}
        )
    for n in range(2):
        Client(REMOTE_ADDR=f"203.0.113.{10 + n}").post(
            LOGIN, {"login": coordinator.email, "password": "forkert"}
        )
    response = Client(REMOTE_ADDR="198.51.100.2").post(
        LOGIN, {"login": coordinator.email, "password": PASSWORD}
    )
    assert LOCKED in response.content.decode()


# --- Finding 11: members see names, not addresses --------------------------------------------


@pytest.fixture
def club(user_factory, association_factory, membership_factory):
    association = association_factory(name="Dragør Roklub")
    people = {
        "admin": user_factory(username="formand", first_name="Fie", last_name="Formand"),
        "anna": user_factory(username="anna", first_name="Anna", last_name="Andersen"),
        "bo": user_factory(username="bo", first_name="Bo", last_name="Berg"),
        "nameless": user_factory(username="navnloes"),
    }
    membership_factory(user=people["admin"], association=association, role=MembershipRole.ADMIN)
    for key in ("anna", "bo", "nameless"):
        membership_factory(user=people[key], association=association)
    return association, people


def test_members_see_each_others_names_not_their_addresses(club, site_tree):
    association, people = club
    url = f"/mine-sider/foreninger/{association.pk}/"
    browser = Client()
    browser.force_login(people["bo"])
    html = browser.get(url).content.decode()
    assert "Anna Andersen" in html and "Fie Formand" in html
    assert "Medlem uden navn" in html
    for other in ("anna", "admin", "nameless"):
        assert people[other].email not in html
    assert people["bo"].email in html  # one's own address

    # Anna chooses to show hers (POST with the CSRF token of the page).
    anna = Client(enforce_csrf_checks=True)
    anna.force_login(people["anna"])
    page = anna.get(url)
    token = page.context["csrf_token"]
    privacy = f"/mine-sider/foreninger/{association.pk}/synlighed/"
    assert anna.post(privacy, {"show_email": "on"}).status_code == 403  # no token
    response = anna.post(privacy, {"show_email": "on", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert "kan nu se din e-mailadresse" in anna.get(url).content.decode()
    html = browser.get(url).content.decode()
    assert people["anna"].email in html
    assert people["nameless"].email not in html

    # The association's administrator reaches every member.
    admin = Client()
    admin.force_login(people["admin"])
    html = admin.get(url).content.decode()
    for key in ("anna", "bo", "nameless"):
        assert people[key].email in html


def test_only_a_member_changes_only_their_own_choice(club, user_factory, site_tree):
    association, people = club
    privacy = f"/mine-sider/foreninger/{association.pk}/synlighed/"
    outsider = Client()
    outsider.force_login(user_factory(username="fremmed"))
    assert outsider.post(privacy, {"show_email": "on"}).status_code == 404
    assert outsider.get(privacy).status_code in (404, 405)
    anonymous = Client().post(privacy, {"show_email": "on"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)
    bo = Client()
    bo.force_login(people["bo"])
    bo.post(privacy, {"show_email": "on"})
    shown = set(
        AssociationMembership.objects.filter(show_email=True).values_list(
            "user__username", flat=True
        )
    )
    assert shown == {"bo"}
    bo.post(privacy, {})
    assert not AssociationMembership.objects.filter(show_email=True).exists()
    assert mail.outbox == []
