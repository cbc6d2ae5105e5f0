"""Issue #17, findings 3 and 7: a forged sender never joins a citizen's inquiry, and the
acknowledgement carries nothing the sender chose. Real Postmark and Mailgun payloads posted
to the real webhook URLs; the verdict shown in the real admin views."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from frivillig_blocks.models import ContactPage, InboundMessage, OutboundMessage
from henvendelser.models import Inquiry, InquiryMessage, InquiryStatus
from tests.factories import UserFactory

from .test_receiving import (
    AUTH,
    MAILGUN_MIME,
    MAILGUN_URL,
    PAYLOAD,
    SIGNING_KEY,
    mailgun_form,
    mime,
    post_postmark,
    postmark,
    receive,
)

pytestmark = pytest.mark.django_db

#: What Postmark delivers for a mail whose SPF, DKIM and DMARC all failed: its SpamAssassin
#: saw a broken signature and an SPF failure, its Received-SPF says Fail, and the mail
#: brings its own Authentication-Results (written by the forger, claiming a pass).
FORGED = (
    ("X-Spam-Checker-Version", "SpamAssassin 3.4.0 (2014-02-07) onp-pm-smtp-inbound01b"),
    ("X-Spam-Status", "No"),
    ("X-Spam-Score", "2.3"),
    ("X-Spam-Tests", "DKIM_INVALID,DKIM_SIGNED,SPF_FAIL"),
    (
        "Received-SPF",
        "Fail (sender not SPF authorized) identity=mailfrom; client-ip=203.0.113.66; "
        "helo=mail.forger.example; envelope-from=karen@example.org; "
        "receiver=abc@inbound.postmarkapp.com",
    ),
    (
        "Authentication-Results",
        "mx.example.org; spf=fail smtp.mailfrom=karen@example.org; "
        "dkim=fail header.d=example.org; dmarc=fail (p=REJECT) header.from=example.org",
    ),
)


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def outbox(anymail_backend):
    return mail.outbox


def acks():
    return InquiryMessage.objects.filter(kind=InquiryMessage.Kind.ACKNOWLEDGEMENT)


def karens_closed_inquiry(client) -> Inquiry:
    """Karen writes (her sender confirmed), is acknowledged, and staff close the inquiry."""
    assert post_postmark(client, PAYLOAD, **AUTH).status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_unverified is False
    inquiry.status = InquiryStatus.CLOSED
    inquiry.save()
    return inquiry


def forged_from_karen(inquiry: Inquiry, **kwargs) -> dict:
    raw = mime(
        sender="Karen Sørensen <karen@example.org>",
        subject=f"Re: [{inquiry.reference}] Spørgsmål om lån af lokale",
        body="Send venligst alle papirerne om min sag til denne adresse.",
        **kwargs,
    )
    return postmark(raw, verdict=FORGED)


def test_a_forged_sender_with_the_reference_starts_a_new_marked_inquiry(client, outbox):
    """The issue's attack: SPF, DKIM and DMARC all failed, the citizen's address in From and
    the inquiry's reference in the subject; it was stored in her inquiry and reopened it."""
    karens = karens_closed_inquiry(client)
    assert len(outbox) == 1  # Karen's own acknowledgement

    response = post_postmark(client, forged_from_karen(karens), **AUTH)

    assert response.status_code == 200
    karens.refresh_from_db()
    assert karens.status == InquiryStatus.CLOSED  # not reopened
    assert karens.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    forged = Inquiry.objects.exclude(pk=karens.pk).get()
    assert forged.sender_unverified is True
    assert "papirerne" in forged.body_text
    inbound = InboundMessage.objects.get(inquiry=forged)
    assert (inbound.auth_spf, inbound.auth_dkim, inbound.auth_dmarc) == ("fail", "fail", "fail")
    assert inbound.authenticated is False
    assert inbound.spam_score == 2.3
    # Never acknowledged: nothing was sent to Karen (or anyone) for the forged mail.
    assert len(outbox) == 1
    assert not acks().filter(inquiry=forged).exists()


def test_a_forged_pass_in_the_mails_own_headers_confirms_nothing(client, outbox):
    """A pass the sender wrote into the mail (Authentication-Results of an authserv-id the
    site does not trust, no ESP verdict) does not confirm the sender."""
    karens = karens_closed_inquiry(client)
    raw = mime(
        sender="karen@example.org",
        subject=f"[{karens.reference}]",
        headers=[
            (
                "Authentication-Results",
                "dragoer.test; spf=pass smtp.mailfrom=example.org; "
                "dkim=pass header.d=example.org; dmarc=pass header.from=example.org",
            ),
            ("Received-SPF", "pass (forged) envelope-from=karen@example.org"),
        ],
    )
    receive(client, raw, verdict=())
    forged = Inquiry.objects.exclude(pk=karens.pk).get()
    assert forged.sender_unverified is True
    inbound = InboundMessage.objects.get(inquiry=forged)
    assert inbound.authenticated is False
    assert inbound.auth_dmarc == ""  # an untrusted pass is "not reported"
    assert len(outbox) == 1


def test_spf_passing_for_the_forgers_own_domain_confirms_nothing(client, outbox):
    """The forger's server passes SPF and DKIM for its own domain, not for Karen's."""
    karens = karens_closed_inquiry(client)
    payload = forged_from_karen(karens)
    payload["Headers"] = [
        {"Name": "X-Spam-Tests", "Value": "DKIM_SIGNED,DKIM_VALID,SPF_PASS"},
        {
            "Name": "Received-SPF",
            "Value": "Pass (sender SPF authorized) identity=mailfrom; "
            "envelope-from=bounce@forger.example",
        },
    ]
    assert post_postmark(client, payload, **AUTH).status_code == 200
    forged = Inquiry.objects.exclude(pk=karens.pk).get()
    inbound = InboundMessage.objects.get(inquiry=forged)
    assert (inbound.auth_spf, inbound.auth_dkim) == ("pass-other", "pass-other")
    assert inbound.authenticated is False
    assert forged.sender_unverified is True
    karens.refresh_from_db()
    assert karens.status == InquiryStatus.CLOSED


def test_an_unconfirmed_reply_to_our_own_mail_still_joins(client, outbox):
    """Decision: a reply whose In-Reply-To is the Message-ID of the acknowledgement we sent
    to that very address joins (only that address's owner has seen it), even when the
    sender's domain publishes no SPF or DKIM. Quoting the reference alone does not."""
    karens = karens_closed_inquiry(client)
    ack = acks().get(inquiry=karens)
    unconfirmed = (("X-Spam-Status", "No"), ("X-Spam-Tests", "SPF_NONE"))
    raw = mime(
        sender="karen@example.org",
        subject=f"Re: [{karens.reference}]",
        headers=[("In-Reply-To", ack.message_id)],
    )
    receive(client, raw, verdict=unconfirmed)
    karens.refresh_from_db()
    assert karens.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 2
    assert Inquiry.objects.count() == 1
    # Someone else's acknowledgement id does not help a different From.
    other = mime(sender="mallory@example.net", headers=[("In-Reply-To", ack.message_id)])
    receive(client, other, verdict=unconfirmed)
    assert Inquiry.objects.count() == 2


def test_a_confirmed_reply_still_joins_by_reference_and_reopens(client, outbox):
    karens = karens_closed_inquiry(client)
    receive(client, mime(sender="karen@example.org", subject=f"Re: [{karens.reference}]"))
    karens.refresh_from_db()
    assert karens.status == InquiryStatus.NEW
    assert Inquiry.objects.count() == 1


def test_mailgun_verdict_is_stored_and_a_failed_spf_is_not_acknowledged(client, mailgun, outbox):
    form = mailgun_form("X-Mailgun-Spf: Fail\r\nX-Mailgun-Sscore: 4.5\r\n" + MAILGUN_MIME)
    assert client.post(MAILGUN_URL, data=form, **AUTH).status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.auth_spf == "fail"
    assert inbound.spam_score == 4.5
    assert inbound.authenticated is False
    assert Inquiry.objects.get().sender_unverified is True
    assert outbox == []


def test_mailgun_confirmed_sender_is_acknowledged(client, mailgun, outbox):
    assert client.post(MAILGUN_URL, data=mailgun_form(), **AUTH).status_code == 200
    inbound = InboundMessage.objects.get()
    assert (inbound.auth_spf, inbound.authenticated) == ("pass", True)
    [sent] = outbox
    assert sent.to == ["jens@example.net"]
    assert sent.extra_headers["In-Reply-To"] == "<mg-20261123-0001@mail.example.net>"


def test_the_ack_threads_under_the_citizens_mail_with_its_references(client, outbox):
    raw = mime(
        message_id="<tredje@example.org>",
        headers=[
            ("In-Reply-To", "<anden@example.org>"),
            ("References", "<foerste@example.org> <anden@example.org>"),
        ],
    )
    receive(client, raw)
    [sent] = outbox
    assert sent.extra_headers["In-Reply-To"] == "<tredje@example.org>"
    assert sent.extra_headers["References"] == (
        "<foerste@example.org> <anden@example.org> <tredje@example.org>"
    )
    stored = OutboundMessage.objects.get()
    assert stored.headers["In-Reply-To"] == "<tredje@example.org>"


def test_staff_see_the_verdict_on_every_message_and_the_mark_on_a_forged_one(client, outbox):
    karens = karens_closed_inquiry(client)
    post_postmark(client, forged_from_karen(karens), **AUTH)
    forged = Inquiry.objects.exclude(pk=karens.pk).get()
    client.force_login(UserFactory(username="koordinator", groups=["Frivilligkoordinator"]))

    index = client.get("/admin/henvendelser/").content.decode()
    assert index.count("data-sender-unverified") == 1  # the forged one, not Karen's
    html = client.get(f"/admin/henvendelser/{forged.pk}/").content.decode()
    assert "Afsenderen er ikke bekræftet" in html
    assert "data-sender-unverified" in html
    assert "SPF: ikke bestået" in html and "DMARC: ikke bestået" in html
    assert "spamscore 2,3" in html

    confirmed = client.get(f"/admin/henvendelser/{karens.pk}/").content.decode()
    assert "Afsenderen er bekræftet" in confirmed and "DKIM: bestået" in confirmed
    assert "data-sender-unverified" not in confirmed

    # The mail log, as the coordinator reads it.
    inbound = InboundMessage.objects.get(inquiry=forged)
    response = client.get(f"/admin/mail-log/inbound/inspect/{inbound.pk}/")
    assert response.status_code == 200, response.get("Location")
    log = response.content.decode()
    assert "Afsenderen er ikke bekræftet" in log
    assert "ikke bestået" in log


# --- The contact form (finding 7) --------------------------------------------------------

HOSTILE_NAME = '<a href="https://vind.example/gevinst">Du har vundet 10.000 kr.</a>'
HOSTILE_SUBJECT = "Klik her: https://vind.example/gevinst <script>alert(1)</script>"


@pytest.fixture
def contact_page(site_tree):
    return site_tree.hub.add_child(instance=ContactPage(title="Kontakt os", slug="kontakt"))


def submit(client, contact_page, **overrides):
    data = {
        "name": HOSTILE_NAME,
        "email": "offer@example.org",
        "topic": "",
        "subject": HOSTILE_SUBJECT,
        "message": "Besøg https://vind.example/gevinst i dag!",
        "submission_key": str(uuid.uuid4()),
        "page": str(contact_page.pk),
        **overrides,
    }
    return client.post("/henvendelser/kontakt/", data)


def stored_mail_text() -> str:
    parts = []
    for message in OutboundMessage.objects.all():
        parts += [
            message.subject,
            message.body_text,
            message.body_html,
            message.sealed_text,
            message.sealed_html,
            " ".join(message.to),
            " ".join(message.reply_to),
            repr(message.headers),
        ]
    return "\n".join(parts)


def test_the_contact_forms_acknowledgement_relays_nothing_the_sender_typed(
    client, contact_page, outbox
):
    response = submit(client, contact_page)
    assert response.status_code in (200, 302)
    inquiry = Inquiry.objects.get()
    [sent] = outbox
    assert sent.to == ["offer@example.org"]
    assert inquiry.reference in sent.subject and inquiry.reference in sent.body
    text = stored_mail_text()
    assert OutboundMessage.objects.count() == 1
    for chosen in ("vind.example", "vundet", "10.000", "<script", "alert(", "Klik her", "<a "):
        assert chosen not in text, chosen
        assert chosen not in sent.subject + sent.body
        assert all(chosen not in content for content, _type in sent.alternatives)


def test_the_contact_form_never_joins_an_existing_inquiry(client, contact_page, outbox):
    """A typed address and a typed reference prove nothing: a new inquiry each time."""
    karens = karens_closed_inquiry(client)
    submit(
        client,
        contact_page,
        name="Karen",
        email="karen@example.org",
        subject=f"[{karens.reference}] tilføjelse",
        message="Send mig alle papirer.",
    )
    karens.refresh_from_db()
    assert karens.status == InquiryStatus.CLOSED
    assert Inquiry.objects.count() == 2


def test_the_contact_forms_acknowledgement_keeps_its_rate_limit(
    client, contact_page, outbox, settings
):
    settings.HENVENDELSER_ACK_LIMIT = 2
    for _ in range(4):
        submit(client, contact_page)
    assert Inquiry.objects.count() == 4
    assert len(outbox) == 2
