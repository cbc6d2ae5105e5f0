"""The inbound dispatch: Postmark's real inbound payload posted to Anymail's real URL."""

import base64
import copy
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.test import override_settings

from frivillig_blocks.inbound import register_inbound_address, unregister_inbound_address
from frivillig_blocks.inbound_auth import (
    aligned,
    parse_authentication_results,
    verdict_from_headers,
)
from frivillig_blocks.models import InboundMessage

from ..conftest import requires_apps

# The dispatch is tested with its real consumer, the inbox app.
pytestmark = requires_apps("henvendelser")
if apps.is_installed("henvendelser"):
    from henvendelser.models import Inquiry

URL = "/anymail/postmark/inbound/"
PAYLOAD = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "postmark_inbound.json").read_text()
)


def auth(secret="anymail:test-webhook-secret"):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, payload=PAYLOAD, **headers):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)


def with_recipient(address, message_id="another-event"):
    payload = copy.deepcopy(PAYLOAD)
    payload["OriginalRecipient"] = address
    payload["ToFull"] = [{"Email": address, "Name": "", "MailboxHash": ""}]
    payload["RawEmail"] = payload["RawEmail"].replace("<frivillig@dragoer.test>", f"<{address}>")
    payload["MessageID"] = message_id
    return payload


@pytest.mark.django_db
def test_main_address_is_stored_and_handed_to_henvendelser(client):
    response = post(client, **auth())
    assert response.status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HANDLED
    assert inbound.routed_to == "henvendelser"
    assert inbound.event_id == PAYLOAD["MessageID"]
    assert inbound.message_id == "<CAF3f9xq-7d1e@mail.example.org>"
    assert inbound.subject == "Spørgsmål om lån af lokale på Æblehaven"
    assert b"Subject: =?utf-8?q?Sp=C3=B8rgsm=C3=A5l" in bytes(inbound.raw)
    inquiry = Inquiry.objects.get()
    assert inquiry.inbound_message == inbound
    assert inquiry.sender_email == "karen@example.org"
    assert inquiry.sender_name == "Karen Sørensen"
    assert inquiry.subject == "Spørgsmål om lån af lokale på Æblehaven"
    assert "låne et lokale på Æblehaven til et møde" in inquiry.body_text


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, auth("anymail:wrong"), auth("someone:else")])
def test_without_the_webhook_secret_nothing_is_stored(client, headers):
    response = post(client, **headers)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_site_without_a_webhook_secret_refuses_every_post(client, settings):
    """Anymail accepts anything when the secret is empty (the base settings' default): the
    issue's unauthenticated Postmark POST that created an inquiry "from" a citizen."""
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    assert post(client).status_code == 403
    assert post(client, **auth()).status_code == 403
    assert InboundMessage.objects.count() == 0
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/anymail/brevo/inbound/",
        "/anymail/mailersend/inbound/",
        "/anymail/resend/inbound/",
        "/anymail/sendgrid/inbound/",
        "/anymail/mandrill/",
        "/anymail/mailgun/inbound/",  # no signing key: Mailgun is not configured
        "/anymail/mailgun/tracking/",
    ],
)
def test_only_the_configured_esps_webhooks_answer(client, url):
    response = client.post(url, data="{}", content_type="application/json", **auth())
    assert response.status_code == 404
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_postmark_is_served_only_while_it_is_configured(client, settings):
    settings.ANYMAIL_ESP = ""
    assert post(client, **auth()).status_code == 404
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_SERVER_TOKEN": "token"}
    assert post(client, **auth()).status_code == 200
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_the_same_event_twice_makes_one_message(client):
    assert post(client, **auth()).status_code == 200
    assert post(client, **auth()).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db
def test_sub_address_of_the_main_address_goes_to_henvendelser(client):
    post(client, with_recipient("frivillig+a1b2c3@dragoer.test"), **auth())
    assert InboundMessage.objects.get().routed_to == "henvendelser"


@pytest.mark.django_db
def test_unknown_recipient_is_kept_as_unrouted(client):
    post(client, with_recipient("ukendt@dragoer.test"), **auth())
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.UNROUTED
    assert inbound.routed_to == ""
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_prefix_registration_and_longest_match(client):
    seen = []
    route = register_inbound_address(
        "booking-@dragoer.test",
        lambda inbound, message: seen.append(inbound.pk),
        app_label="booking",
        prefix=True,
    )
    try:
        post(client, with_recipient("booking-42@dragoer.test", "e1"), **auth())
        post(client, with_recipient("frivillig@dragoer.test", "e2"), **auth())
    finally:
        unregister_inbound_address(route)
    booking, main = InboundMessage.objects.order_by("pk")
    assert booking.routed_to == "booking" and seen == [booking.pk]
    assert main.routed_to == "henvendelser"


@pytest.mark.django_db
def test_a_failing_handler_loses_nothing(client):
    def broken(inbound, message):
        Inquiry.objects.create(subject="half-saved")
        raise RuntimeError("handler bug")

    route = register_inbound_address("fejl@dragoer.test", broken, app_label="test")
    try:
        response = post(client, with_recipient("fejl@dragoer.test"), **auth())
    finally:
        unregister_inbound_address(route)
    assert response.status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.FAILED
    assert "handler bug" in inbound.error
    assert inbound.attempts == 1
    assert b"Sp=C3=B8rgsm=C3=A5l" in bytes(inbound.raw)  # the raw message is kept
    assert not Inquiry.objects.filter(
        subject="half-saved"
    ).exists()  # the handler's work rolled back


@pytest.mark.django_db
@override_settings(FRIVILLIG_EMAIL="hej@andet.test")
def test_the_main_address_follows_the_setting(client):
    post(client, with_recipient("hej@andet.test"), **auth())
    assert InboundMessage.objects.get().routed_to == "henvendelser"


@pytest.mark.django_db
def test_malformed_json_is_refused_without_a_500(client):
    response = client.post(URL, data="{not json", content_type="application/json", **auth())
    assert 400 <= response.status_code < 500
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_the_esps_spam_verdict_survives_the_stored_raw_message(client):
    payload = with_recipient("frivillig@dragoer.test", "spam-event")
    payload["Headers"] = [h for h in payload["Headers"] if h["Name"] != "X-Spam-Status"] + [
        {"Name": "X-Spam-Status", "Value": "Yes"}
    ]
    assert b"X-Spam-Status" not in payload["RawEmail"].encode()
    assert post(client, payload, **auth()).status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.spam_detected is True
    assert Inquiry.objects.get().is_spam is True


@pytest.mark.django_db
@pytest.mark.parametrize("from_header", ["a@x.dk, b@y.dk", "ikke en adresse <<>>", ""])
def test_an_unparseable_from_is_still_stored(client, from_header):
    payload = with_recipient("frivillig@dragoer.test", "odd-from")
    raw = payload["RawEmail"]
    payload["RawEmail"] = raw.replace(raw.split("\r\n")[2], f"From: {from_header}")
    response = post(client, payload, **auth())
    assert response.status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.raw  # nothing lost
    assert inbound.status in (InboundMessage.Status.HANDLED, InboundMessage.Status.FAILED)


# --- The ESP's verdict on the sender (frivillig_blocks.inbound_auth) --------------------


def verdict(headers, *, esp="postmark", from_domain="example.org", envelope=""):
    return verdict_from_headers(headers, esp=esp, from_domain=from_domain, envelope_sender=envelope)


@pytest.mark.parametrize(
    ("headers", "expected", "confirmed"),
    [
        # Postmark's SpamAssassin: a signature of the From domain confirms.
        (
            [("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS")],
            ("", "pass", ""),
            True,
        ),
        # A valid signature of another domain does not.
        ([("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID")], ("", "pass-other", ""), False),
        ([("X-Spam-Tests", "DKIM_SIGNED,DKIM_INVALID,SPF_FAIL")], ("fail", "fail", ""), False),
        # Postmark's Received-SPF, aligned with From / for another domain.
        (
            [
                (
                    "Received-SPF",
                    "Pass (sender SPF authorized) identity=mailfrom; envelope-from=a@mail.example.org",
                )
            ],
            ("pass", "", ""),
            True,
        ),
        (
            [("Received-SPF", "Pass (sender SPF authorized) envelope-from=x@forger.example")],
            ("pass-other", "", ""),
            False,
        ),
        (
            [("Received-SPF", "SoftFail (domain transitioning) envelope-from=a@example.org")],
            ("softfail", "", ""),
            False,
        ),
        # Only the topmost Received-SPF counts (a lower one is the sender's own).
        (
            [
                ("Received-SPF", "Fail envelope-from=a@example.org"),
                ("Received-SPF", "Pass envelope-from=a@example.org"),
            ],
            ("fail", "", ""),
            False,
        ),
        # SpamAssassin's DMARC tests (SpamAssassin 4).
        ([("X-Spam-Tests", "DMARC_PASS")], ("", "", "pass"), True),
        ([("X-Spam-Tests", "DKIM_VALID_AU,DMARC_REJECT")], ("", "pass", "fail"), False),
        # An Authentication-Results the site does not trust: its failures count, its passes not.
        (
            [("Authentication-Results", "mx.forger.example; dmarc=pass header.from=example.org")],
            ("", "", ""),
            False,
        ),
        (
            [
                (
                    "Authentication-Results",
                    "mx.example.net; spf=fail smtp.mailfrom=example.org; dmarc=fail",
                )
            ],
            ("fail", "", "fail"),
            False,
        ),
        # A forged failure does not undo the ESP's own pass for DKIM.
        (
            [
                ("X-Spam-Tests", "DKIM_VALID_AU"),
                ("Authentication-Results", "x; dkim=fail header.d=example.org"),
            ],
            ("", "pass", ""),
            True,
        ),
        # Nothing reported: not confirmed.
        ([], ("", "", ""), False),
    ],
)
def test_the_verdict_from_postmarks_headers(headers, expected, confirmed):
    result = verdict(headers)
    assert (result.spf, result.dkim, result.dmarc) == expected
    assert result.authenticated is confirmed


def test_a_trusted_authentication_results_is_read_per_rfc_8601(settings):
    settings.FRIVILLIG_INBOUND_AUTHSERV_IDS = ["mx.dragoer.test"]
    header = (
        "mx.dragoer.test 1; spf=pass (sender is authorized) smtp.mailfrom=bounce@mail.example.org;"
        " dkim=pass (2048-bit key) header.d=example.org header.s=s1; dmarc=pass (p=REJECT)"
        " header.from=example.org"
    )
    result = verdict([("Authentication-Results", header)])
    assert (result.spf, result.dkim, result.dmarc, result.authenticated) == (
        "pass",
        "pass",
        "pass",
        True,
    )
    # A DMARC pass for another From domain is a failure for this one.
    other = verdict([("Authentication-Results", header)], from_domain="kommune.dk")
    assert other.dmarc == "fail" and other.authenticated is False
    # Only the topmost header is read: the trusted one below a forged one is not.
    below = verdict(
        [("Authentication-Results", "evil; dmarc=none"), ("Authentication-Results", header)]
    )
    assert below.authenticated is False


def test_mailguns_verdict_headers():
    signed = [
        ("X-Mailgun-Spf", "Pass"),
        ("X-Mailgun-Dkim-Check-Result", "Pass"),
        ("DKIM-Signature", "v=1; a=rsa-sha256; d=example.org; s=s1; b=abc"),
    ]
    result = verdict(signed, esp="mailgun", envelope="a@example.org")
    assert (result.spf, result.dkim, result.authenticated) == ("pass", "pass", True)
    foreign = [
        ("X-Mailgun-Dkim-Check-Result", "Pass"),
        ("DKIM-Signature", "v=1; d=forger.example; b=x"),
    ]
    assert verdict(foreign, esp="mailgun").dkim == "pass-other"
    assert (
        verdict([("X-Mailgun-Spf", "Fail")], esp="mailgun", envelope="a@example.org").spf == "fail"
    )


def test_parse_authentication_results_and_alignment():
    authserv, results = parse_authentication_results("mx.example.net (comment (nested)); none")
    assert authserv == "mx.example.net" and results == []
    assert aligned("mail.example.org", "example.org") and aligned("example.org", "a.example.org")
    assert not aligned("example.org.evil.example", "example.org")
    assert not aligned("dk", "example.dk") and not aligned("", "example.org")


@pytest.mark.django_db
def test_the_verdict_is_stored_with_the_message(client):
    assert post(client, **auth()).status_code == 200
    inbound = InboundMessage.objects.get()
    assert (inbound.auth_spf, inbound.auth_dkim, inbound.auth_dmarc) == ("", "pass", "")
    assert inbound.spam_score == -0.1
    assert inbound.authenticated is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        json.dumps({**PAYLOAD, "RecordType": "Bounce"}),  # the bounce webhook set to our URL
        "[" * 100_000 + "]" * 100_000,  # deeper than the JSON parser goes
    ],
)
def test_a_payload_of_the_wrong_kind_gets_a_400_not_a_500(client, body):
    response = client.post(URL, data=body, content_type="application/json", **auth())
    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0


def test_another_esps_headers_are_only_the_senders_word():
    """Mailgun's verdict headers in a mail Postmark delivered (or SpamAssassin's in one
    Mailgun delivered) were written by the sender: their passes confirm nothing."""
    mailgun_style = [
        ("X-Spam-Tests", "DKIM_SIGNED,DKIM_INVALID"),  # Postmark's own: the signature is bad
        ("X-Mailgun-Dkim-Check-Result", "Pass"),
        ("X-Mailgun-Spf", "Pass"),
        ("DKIM-Signature", "v=1; d=example.org; s=s1; b=forged"),
    ]
    result = verdict(mailgun_style, esp="postmark", envelope="karen@example.org")
    assert result.dkim == "fail" and result.spf == "" and result.authenticated is False
    spamassassin_style = [
        ("X-Spam-Tests", "DKIM_VALID_AU,DMARC_PASS"),
        ("Received-SPF", "Pass envelope-from=karen@example.org"),
        ("X-Spam-Score", "-5"),
    ]
    forged = verdict(spamassassin_style, esp="mailgun", envelope="karen@example.org")
    assert forged.authenticated is False
    assert forged.spam_score is None  # not Mailgun's own score
