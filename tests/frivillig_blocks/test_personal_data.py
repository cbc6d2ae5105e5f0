"""The personal data registry (#17, findings 8, 9 and 10): the base's own sources (account,
associations, consent, ideas, grant applications, the mail logs), the registry's rules, the
README's record of processing, and the whole-person test of the issue's "Done when": one
person with data in every app downloads it all and deletes the account, and no personal datum
of theirs is left in any table while other people's seats stand."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from wagtail import hooks as wagtail_hooks

from frivillig_blocks import personal_data
from frivillig_blocks.hooks import PERSONAL_DATA_SOURCES
from frivillig_blocks.models import (
    AssociationInvitation,
    AssociationMembership,
    Grant,
    GrantApplication,
    Idea,
    InboundMessage,
    OutboundMessage,
)
from frivillig_blocks.outbound import REDACTED
from tests.helpers import last_mail_to

from ..conftest import code_from_mail, requires_apps
from ..factories import AssociationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
FIRST, LAST = "Kirsten", "Qvortrup-Hald"
NAME = f"{FIRST} {LAST}"
EMAIL = "kirsten.qvortrup@example.org"
PHONE = "+45 61 72 83 94"
PHONE_VARIANTS = ("61728394", "61 72 83 94", "6172 8394", "61-72-83-94")
DAY = datetime.timedelta(days=1)


def person(**kwargs):
    values = {"username": "kirsten", "first_name": FIRST, "last_name": LAST, "email": EMAIL}
    return UserFactory(**{**values, **kwargs})


def download(client) -> dict:
    response = client.get("/mine-sider/data/")
    assert response.status_code == 200
    return json.loads(response.content)


def delete_account(user, address=EMAIL) -> None:
    """Delete through the real view as the browser does: the page's form with its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/mine-sider/slet-konto/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, "the delete page has no CSRF token"
    response = client.post(
        "/mine-sider/slet-konto/", {"email": address, "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def stored_mail(to, subject="Om dit lån", body="Hej", related=None, **kwargs) -> OutboundMessage:
    return OutboundMessage.objects.create(
        message_id=f"<{uuid.uuid4().hex}@test>",
        purpose=kwargs.pop("purpose", "test"),
        from_email="frivillig@dragoer.test",
        to=to,
        subject=subject,
        body_text=body,
        related=related or "",
        **kwargs,
    )


def raw_mail(sender: str, subject: str, body: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "frivillig@dragoer.test"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg.as_bytes()


def inbound(sender: str, subject="Spørgsmål", body="Hej, et spørgsmål.") -> InboundMessage:
    return InboundMessage.objects.create(
        esp_name="postmark",
        sender=sender,
        recipients=["frivillig@dragoer.test"],
        subject=subject,
        raw=raw_mail(sender, subject, body),
    )


# -- the registry's own rules ----------------------------------------------------------------


def noop_source(key, **kwargs):
    values = {
        "label": "x",
        "data": "x",
        "purpose": "x",
        "legal_basis": "x",
        "retention": "x",
        "export": lambda person: None,
        "erase": lambda person: None,
    }
    return personal_data.PersonalDataSource(key=key, **{**values, **kwargs})


def test_a_key_registered_twice_is_refused():
    def twice():
        return [noop_source("test.same"), noop_source("test.same")]

    with (
        wagtail_hooks.register_temporarily(PERSONAL_DATA_SOURCES, twice),
        pytest.raises(RuntimeError, match=r"test\.same"),
    ):
        personal_data.sources()


def test_one_failing_retention_does_not_stop_the_others():
    def broken(now):
        raise ValueError("boom")

    def sources():
        return [
            noop_source("aaa.broken", expire=broken),
            noop_source("zzz.works", expire=lambda now: 3),
        ]

    with wagtail_hooks.register_temporarily(PERSONAL_DATA_SOURCES, sources):
        done = personal_data.expire()
    assert done["zzz.works"] == 3 and "aaa.broken" not in done


def test_a_mail_another_source_queues_while_erasing_goes_with_the_mail_log(site_tree):
    """An app's erase may still mail the person (e.g. "your loan was cancelled"): the mail
    logs are erased last, so that mail goes too."""
    user = person()

    def erase(person):
        stored_mail([EMAIL.upper()], subject="Dit lån er aflyst")

    with wagtail_hooks.register_temporarily(
        PERSONAL_DATA_SOURCES, lambda: [noop_source("aaa.mails_on_erase", erase=erase)]
    ):
        personal_data.erase(user)
    assert not OutboundMessage.objects.exists()


def test_redact_replaces_names_addresses_and_phones_whatever_their_spacing():
    text = f"Kontakt {NAME} ({EMAIL.upper()}) på 61 72 83 94 eller +4561728394. Kirstens hund."
    redacted = personal_data.redact(text, [NAME, FIRST, LAST, EMAIL], phones=[PHONE])
    assert redacted == "Kontakt […] ([…]) på […] eller […]. Kirstens hund."


def test_the_retention_settings_are_checked(settings):
    from frivillig_blocks.checks import check_retention_settings

    assert check_retention_settings() == []
    settings.FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS = 0
    settings.FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS = "5 år"
    errors = check_retention_settings()
    assert [e.id for e in errors] == ["frivillig_blocks.E020"] * 2
    assert "FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS" in errors[0].msg


ALL_APPS = (
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
    "opfoelgning",
)


@requires_apps(*ALL_APPS)  # the README records the whole platform
def test_the_readme_holds_the_current_record_of_processing():
    """README and code stay in step: the record is the command's table, exactly."""
    from io import StringIO

    out = StringIO()
    call_command("personal_data_register", stdout=out)
    table = out.getvalue().strip()
    assert table.startswith("| Source |")
    readme = README.read_text(encoding="utf-8")
    held = re.search(
        r"<!-- personal_data_register: start -->\n(.*?)\n<!-- personal_data_register: end -->",
        readme,
        re.DOTALL,
    )
    assert held, "README.md has no record of processing"
    assert held.group(1) == table, (
        "README.md's record of processing is out of date: run "
        "`.venv/bin/python site/manage.py personal_data_register --update README.md`"
    )


def test_every_source_says_what_why_how_long_and_on_which_basis():
    from django.utils import translation

    with translation.override("en"):
        rows = personal_data.register_table()
    for row in rows:
        assert all(row[k].strip() for k in ("data", "purpose", "legal_basis", "retention")), row
        assert "GDPR art." in row["legal_basis"], row


# -- the account and associations ------------------------------------------------------------


def test_the_download_holds_the_account_and_every_association_link(client, site_tree):
    user = person()
    association = AssociationFactory(name="Strikkeklubben")
    MembershipFactory(user=user, association=association, role="admin")
    AssociationInvitation.objects.create(
        association=association, email="ny@example.org", invited_by=user
    )
    other = AssociationFactory(name="Roklubben")
    AssociationInvitation.objects.create(association=other, email=EMAIL.upper())
    client.force_login(user)
    data = download(client)
    account = data["frivillig_blocks.account"]
    assert (account["email"], account["first_name"], account["last_name"]) == (EMAIL, FIRST, LAST)
    assert account["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    links = data["frivillig_blocks.associations"]
    assert [m["association"] for m in links["memberships"]] == ["Strikkeklubben"]
    assert [i["association"] for i in links["invitations_received"]] == ["Roklubben"]
    assert [i["email"] for i in links["invitations_sent"]] == ["ny@example.org"]


def test_deleting_the_account_takes_invitations_to_the_person_and_leaves_those_they_sent(
    site_tree,
):
    user = person()
    association = AssociationFactory()
    MembershipFactory(user=user, association=association, role="admin")
    sent = AssociationInvitation.objects.create(
        association=association, email="ny@example.org", invited_by=user
    )
    accepted = AssociationInvitation.objects.create(
        association=AssociationFactory(),
        email=EMAIL,
        accepted_at=timezone.now(),
        accepted_by=user,
    )
    delete_account(user)
    assert not AssociationInvitation.objects.filter(pk=accepted.pk).exists()
    sent.refresh_from_db()
    assert sent.invited_by is None and sent.email == "ny@example.org"
    assert not AssociationMembership.objects.exists()


def test_deleting_the_account_signs_the_person_out_everywhere(site_tree):
    from django.contrib.sessions.models import Session

    user = person()
    other_browser = Client()
    other_browser.force_login(user)
    neighbour = Client()
    neighbour.force_login(UserFactory(username="nabo"))
    assert Session.objects.count() == 2
    delete_account(user)
    assert other_browser.get("/mine-sider/").status_code == 302
    assert neighbour.get("/mine-sider/").status_code == 200
    assert Session.objects.count() == 1


def test_old_invitations_expire(site_tree):
    association = AssociationFactory()
    old = AssociationInvitation.objects.create(association=association, email="a@example.org")
    new = AssociationInvitation.objects.create(association=association, email="b@example.org")
    AssociationInvitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - 91 * DAY)
    personal_data.expire()
    assert list(AssociationInvitation.objects.values_list("pk", flat=True)) == [new.pk]


# -- the mail logs ---------------------------------------------------------------------------


def test_the_login_code_mail_goes_with_the_account(client, site_tree, settings):
    """Finding 8: 18 stored mails, a login code among them, were kept after "Slet konto"."""
    user = person()
    client.post("/konto/login/", {"login": EMAIL})
    code = code_from_mail(last_mail_to(EMAIL))
    assert client.post("/konto/login/code/confirm/", {"code": code}).status_code == 302
    stored = OutboundMessage.objects.get(to=[EMAIL])
    assert code not in stored.body_text + stored.body_html  # the log never held it readable
    data = download(client)
    [logged] = [m for m in data["frivillig_blocks.outgoing_mail"] if m["subject"] == stored.subject]
    assert code not in json.dumps(logged)
    delete_account(user)
    assert not OutboundMessage.objects.exists()


def test_the_outgoing_mail_log_finds_the_person_in_any_case_and_form_and_nobody_else(
    client, site_tree
):
    """Finding 9: the download left out the mails sent to the person. The `to` column is a
    JSON list: matched case-insensitively on SQLite and PostgreSQL alike."""
    user = person()
    mine = [
        stored_mail([EMAIL], subject="Din kode", body=f"Din kode er {REDACTED}"),
        stored_mail([f"{NAME} <{EMAIL.upper()}>"], subject="Kvittering"),
        stored_mail(["leder@example.org", EMAIL.title()], subject="Til jer begge"),
    ]
    others = [
        stored_mail([f"x{EMAIL}"], subject="Til en anden"),  # contains the address, is not it
        stored_mail([EMAIL.replace("@", ".dk@")], subject="Også en anden"),
        stored_mail(["anden@example.org"], subject="Nabo"),
    ]
    client.force_login(user)
    logged = download(client)["frivillig_blocks.outgoing_mail"]
    assert sorted(m["subject"] for m in logged) == sorted(m.subject for m in mine)
    assert {m["text"] for m in logged} >= {f"Din kode er {REDACTED}"}
    delete_account(user)
    assert sorted(OutboundMessage.objects.values_list("pk", flat=True)) == sorted(
        m.pk for m in others
    )


def test_the_outgoing_mail_log_is_pruned_and_unsent_secrets_wiped(settings):
    """Finding 10: the outgoing mail log was never pruned."""
    settings.FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS = 180
    now = timezone.now()
    old = stored_mail(["a@example.org"], subject="Gammel")
    recent = stored_mail(["a@example.org"], subject="Ny")
    stuck = stored_mail(
        ["b@example.org"], subject="Kode", sealed=True, sealed_text="Din kode er ABC-123"
    )
    fresh = stored_mail(
        ["c@example.org"], subject="Kode", sealed=True, sealed_text="Din kode er DEF-456"
    )
    OutboundMessage.objects.filter(pk=old.pk).update(created_at=now - 181 * DAY)
    OutboundMessage.objects.filter(pk=recent.pk).update(created_at=now - 179 * DAY)
    OutboundMessage.objects.filter(pk=stuck.pk).update(
        created_at=now - datetime.timedelta(minutes=61)
    )
    done = personal_data.expire(now)
    assert done["frivillig_blocks.outgoing_mail"] == 2
    assert not OutboundMessage.objects.filter(pk=old.pk).exists()
    assert OutboundMessage.objects.filter(pk=recent.pk).exists()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.sealed_text == "" and fresh.sealed_text == "Din kode er DEF-456"


def test_a_mail_erased_before_the_worker_came_is_not_an_error():
    from frivillig_blocks.tasks import send_outbound_message

    gone = stored_mail(["a@example.org"])
    pk = gone.pk
    gone.delete()
    assert send_outbound_message.call(pk) == "gone"


def test_the_incoming_mail_log_is_exported_erased_and_pruned(client, site_tree, settings):
    """Findings 9 and 10: mails from the person, kept raw, are theirs to see and go with the
    account; all raw mail is pruned after FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS."""
    user = person()
    mine = inbound(f'"{NAME}" <{EMAIL.upper()}>', subject="Om mit lån", body="Kan jeg låne?")
    theirs = inbound(f"Anden <x{EMAIL}>", subject="Fra en anden")
    client.force_login(user)
    [logged] = download(client)["frivillig_blocks.incoming_mail"]
    assert logged["subject"] == "Om mit lån" and "Kan jeg låne?" in logged["text"]
    assert logged["from"] == EMAIL.upper()
    delete_account(user)
    assert list(InboundMessage.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not InboundMessage.objects.filter(pk=mine.pk).exists()

    settings.FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS = 30
    InboundMessage.objects.filter(pk=theirs.pk).update(received_at=timezone.now() - 31 * DAY)
    recent = inbound("c@example.org")
    personal_data.expire()
    assert list(InboundMessage.objects.values_list("pk", flat=True)) == [recent.pk]


# -- ideas -----------------------------------------------------------------------------------


def propose(title, *, email=EMAIL, description="En strikkecafé i biblioteket.", **extra):
    from frivillig_blocks.ideas.services import propose_idea

    data = {
        "title": title,
        "description": description,
        "what_it_takes": "Et lokale og garn",
        "example": "Som i Tårnby",
        "name": NAME,
        "email": email,
        **extra,
    }
    return propose_idea(data=data, submission_key=uuid.uuid4())


def test_the_download_holds_every_field_of_an_idea_proposal(client, site_tree):
    """Finding 9: the download reduced an idea to a title and a status."""
    user = person()
    propose("Strikkecafé", email=EMAIL.upper())
    client.force_login(user)
    [idea] = download(client)["frivillig_blocks.idea_proposals"]
    assert idea["title"] == "Strikkecafé"
    assert idea["description"] == "En strikkecafé i biblioteket."
    assert idea["what_it_takes"] == "Et lokale og garn" and idea["example"] == "Som i Tårnby"
    assert (idea["proposed_by_name"], idea["proposed_by_email"]) == (NAME, EMAIL.upper())
    assert idea["published"] is False and idea["proposed"]


def test_slet_konto_deletes_an_unpublished_proposal_and_anonymises_a_published_idea(site_tree):
    """Finding 8: the person's idea proposal was kept after "Slet konto"."""
    user = person()
    draft = propose("Kladde")
    published = propose("Strikkecafé", description=f"{NAME} vil starte en strikkecafé.")
    published.save_revision().publish()
    other = propose("Andens idé", email="anden@example.org")
    delete_account(user)
    assert not Idea.objects.filter(pk=draft.pk).exists()
    published.refresh_from_db()
    assert published.live and published.title == "Strikkecafé"
    assert (published.proposed_by_name, published.proposed_by_email) == ("", "")
    assert published.description == "[…] vil starte en strikkecafé."
    for revision in published.revisions.all():
        assert EMAIL not in json.dumps(revision.content) and LAST not in json.dumps(
            revision.content
        )
    other.refresh_from_db()
    assert other.proposed_by_email == "anden@example.org"


def test_idea_proposers_expire(site_tree, settings):
    """Finding 10: ideas had no retention."""
    settings.FRIVILLIG_IDEA_PROPOSAL_RETENTION_DAYS = 365
    old_draft = propose("Gammel kladde")
    old_live = propose("Gammel idé", description=f"{FIRST} har prøvet det.")
    old_live.save_revision().publish()
    new = propose("Ny idé")
    Idea.objects.filter(pk__in=[old_draft.pk, old_live.pk]).update(
        proposed_at=timezone.now() - 366 * DAY
    )
    assert personal_data.expire()["frivillig_blocks.idea_proposals"] == 2
    assert not Idea.objects.filter(pk=old_draft.pk).exists()
    old_live.refresh_from_db()
    assert old_live.live and old_live.proposed_by_email == ""
    assert old_live.description == "[…] har prøvet det."
    new.refresh_from_db()
    assert new.proposed_by_email == EMAIL


# -- grant applications ----------------------------------------------------------------------


@pytest.fixture
def grant(db):
    return Grant.objects.create(
        name="§ 18-puljen",
        slug="paragraf-18",
        summary="s",
        who_may_apply="w",
        amount="op til 25.000 kr.",
        rolling=True,
        live=True,
        legal_basis=Grant.LegalBasis.SECTION_18,
    )


def apply(grant, user=None, *, email=EMAIL, title="Strikkecafé", **extra) -> GrantApplication:
    from frivillig_blocks.grants.services import submit_application

    data = {
        "applicant_name": NAME,
        "email": email,
        "phone": PHONE,
        "association_name": "Strikkeklubben",
        "cvr": "12345678",
        "project_title": title,
        "description": f"{FIRST} leder caféen. Ring på 61 72 83 94.",
        "amount_requested": 12000,
        "social_purpose": "Ensomme ældre mødes",
        "target_group": "Ældre",
        "budget": f"Garn 2.000 kr. ({NAME} køber ind)",
        **extra,
    }
    return submit_application(grant=grant, data=data, submission_key=uuid.uuid4(), user=user)


def test_the_download_holds_every_field_of_a_grant_application(client, grant, site_tree):
    """Finding 9: the download reduced an application to a title and a status."""
    user = person()
    apply(grant, email=EMAIL.upper())  # sent without logging in, from the person's address
    client.force_login(user)
    [application] = download(client)["frivillig_blocks.grant_applications"]
    assert application["applicant_name"] == NAME and application["phone"] == PHONE
    assert application["email"] == EMAIL.upper() and application["cvr"] == "12345678"
    assert application["description"].startswith(FIRST)
    assert application["social_purpose"] == "Ensomme ældre mødes"
    assert application["budget"].endswith("køber ind)")
    assert application["amount_requested"] == 12000 and application["status"] == "received"


def test_slet_konto_withdraws_an_open_application_and_anonymises_a_decided_one(grant, site_tree):
    """Finding 8: the grant application (name, e-mail, phone) was kept after "Slet konto"."""
    user = person()
    open_ = apply(grant, user, title="Åben")
    decided = apply(grant, user, title="Bevilget")
    decided.status = GrantApplication.Status.GRANTED
    decided.save()
    assert decided.decided_at is not None
    other = apply(grant, email="anden@example.org", title="Andens", applicant_name="Bo Berg")
    delete_account(user)
    assert not GrantApplication.objects.filter(pk=open_.pk).exists()
    decided.refresh_from_db()
    assert (decided.applicant_name, decided.email, decided.phone) == ("", "", "")
    assert decided.user is None and decided.anonymised_at is not None
    assert (decided.reference, decided.amount_requested, decided.status) == (
        decided.reference,
        12000,
        "granted",
    )
    assert decided.description == "[…] leder caféen. Ring på […]."
    assert decided.budget == "Garn 2.000 kr. ([…] køber ind)"
    assert (
        not OutboundMessage.objects.filter(related__startswith="frivillig_blocks.grant")
        .filter(
            related__in=[f"frivillig_blocks.grantapplication:{pk}" for pk in (open_.pk, decided.pk)]
        )
        .exists()
    )
    other.refresh_from_db()
    assert other.applicant_name == "Bo Berg" and other.email == "anden@example.org"


def test_grant_applicants_expire_five_years_after_the_decision(grant, settings, site_tree):
    """Finding 10: grant applications had no retention."""
    settings.FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS = 1826
    old = apply(grant, title="Gammel")
    old.status = GrantApplication.Status.DECLINED
    old.save()
    undecided = apply(grant, title="Glemt")
    recent = apply(grant, title="Ny")
    recent.status = GrantApplication.Status.GRANTED
    recent.save()
    long_ago = timezone.now() - 1827 * DAY
    GrantApplication.objects.filter(pk=old.pk).update(decided_at=long_ago, submitted_at=long_ago)
    GrantApplication.objects.filter(pk=undecided.pk).update(submitted_at=long_ago)
    GrantApplication.objects.filter(pk=recent.pk).update(submitted_at=long_ago)  # decided now
    assert personal_data.expire()["frivillig_blocks.grant_applications"] == 2
    for application, gone in ((old, True), (undecided, True), (recent, False)):
        application.refresh_from_db()
        assert (application.email == "") is gone, application.project_title
        assert application.amount_requested == 12000


# -- the whole person ------------------------------------------------------------------------


def text_columns():
    """Every column of every installed model that can hold a name, an address or a phone."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, kinds):
                yield model, field


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        import email
        import email.policy

        try:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            parts = [str(message)]
            for part in message.walk():
                if part.get_content_maintype() == "text":
                    parts.append(part.get_content())
            return "\n".join(parts)
        except Exception:
            return raw.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def personal_data_left(needles) -> list[str]:
    lowered = [n.lower() for n in needles]
    found = []
    for model, field in text_columns():
        for pk, value in model._base_manager.values_list("pk", field.attname):
            text = as_text(value).lower()
            digits = re.sub(r"\D", "", text)
            hit = [n for n in lowered if n in text]
            if PHONE_VARIANTS[0] in digits and any(v in text for v in PHONE_VARIANTS):
                hit.append("phone")
            if hit:
                found.append(f"{model._meta.label}.{field.name} #{pk} {hit}: {text[:100]!r}")
    return found


POSTMARK_INBOUND = "/anymail/postmark/inbound/"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def mail_the_inbox(client, *, subject: str, body: str):
    """A mail from the person to the volunteer address, through the real Postmark webhook."""
    import base64

    payload = json.loads((FIXTURES / "postmark_inbound.json").read_text())
    payload["RawEmail"] = raw_mail(f"{NAME} <{EMAIL}>", subject, body).decode()
    payload["MessageID"] = f"pm-{uuid.uuid4().hex}"
    payload["OriginalRecipient"] = "frivillig@dragoer.test"
    payload["Headers"] = [
        {"Name": "X-Spam-Status", "Value": "No"},
        {"Name": "X-Spam-Score", "Value": "-0.1"},
        {"Name": "X-Spam-Tests", "Value": "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS"},
    ]
    auth = base64.b64encode(b"anymail:test-webhook-secret").decode()
    response = client.post(
        POSTMARK_INBOUND,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )
    assert response.status_code == 200, response.content


@requires_apps(*ALL_APPS)
def test_one_person_in_every_app_downloads_everything_and_leaves_nothing_behind(
    site_tree, settings, grant
):
    """The issue's "Done when": one person with data in every app (event, idea, grant
    application, loan, course registrations for self and others, post and messages, inquiry,
    votes and nominations, feedback consent) downloads their data and finds every item,
    deletes the account and leaves no personal datum of theirs in any table (every text
    column of every model scanned for their name, address and phone), while the other
    people's seats stand."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from boers import services as boers
    from booking import services as booking
    from booking.models import LoanStatus
    from initiativpris import services as prize
    from kalender.services import EventData, save_event
    from kurser import services as kurser
    from kurser.models import Registration

    from ..boers.conftest import PostFactory
    from ..booking.conftest import make_request, make_world
    from ..initiativpris.conftest import make_nomination, round_in_phase
    from ..kurser.conftest import make_session

    cph = ZoneInfo("Europe/Copenhagen")
    user = person()
    others = UserFactory(username="naboen", first_name="Nils", last_name="Nabo")
    client = Client()

    # She signs in with a code from the mail (the mail log holds that mail, redacted).
    client.post("/konto/login/", {"login": EMAIL})
    code = code_from_mail(last_mail_to(EMAIL))
    assert client.post("/konto/login/code/confirm/", {"code": code}).status_code == 302

    # Loans: a member of an association asks for the library's hall.
    world = make_world()
    MembershipFactory(user=user, association=world.association)
    loan = booking.request_loan(
        user=user,
        req=make_request(
            world,
            title="Qvortrups strikkeaften",
            responsible_name=NAME,
            responsible_phone=PHONE,
        ),
    )

    # The calendar: her own event at her private address.
    start = (
        (timezone.now() + 20 * DAY)
        .astimezone(cph)
        .replace(hour=19, minute=0, second=0, microsecond=0)
    )
    save_event(
        user=user,
        data=EventData(
            title="Loppemarked i haven",
            start=start,
            end=start + dt.timedelta(hours=2),
            organiser_name=NAME,
            address="Qvortrupvej 7, 2791 Dragør",
            description=f"Ring til {FIRST} på {PHONE}.",
        ),
    )

    # An idea and two grant applications (one decided).
    propose("Strikkecafé for alle", description=f"{NAME} foreslår en strikkecafé.")
    apply(grant, user, title="Garn til caféen")
    decided = apply(grant, user, title="Kaffe til caféen")
    decided.status = GrantApplication.Status.GRANTED
    decided.save()

    # Courses: a seat for herself, and three for people of her association.
    session = make_session(capacity=10)
    own_seat = kurser.register(session_id=session.pk, user=user)
    for_others = [
        kurser.register(
            session_id=session.pk,
            user=user,
            association_id=world.association.pk,
            name=f"Deltager {n}",
            email=f"deltager{n}@example.org",
        )
        for n in range(3)
    ]

    # The exchange: her post, a neighbour writes, she answers; she writes on another post.
    post = PostFactory(author=user, title="Hjælp til haven", body=f"Ring {PHONE}")
    conversation = boers.start_conversation(post=post, user=others, body="Jeg kan hjælpe!")
    boers.send_message(conversation=conversation, user=user, body=f"Tak! Hilsen {NAME}")
    their_post = PostFactory(author=others, title="Gåtur", body="Gå med")
    boers.start_conversation(post=their_post, user=user, body=f"Jeg går gerne med. {FIRST}")

    # The inbox: she writes to the volunteer address.
    mail_the_inbox(Client(), subject="Spørgsmål om puljen", body=f"Hilsen {NAME}, tlf. {PHONE}")

    # The prize: she nominates someone and votes.
    links: list[str] = []

    def link(token):
        links.append(token)
        return f"https://example.org/{token}/"

    open_round = round_in_phase("nominations")
    prize.nominate(
        round=open_round,
        data={
            "nominee_kind": "person",
            "nominee_name": "Nominee Nielsen",
            "nominee_email": "nominee@example.org",
            "motivation": "Har drevet lektiecafé i ti år.",
            "nominator_name": NAME,
            "nominator_email": EMAIL,
        },
        link=link,
    )
    prize.confirm_nomination(token=links[-1], consent_link=link)
    vote_round = round_in_phase("vote")
    candidate = make_nomination(vote_round, shortlisted=True)
    prize.request_vote(round=vote_round, nomination_id=candidate.pk, email=EMAIL, link=link)
    prize.confirm_vote(token=links[-1])

    # Follow-up: she says yes to invitations on Mine sider.
    assert client.post("/mine-sider/kontakt/", {"invitations": "on"}).status_code == 302
    from opfoelgning.models import ContactPreference

    assert ContactPreference.objects.get(user=user).invitations

    # -- the download holds every item, each under its own app ----------------------------
    data = download(client)
    problems: list[str] = []

    def of_app(label: str) -> str:
        return json.dumps(
            {k: v for k, v in data.items() if k.split(".")[0] == label}, ensure_ascii=False
        )

    expected = {
        "booking": ["Qvortrups strikkeaften", PHONE],  # the loan, its responsible's phone
        "kalender": ["Loppemarked i haven", "Qvortrupvej 7"],  # the event, a private address
        "frivillig_blocks": [
            "Strikkecafé for alle",  # the idea
            "Garn til caféen",  # the grant application
            PHONE,  # the applicant's phone
            "Spørgsmål om puljen",  # her mail to the inbox, as received
        ],
        "kurser": [session.course.title, "Deltager 2"],  # her seat, a seat booked for another
        "boers": ["Hjælp til haven", f"Tak! Hilsen {NAME}", "Jeg går gerne med."],
        "henvendelser": ["Spørgsmål om puljen"],  # the inquiry
        "initiativpris": ["Har drevet lektiecafé i ti år."],  # the nomination
    }
    for label, items in expected.items():
        part = of_app(label)
        problems += [f"download: {label} lacks {item!r}" for item in items if item not in part]
    if not any("vote" in key for key in data):
        problems.append(f"download: no vote among {sorted(data)}")
    if not data.get("frivillig_blocks.contact_preference", {}).get("invitations"):
        problems.append("download: no consent to invitations")
    if not any(
        m["purpose"].startswith("account:") for m in data.get("frivillig_blocks.outgoing_mail", [])
    ):
        problems.append("download: the login code mail is missing")
    if code in json.dumps(data):
        problems.append("download: the login code is readable")

    # -- deleting the account leaves nothing of hers ------------------------------------
    mail.outbox.clear()
    delete_account(user)
    left = personal_data_left([NAME, LAST, EMAIL, "Qvortrupvej"])
    problems += [f"left after deletion: {row}" for row in left]
    # Other people's seats stand, and nobody of them was mailed about it.
    for registration in for_others:
        registration.refresh_from_db()
        if registration.status != Registration.Status.CONFIRMED:
            problems.append(f"a seat booked for {registration.pk} was {registration.status}")
    mailed = [a for message in mail.outbox for a in message.to if a.startswith("deltager")]
    if mailed:
        problems.append(f"people with seats she booked were mailed: {mailed}")
    own_seat.refresh_from_db()
    if own_seat.status == Registration.Status.CONFIRMED and own_seat.email:
        problems.append("her own future seat is still hers")
    loan.refresh_from_db()
    if loan.status == LoanStatus.PENDING:
        problems.append("her pending loan is still pending")
    assert problems == [], "\n".join(problems)
