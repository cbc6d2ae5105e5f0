"""Threading end to end: a staff member replies in the admin; the citizen's answer (with
In-Reply-To) comes back through the real Postmark webhook and lands in the same inquiry,
while a stranger quoting the reference does not."""

from __future__ import annotations

import base64
import copy
import json
import urllib.request
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from frivillig_blocks.models import OutboundMessage
from henvendelser.models import Inquiry, InquiryMessage, InquiryStatus
from tests.factories import UserFactory

PAYLOAD = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "postmark_inbound.json").read_text()
)


def postmark_payload(*, sender: str, subject: str, text: str, in_reply_to: str = "") -> dict:
    raw = EmailMessage()
    raw["From"] = sender
    raw["To"] = "frivillig@dragoer.test"
    raw["Subject"] = subject
    raw["Date"] = format_datetime(timezone.now())
    message_id = make_msgid(domain="example.org")
    raw["Message-ID"] = message_id
    if in_reply_to:
        raw["In-Reply-To"] = in_reply_to
        raw["References"] = in_reply_to
    raw.set_content(text)
    address = sender.split("<")[-1].rstrip(">")
    payload = copy.deepcopy(PAYLOAD)
    payload.update(
        {
            "From": address,
            "FromName": "",
            "FromFull": {"Email": address, "Name": "", "MailboxHash": ""},
            "To": "frivillig@dragoer.test",
            "ToFull": [{"Email": "frivillig@dragoer.test", "Name": "", "MailboxHash": ""}],
            "OriginalRecipient": "frivillig@dragoer.test",
            "Subject": subject,
            "MessageID": message_id.strip("<>"),
            "TextBody": text,
            "HtmlBody": "",
            "StrippedTextReply": "",
            "Headers": [{"Name": "In-Reply-To", "Value": in_reply_to}] if in_reply_to else [],
            "Attachments": [],
            "RawEmail": raw.as_string(),
        }
    )
    return payload


def post_webhook(base_url: str, payload: dict) -> int:
    assert base_url.startswith("http://")
    request = urllib.request.Request(  # noqa: S310 (the live test server's http URL)
        base_url + "/anymail/postmark/inbound/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(b"anymail:test-webhook-secret").decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def test_reply_from_the_admin_threads_the_citizens_answer(live_site, page):
    server, _tree = live_site
    UserFactory(username="koordinator", first_name="Karin", groups=["Frivilligkoordinator"])
    inquiry = Inquiry.objects.create(
        sender_email="borger@example.org",
        sender_name="Bo Borger",
        subject="Kan jeg hjælpe til ved Strandvejsløbet?",
        status=InquiryStatus.ASSIGNED,
    )
    InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.INCOMING,
        message_id="<first@example.org>",
        sender="borger@example.org",
        body_text="Hej, jeg vil gerne hjælpe til.",
    )

    page.goto("/admin/login/")
    page.locator("#id_username").fill("koordinator")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/henvendelser/")
    page.get_by_role("link", name=inquiry.reference).click()
    page.wait_for_url(f"**/admin/henvendelser/{inquiry.pk}/")
    expect(page.get_by_text("Hej, jeg vil gerne hjælpe til.")).to_be_visible()
    page.get_by_label("Dit svar").fill("Tak! Mød op kl. 9 ved målet.")
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_url(f"**/admin/henvendelser/{inquiry.pk}/")
    expect(page.get_by_text("Svaret er sendt.")).to_be_visible()
    expect(page.get_by_text("Tak! Mød op kl. 9 ved målet.")).to_be_visible()

    outbound = OutboundMessage.objects.get(purpose="inquiry_reply")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.WAITING

    # The citizen answers our mail: In-Reply-To is our stored Message-ID.
    status = post_webhook(
        server.url,
        postmark_payload(
            sender="Bo Borger <borger@example.org>",
            subject="Re: Kan jeg hjælpe til ved Strandvejsløbet?",
            text="Super, jeg kommer kl. 9.",
            in_reply_to=outbound.message_id,
        ),
    )
    assert status == 200
    # A stranger quoting the reference (and even our Message-ID) does not join it.
    status = post_webhook(
        server.url,
        postmark_payload(
            sender="fremmed@example.net",
            subject=f"Re: Kan jeg hjælpe til ved Strandvejsløbet? [{inquiry.reference}]",
            text="Jeg er en anden person.",
            in_reply_to=outbound.message_id,
        ),
    )
    assert status == 200

    page.reload()
    expect(page.get_by_text("Super, jeg kommer kl. 9.")).to_be_visible()
    assert page.get_by_text("Jeg er en anden person.").count() == 0
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.INCOMING).count() == 2
    other = Inquiry.objects.exclude(pk=inquiry.pk).get()
    assert other.sender_email == "fremmed@example.net"
    assert other.messages.filter(body_text__contains="Jeg er en anden person.").exists()
