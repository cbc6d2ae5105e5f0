"""The inbound dispatch: Postmark's real inbound payload posted to Anymail's real URL."""

import base64
import copy
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.test import override_settings

from frivillig_blocks.inbound import register_inbound_address, unregister_inbound_address
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
