"""Receiving mail into inquiries through Anymail's real inbound webhook URLs (Postmark JSON
with the raw message, Mailgun body-mime with a valid signature): threading, acknowledgements
without loops, encodings, spam, CPR redaction, attachments and bad input."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from django.core import mail

from frivillig_blocks.models import InboundMessage, OutboundMessage
from henvendelser import safety
from henvendelser.models import Attachment, Inquiry, InquiryMessage, RoutingRule

FIXTURES = Path(__file__).parent.parent / "fixtures"
POSTMARK_URL = "/anymail/postmark/inbound/"
MAILGUN_URL = "/anymail/mailgun/inbound/"
PAYLOAD = json.loads((FIXTURES / "postmark_inbound.json").read_text())
MAILGUN_MIME = (FIXTURES / "inbox_mailgun_body_mime.eml").read_text()
SIGNING_KEY = "key-inbox-test-signing"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"anymail:test-webhook-secret").decode()}

_counter = iter(range(1, 1_000_000))


def mime(
    *,
    sender="Karen Sørensen <karen@example.org>",
    to="frivillig@dragoer.test",
    subject="Spørgsmål",
    body="Hej, et spørgsmål.",
    message_id=None,
    headers=(),
    html=None,
) -> str:
    """A raw message (UTF-8, quoted-printable) as an ESP would deliver it."""
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage(policy=SMTP)
    if sender is not None:
        msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or f"<m{next(_counter)}@mail.example.org>"
    for name, value in headers:
        msg[name] = value
    msg.set_content(body, cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")
    return msg.as_string()


#: What Postmark's SpamAssassin adds to a mail whose sender it confirmed (DKIM signed by the
#: From domain): the verdict every test mail here has unless a test says otherwise.
CONFIRMED = (
    ("X-Spam-Status", "No"),
    ("X-Spam-Score", "-0.1"),
    ("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS"),
)


def postmark(
    raw: str, *, event_id=None, recipient="frivillig@dragoer.test", headers=(), verdict=CONFIRMED
):
    payload = copy.deepcopy(PAYLOAD)
    payload["RawEmail"] = raw
    payload["MessageID"] = event_id or f"pm-event-{next(_counter)}"
    payload["OriginalRecipient"] = recipient
    payload["Headers"] = [{"Name": n, "Value": v} for n, v in (*verdict, *headers)]
    return payload


def post_postmark(client, payload, **extra):
    return client.post(
        POSTMARK_URL, data=json.dumps(payload), content_type="application/json", **extra
    )


def receive(client, raw: str, **kwargs):
    response = post_postmark(client, postmark(raw, **kwargs), **AUTH)
    assert response.status_code == 200, response.content
    return response


#: Mailgun writes its SPF and DKIM verdict above the mail's own headers.
MAILGUN_CONFIRMED = "X-Mailgun-Spf: Pass\r\nX-Mailgun-Sflag: No\r\nX-Mailgun-Sscore: 0.2\r\n"


def mailgun_form(
    body_mime=MAILGUN_CONFIRMED + MAILGUN_MIME, *, key=SIGNING_KEY, token="a" * 50, timestamp=None
):
    timestamp = str(timestamp or int(time.time()))
    signature = hmac.new(
        key.encode("ascii"), f"{timestamp}{token}".encode("ascii"), hashlib.sha256
    ).hexdigest()
    return {
        "recipient": "frivillig@dragoer.test",
        "sender": "jens@example.net",
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
        "body-mime": body_mime,
    }


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def outbox(anymail_backend):
    return mail.outbox


def acks():
    return InquiryMessage.objects.filter(kind=InquiryMessage.Kind.ACKNOWLEDGEMENT)


# --- Webhooks ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_postmark_mail_becomes_a_routed_inquiry_and_is_acknowledged_in_danish(
    client, outbox, user_factory
):
    staff = user_factory(first_name="Mette", last_name="Holm")
    rule = RoutingRule.objects.create(name="Lokaler", keywords="lokale", priority=10)
    rule.assign_users.add(staff)
    RoutingRule.objects.create(name="Standard", is_default=True, priority=999)

    response = post_postmark(client, PAYLOAD, **AUTH)

    assert response.status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.routed_by == rule
    assert inquiry.assignee == staff
    message = inquiry.messages.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.message_id == "<CAF3f9xq-7d1e@mail.example.org>"
    assert message.inbound_message == InboundMessage.objects.get()
    assert "låne et lokale på Æblehaven" in message.body_text
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.ACKNOWLEDGEMENT).count() == 1
    [sent] = outbox
    # The bare address: the acknowledgement repeats nothing the sender wrote, not even a name.
    assert sent.to == ["karen@example.org"]
    assert sent.subject == f"Vi har modtaget din henvendelse [{inquiry.reference}]"
    assert "Tak for din henvendelse" in sent.body
    assert inquiry.reference in sent.body
    assert "Karen" not in sent.body and "Æblehaven" not in sent.body + sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    # Threaded under the citizen's mail.
    assert sent.extra_headers["In-Reply-To"] == "<CAF3f9xq-7d1e@mail.example.org>"
    assert sent.extra_headers["References"] == "<CAF3f9xq-7d1e@mail.example.org>"
    assert sent.reply_to == [f"frivillig+{inquiry.token}@dragoer.test"]
    assert OutboundMessage.objects.get().purpose == "inquiry_ack"


@pytest.mark.django_db
def test_mailgun_body_mime_with_a_valid_signature_becomes_an_inquiry(client, mailgun, outbox):
    response = client.post(MAILGUN_URL, data=mailgun_form(), **AUTH)

    assert response.status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_email == "jens@example.net"
    assert inquiry.sender_name == "Jens Kjær"
    assert inquiry.subject == "Frivillige til høstmarkedet på Dræby"
    assert "Kan I hjælpe med at få det ud?" in inquiry.body_text
    attachment = Attachment.objects.get()
    assert attachment.filename == "plån for høstmarked æøå.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4")
    assert InboundMessage.objects.get().esp_name == "Mailgun"
    assert len(outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"key": "wrong-key"},
        {"signature": "0" * 64},
        {"signature": None},
        {"auth": None},
    ],
    ids=["wrong-key", "forged-signature", "no-signature", "no-webhook-secret"],
)
def test_mailgun_without_a_valid_signature_or_secret_stores_nothing(client, mailgun, change):
    form = mailgun_form(key=change.get("key", SIGNING_KEY))
    if "signature" in change:
        if change["signature"] is None:
            del form["signature"]
        else:
            form["signature"] = change["signature"]
    headers = {} if "auth" in change else AUTH

    response = client.post(MAILGUN_URL, data=form, **headers)

    assert 400 <= response.status_code < 500
    assert InboundMessage.objects.count() == 0
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_the_same_mailgun_payload_twice_makes_one_message(client, mailgun, outbox):
    form = mailgun_form()
    assert client.post(MAILGUN_URL, data=form, **AUTH).status_code == 200
    assert client.post(MAILGUN_URL, data=form, **AUTH).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    assert len(outbox) == 1


@pytest.mark.django_db
def test_the_same_message_id_under_a_new_event_id_makes_one_message(client, outbox):
    raw = mime(message_id="<same@mail.example.org>")
    receive(client, raw, event_id="event-1")
    receive(client, raw, event_id="event-2")
    assert InboundMessage.objects.count() == 2  # nothing lost: both raw payloads are kept
    assert Inquiry.objects.count() == 1
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    assert len(outbox) == 1


# --- Content: HTML, attachments, CPR --------------------------------------------------------


@pytest.mark.django_db
def test_html_is_cleaned_and_text_kept_plain(client, outbox):
    html = (
        '<p onclick="steal()">Hej <b>med</b> dig</p><script>alert(1)</script>'
        "<style>body{display:none}</style>"
        '<a href="javascript:alert(2)">klik</a><img src=x onerror="alert(3)">'
    )
    receive(client, mime(body="<b>Hej</b> med dig", html=html))
    message = InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.body_text.strip() == "<b>Hej</b> med dig"  # text stays text
    assert "<b>med</b>" in message.body_html
    for bad in ("script", "alert(1)", "style", "display:none", "onclick", "onerror", "javascript"):
        assert bad not in message.body_html


@pytest.mark.django_db
def test_html_only_mail_gets_a_plain_text_version(client, outbox):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "ole@example.org"
    msg["To"] = "frivillig@dragoer.test"
    msg["Subject"] = "Kun HTML"
    msg["Message-ID"] = "<html-only@example.org>"
    msg.set_content("<p>Hej fra &aelig;blehaven</p><script>x()</script>", subtype="html")
    receive(client, msg.as_string())
    message = InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.body_text == "Hej fra æblehaven"


def raw_with_attachment(filename_header: str, content: bytes, ctype="application/pdf") -> str:
    encoded = base64.encodebytes(content).decode()
    return (
        "From: karen@example.org\r\nTo: frivillig@dragoer.test\r\nSubject: Bilag\r\n"
        f"Message-ID: <att{next(_counter)}@example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSe bilag.\r\n"
        f"--b\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; {filename_header}\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("filename*=utf-8''%C3%A6bler%20p%C3%A5%20tr%C3%A6.pdf", "æbler på træ.pdf"),
        ("filename*=iso-8859-1''s%F8knad.pdf", "søknad.pdf"),
        ('filename="=?utf-8?q?h=C3=B8st.pdf?="', "høst.pdf"),
        ('filename="../../etc/passwd"', "passwd"),
        ('filename="C:\\\\Windows\\\\evil.exe"', "evil.exe"),
        ("filename*=utf-8''a%0D%0Ab%00c%1B.pdf", "abc.pdf"),
        ('filename=".."', "vedhæftet fil"),
    ],
)
def test_attachment_names_are_sanitised_and_never_a_path(client, outbox, header, expected):
    receive(client, raw_with_attachment(header, b"%PDF-1.4 data"))
    attachment = Attachment.objects.get()
    assert attachment.filename == expected
    assert attachment.size == len(b"%PDF-1.4 data")
    assert attachment.file.name.startswith("henvendelser/")
    assert expected not in attachment.file.name
    assert ".." not in attachment.file.name


@pytest.mark.django_db
def test_an_attachment_over_the_limit_is_noted_not_stored(client, outbox, settings):
    settings.HENVENDELSER_MAX_ATTACHMENT_BYTES = 1000
    receive(client, raw_with_attachment('filename="stor.pdf"', b"x" * 5000))
    assert Attachment.objects.count() == 0
    message = InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING)
    assert "Den vedhæftede fil »stor.pdf«" in message.body_text
    assert "var for stor og blev ikke gemt" in message.body_text
    assert b"stor.pdf" in bytes(InboundMessage.objects.get().raw)  # the raw mail keeps it


@pytest.mark.django_db
def test_cpr_numbers_are_redacted_on_arrival(client, outbox):
    receive(
        client,
        mime(
            subject="Mit CPR 010190-1234",
            body="CPR: 0101901234 og 311299-4321. Telefon 32 00 00 00, konto 9999-1234567890.",
            html="<p>cpr 150585-1111</p>",
        ),
    )
    inquiry = Inquiry.objects.get()
    message = inquiry.messages.get(kind=InquiryMessage.Kind.INCOMING)
    assert inquiry.subject == "Mit CPR [CPR fjernet]"
    assert message.body_text.startswith("CPR: [CPR fjernet] og [CPR fjernet].")
    assert "32 00 00 00" in message.body_text
    assert "9999-1234567890" in message.body_text
    assert "[CPR fjernet]" in message.body_html and "150585" not in message.body_html
    assert "010190" not in inquiry.body_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010190-1234", "[CPR fjernet]"),
        ("2902001234", "[CPR fjernet]"),  # 29 February 2000
        ("3102901234", "3102901234"),  # no 31 February
        ("0113901234", "0113901234"),  # no month 13
        ("12345678901", "12345678901"),  # longer number
        ("tlf 1234-5678", "tlf 1234-5678"),
    ],
)
def test_redact_cpr(text, expected):
    assert safety.redact_cpr(text) == expected


# --- Threading ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reply_to_our_acknowledgement_joins_the_inquiry(client, outbox):
    receive(client, mime(message_id="<first@example.org>"))
    inquiry = Inquiry.objects.get()
    ack = acks().get()
    receive(
        client,
        mime(
            subject="Re: Spørgsmål",
            body="Tak, her er mere.",
            headers=[("In-Reply-To", ack.message_id), ("References", "<first@example.org>")],
        ),
    )
    assert Inquiry.objects.count() == 1
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 2
    assert acks().count() == 1  # a reply is not acknowledged again


@pytest.mark.django_db
def test_a_reply_joins_by_token_address_and_by_subject_reference(client, outbox):
    receive(client, mime())
    inquiry = Inquiry.objects.get()
    receive(client, mime(to=f"frivillig+{inquiry.token}@dragoer.test"), recipient="")
    receive(client, mime(subject=f"Sv: Vi har modtaget din henvendelse [{inquiry.reference}]"))
    assert Inquiry.objects.count() == 1
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 3


@pytest.mark.django_db
def test_a_stranger_quoting_the_tokens_starts_a_new_inquiry(client, outbox):
    receive(client, mime(message_id="<karen1@example.org>"))
    inquiry = Inquiry.objects.get()
    ack = acks().get()
    stranger = "Mallory <mallory@example.com>"
    receive(client, mime(sender=stranger, headers=[("In-Reply-To", ack.message_id)]))
    receive(client, mime(sender=stranger, to=f"frivillig+{inquiry.token}@dragoer.test"))
    receive(
        client,
        mime(
            sender=stranger, subject=f"Fwd: Vi har modtaget din henvendelse [{inquiry.reference}]"
        ),
    )
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    assert Inquiry.objects.filter(sender_email="mallory@example.com").count() == 3


@pytest.mark.django_db
def test_a_reply_to_a_closed_inquiry_reopens_it(client, outbox):
    from django.utils import timezone

    receive(client, mime())
    inquiry = Inquiry.objects.get()
    Inquiry.objects.filter(pk=inquiry.pk).update(status="closed", closed_at=timezone.now())
    receive(client, mime(subject=f"Re: [{inquiry.reference}]"))
    inquiry.refresh_from_db()
    assert inquiry.status == "new"
    assert inquiry.closed_at is None


# --- Loops --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_auto_reply_to_our_acknowledgement_is_stored_but_not_acknowledged(client, outbox):
    receive(client, mime())
    ack = acks().get()
    assert len(outbox) == 1
    receive(
        client,
        mime(
            subject="Automatisk svar: Vi har modtaget din henvendelse",
            body="Jeg er på ferie.",
            headers=[("Auto-Submitted", "auto-replied"), ("In-Reply-To", ack.message_id)],
        ),
    )
    auto = InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).last()
    assert auto.is_machine
    assert auto.inquiry == ack.inquiry
    assert len(outbox) == 1
    assert acks().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        ("ole@example.org", [("Auto-Submitted", "auto-generated")]),
        ("ole@example.org", [("Precedence", "bulk")]),
        ("ole@example.org", [("Precedence", "list")]),
        ("ole@example.org", [("Precedence", "junk")]),
        ("ole@example.org", [("X-Auto-Response-Suppress", "All")]),
        ("ole@example.org", [("List-Id", "<nyheder.example.org>")]),
        ("MAILER-DAEMON@mx.example.org", []),
        ("noreply@example.org", []),
        ("no-reply@example.org", []),
        ("postmaster@example.org", []),
        ("ole@example.org", [("Return-Path", "<>")]),
        ("frivillig@dragoer.test", []),
    ],
)
def test_machine_mail_is_stored_but_never_acknowledged(client, outbox, sender, headers):
    receive(client, mime(sender=sender, headers=headers))
    message = InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.is_machine
    assert acks().count() == 0
    assert outbox == []


@pytest.mark.django_db
def test_a_bounce_report_is_not_acknowledged(client, outbox):
    raw = (
        "From: Mail Delivery System <bounce-handler@mx.example.org>\r\n"
        "To: frivillig@dragoer.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce1@mx.example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "--r--\r\n"
    )
    receive(client, raw)
    assert InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING).is_machine
    assert outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [3, 1])
def test_twenty_mails_from_one_sender_get_at_most_the_limit(client, outbox, settings, limit):
    if limit != 3:
        settings.HENVENDELSER_ACK_LIMIT = limit
    for i in range(20):
        receive(client, mime(subject=f"Spørgsmål nr. {i}"))
    assert Inquiry.objects.count() == 20
    assert acks().count() == limit
    assert len(outbox) == limit
    receive(client, mime(sender="anden@example.org"))
    assert len(outbox) == limit + 1  # the limit is per sender


# --- Spam ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_spam_goes_to_quarantine_without_acknowledgement(client, outbox):
    raw = mime(subject="Vind en iPhone", headers=[("X-Spam-Status", "Yes")])
    receive(client, raw, headers=[("X-Spam-Status", "Yes"), ("X-Spam-Score", "9.1")])
    inquiry = Inquiry.objects.get()
    assert inquiry.is_spam
    assert inquiry.assignee is None
    assert outbox == []


# --- Encoding -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-8"])
def test_danish_letters_survive_end_to_end(client, outbox, charset):
    body = "Vi mødes ved åen i Dragør. Æbler, øl og ål - alt er velkomment."
    qp_body = "".join(
        f"={b:02X}" if b > 127 or b == ord("=") else chr(b) for b in body.encode(charset)
    )
    name = "".join(f"%{b:02X}" if b > 127 or b == 32 else chr(b) for b in "æøå møde.txt".encode())
    raw = (
        "From: =?utf-8?q?S=C3=B8ren_=C3=85berg?= <soren@example.org>\r\n"
        "To: frivillig@dragoer.test\r\n"
        "Subject: =?utf-8?q?M=C3=B8de_om_=C3=A6bler_p=C3=A5_=C3=85en?=\r\n"
        f"Message-ID: <enc-{charset}@example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/plain; charset={charset}\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{qp_body}\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Disposition: attachment; filename*=utf-8''{name}\r\n\r\nbilag\r\n--b--\r\n"
    )
    receive(client, raw)
    inquiry = Inquiry.objects.get()
    assert inquiry.subject == "Møde om æbler på Åen"
    assert inquiry.sender_name == "Søren Åberg"
    assert inquiry.body_text.strip() == body
    assert Attachment.objects.get().filename == "æøå møde.txt"
    assert outbox[0].to == ["soren@example.org"]  # the acknowledgement names no one


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "From: karen@example.org\r\nTo: frivillig@dragoer.test\r\nSubject: Brudt\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="nope"\r\n\r\n'
        "--wrong\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n\xe6\xf8\r\n",
        "From: karen@example.org\r\nTo: frivillig@dragoer.test\r\nSubject: Tegnsæt\r\n"
        "Content-Type: text/plain; charset=bogus-42\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n",
        "garbage without headers \x00\x01 at all\r\n\r\n",
    ],
    ids=["broken-boundary", "bad-charset", "garbage"],
)
def test_malformed_mime_is_stored_safely(client, outbox, raw):
    payload = postmark(raw)
    payload["OriginalRecipient"] = "frivillig@dragoer.test"
    response = post_postmark(client, payload, **AUTH)
    assert response.status_code < 500
    inbound = InboundMessage.objects.get()  # nothing lost
    assert inbound.status in (InboundMessage.Status.HANDLED, InboundMessage.Status.UNROUTED)
    if inbound.status == InboundMessage.Status.HANDLED:
        assert InquiryMessage.objects.filter(inbound_message=inbound).exists()


@pytest.mark.django_db
def test_a_30_mb_attachment_is_refused_with_a_4xx_and_nothing_half_stored(client, outbox):
    raw = raw_with_attachment('filename="stor.bin"', b"\0" * (30 * 1024 * 1024))
    response = post_postmark(client, postmark(raw), **AUTH)
    assert 400 <= response.status_code < 500
    assert InboundMessage.objects.count() == 0
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_large_attachment_within_the_upload_limit_is_stored_as_a_note(client, outbox, settings):
    settings.HENVENDELSER_MAX_ATTACHMENT_BYTES = 1024 * 1024
    receive(client, raw_with_attachment('filename="video.mp4"', b"\0" * (3 * 1024 * 1024)))
    assert Attachment.objects.count() == 0
    assert "video.mp4" in InquiryMessage.objects.get(kind="in").body_text
    assert InboundMessage.objects.get().status == InboundMessage.Status.HANDLED


@pytest.mark.django_db
def test_a_mail_without_from_is_stored_and_not_acknowledged(client, outbox):
    receive(client, mime(sender=None))
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_email == ""
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    assert outbox == []


@pytest.mark.django_db
def test_header_injection_in_the_subject_stays_one_line(client, outbox):
    raw = (
        "From: karen@example.org\r\nTo: frivillig@dragoer.test\r\n"
        "Subject: =?utf-8?q?Hej=0D=0ABcc:_victim@example.com=0D=0A=0D=0Akrop?=\r\n"
        "Message-ID: <inj@example.org>\r\n\r\nTekst\r\n"
    )
    receive(client, raw)
    inquiry = Inquiry.objects.get()
    assert inquiry.subject == "Hej Bcc: victim@example.com krop"
    [sent] = outbox
    assert sent.bcc == []
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert "\n" not in OutboundMessage.objects.get().subject


# --- Small pure functions -----------------------------------------------------------------


def test_machine_detection_lets_a_person_through():
    assert not safety.is_machine_mail(
        headers={"Auto-Submitted": "no", "Return-Path": "<ole@example.org>"},
        sender_email="ole@example.org",
    )
    assert safety.is_machine_mail(headers={"Auto-Submitted": "auto-replied"}, sender_email="o@x.dk")
    assert safety.is_machine_mail(headers={}, sender_email="frivillig+abc@dragoer.test")


@pytest.mark.django_db
def test_contact_form_style_call_with_uploaded_files(outbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from henvendelser.services import receive_message

    message = receive_message(
        sender_verified=False,
        from_form=True,
        sender_email="Ole@Example.org",
        sender_name="Ole\r\nBcc: x@y.z",
        subject="Fra kontaktformularen",
        text="Hej 010190-1234",
        recipient="frivillig@dragoer.test",
        attachments=[SimpleUploadedFile("../ansøgning.pdf", b"%PDF", "application/pdf")],
    )
    assert message.inquiry.sender_name == "Ole Bcc: x@y.z"
    assert message.body_text == "Hej [CPR fjernet]"
    assert message.attachments.get().filename == "ansøgning.pdf"
    assert len(outbox) == 1


@pytest.mark.django_db
def test_a_reply_to_a_staff_reply_joins_by_its_message_id(client, outbox, user_factory):
    from frivillig_blocks.outbound import send_templated_mail

    receive(client, mime())
    inquiry = Inquiry.objects.get()
    outbound = send_templated_mail(
        to=[inquiry.sender_email],
        template="henvendelser/mail/ack",
        context={"inquiry": inquiry, "reference": inquiry.reference},
        purpose="inquiry_reply",
    )
    InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.REPLY,
        outbound_message=outbound,
        message_id=outbound.message_id,
        author=user_factory(),
    )
    receive(
        client,
        mime(
            sender="KAREN@example.org",  # the address compared without case
            subject="Re: noget helt andet",
            headers=[("In-Reply-To", outbound.message_id)],
        ),
    )
    assert Inquiry.objects.count() == 1
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 2


@pytest.mark.django_db
def test_acknowledgements_older_than_an_hour_do_not_count(client, outbox, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.HENVENDELSER_ACK_LIMIT = 1
    receive(client, mime(subject="Første"))
    receive(client, mime(subject="Anden"))
    assert acks().count() == 1
    acks().update(created_at=timezone.now() - timedelta(minutes=61))
    receive(client, mime(subject="Tredje"))
    assert acks().count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_header",
    [
        "<<<>>>",
        "=?bogus-charset?q?x?= <ole@example.org>",
        "ole@example.org, mette@example.org",
        '"Ole\\" <evil@x> " <ole@example.org>',
        "ikke en adresse",
    ],
)
def test_odd_from_headers_are_stored_safely_or_refused(client, outbox, from_header):
    raw = (
        f"From: {from_header}\r\nTo: frivillig@dragoer.test\r\nSubject: Hej\r\n"
        f"Message-ID: <odd{next(_counter)}@example.org>\r\n\r\nTekst\r\n"
    )
    response = post_postmark(client, postmark(raw), **AUTH)
    assert response.status_code < 500
    if response.status_code >= 400:
        # Refused by the shared dispatch before storing (an invalid or several From
        # addresses); the ESP keeps the mail and retries or bounces it.
        assert InboundMessage.objects.count() == 0
        return
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HANDLED, inbound.error
    message = InquiryMessage.objects.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.body_text.strip() == "Tekst"
    assert len(outbox) <= 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_header", ["<<<>>>", "ole@example.org, mette@example.org", "ikke en adresse"]
)
def test_the_handler_copes_with_odd_from_headers_in_stored_mail(outbox, from_header):
    from frivillig_blocks.inbound import dispatch_stored

    raw = (
        f"From: {from_header}\r\nTo: frivillig@dragoer.test\r\nSubject: Hej\r\n"
        "Message-ID: <stored-odd@example.org>\r\n\r\nTekst\r\n"
    ).encode()
    inbound = InboundMessage.objects.create(
        esp_name="Postmark", recipients=["frivillig@dragoer.test"], raw=raw
    )
    dispatch_stored(inbound)
    inbound.refresh_from_db()
    assert inbound.status == InboundMessage.Status.HANDLED, inbound.error
    message = InquiryMessage.objects.get(inbound_message=inbound)
    assert message.body_text.strip() == "Tekst"
    if "," in from_header:
        assert message.inquiry.sender_email == "ole@example.org"
