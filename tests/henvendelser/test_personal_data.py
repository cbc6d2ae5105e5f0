"""The inbox in the personal data registry: a person's inquiries are in their data
download, anonymised with their account (attachments and mail too), and anonymised by the
nightly retention run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data
from frivillig_blocks.models import InboundMessage, OutboundMessage
from henvendelser import staff
from henvendelser.models import Attachment, Inquiry, InquiryMessage, InquiryStatus, RoutingDecision
from tests.factories import UserFactory

from .test_receiving import mime, receive

pytestmark = pytest.mark.django_db

KEY = "henvendelser.inquiries"


@pytest.fixture
def outbox(anymail_backend):
    return mail.outbox


@pytest.fixture
def karen():
    return UserFactory(
        username="karen", email="karen@example.org", first_name="Karen", last_name="Sørensen"
    )


def karens_mail(client, subject="Lokaler til strikkeklubben", **kwargs):
    raw = mime(
        sender="Karen Sørensen <Karen@Example.org>",
        subject=subject,
        body="Hej, jeg hedder Karen Sørensen og bor på Strandgade 4.",
        **kwargs,
    )
    receive(client, raw)
    return Inquiry.objects.order_by("-pk").first()


def with_attachment(client):
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Karen Sørensen <karen@example.org>"
    msg["To"] = "frivillig@dragoer.test"
    msg["Subject"] = "Ansøgning med bilag"
    msg["Message-ID"] = "<bilag@example.org>"
    msg.set_content("Se mit CV.")
    msg.add_attachment(b"%PDF karen", maintype="application", subtype="pdf", filename="cv.pdf")
    receive(client, msg.as_string())
    return Inquiry.objects.get(subject="Ansøgning med bilag")


def test_the_download_holds_every_inquiry_with_its_messages(client, outbox, karen):
    first = karens_mail(client)
    coordinator = UserFactory(username="koordinator", groups=["Frivilligkoordinator"])
    staff.send_reply(inquiry=first, user=coordinator, text="Hej Karen, det kan I godt.")
    staff.add_note(inquiry=first, user=coordinator, text="Intern: ring til skolen.")
    second = with_attachment(client)
    receive(client, mime(sender="ole@example.net", subject="Oles spørgsmål"))

    data = personal_data.export(karen)[KEY]

    assert [i["reference"] for i in data] == [first.reference, second.reference]
    one = data[0]
    assert one["sender_email"] == "Karen@Example.org"
    assert one["subject"] == "Lokaler til strikkeklubben"
    assert one["sender_confirmed"] is True
    kinds = [m["kind"] for m in one["messages"]]
    assert kinds == ["in", "ack", "reply"]  # no internal note
    assert "Strandgade 4" in one["messages"][0]["text"]
    assert "det kan I godt" in one["messages"][2]["text"]
    assert data[1]["messages"][0]["attachments"] == [
        {"name": "cv.pdf", "type": "application/pdf", "size": 10}
    ]
    assert "Oles" not in repr(data)


def test_deleting_the_account_anonymises_the_inquiries_and_their_mail_and_files(
    client, outbox, karen, django_capture_on_commit_callbacks
):
    first = karens_mail(client)
    coordinator = UserFactory(username="koordinator", groups=["Frivilligkoordinator"])
    staff.send_reply(inquiry=first, user=coordinator, text="Hej Karen Sørensen.")
    second = with_attachment(client)
    attachment = Attachment.objects.get(message__inquiry=second)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    receive(client, mime(sender="ole@example.net", subject="Oles spørgsmål"))
    ole = Inquiry.objects.get(sender_email="ole@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(karen)

    for inquiry in (first, second):
        inquiry.refresh_from_db()
        assert inquiry.anonymised_at is not None
    assert not storage.exists(name)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    # No trace of Karen in any text the inbox or its mail logs keep.
    texts = []
    for inquiry in Inquiry.objects.all():
        texts += [inquiry.sender_email, inquiry.sender_name, inquiry.subject, inquiry.body_text]
        texts += [inquiry.routing_note, str(inquiry)]
    for message in InquiryMessage.objects.all():
        texts += [message.sender, message.body_text, message.body_html]
    for inbound in InboundMessage.objects.all():
        texts += [inbound.sender, inbound.subject, bytes(inbound.raw).decode("utf-8", "replace")]
        texts += [repr(inbound.recipients)]
    for outbound in OutboundMessage.objects.all():
        texts += [repr(outbound.to), outbound.subject, outbound.body_text, outbound.body_html]
        texts += [repr(outbound.headers)]
    texts += [entry.label for entry in ModelLogEntry.objects.all()]
    texts += [d.reason for d in RoutingDecision.objects.all()]
    text = "\n".join(texts).lower()
    for datum in ("karen", "sørensen", "strandgade", "strikkeklub", "cv.pdf"):
        assert datum not in text, datum
    # Ole's inquiry stands.
    ole.refresh_from_db()
    assert ole.anonymised_at is None and ole.sender_email == "ole@example.net"
    assert "Oles spørgsmål" in ole.subject


def test_retention_anonymises_old_spam_but_not_new_spam_or_open_inquiries(settings):
    settings.HENVENDELSER_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    old_spam = Inquiry.objects.create(
        sender_email="spam@example.biz", subject="Vind", is_spam=True, last_message_at=old
    )
    new_spam = Inquiry.objects.create(
        sender_email="spam@example.biz", subject="Vind igen", is_spam=True
    )
    still_open = Inquiry.objects.create(sender_email="ole@example.net", last_message_at=old)
    closed_recently = Inquiry.objects.create(
        sender_email="bo@example.net",
        status=InquiryStatus.CLOSED,
        closed_at=timezone.now() - timedelta(days=2),
    )

    assert personal_data.expire()[KEY] == 1

    old_spam.refresh_from_db()
    assert old_spam.anonymised_at and old_spam.subject == ""
    for other in (new_spam, still_open, closed_recently):
        other.refresh_from_db()
        assert other.anonymised_at is None


def test_the_inbox_is_in_the_record_of_processing():
    from django.utils import translation

    with translation.override("en"):  # the README's record is in English
        [row] = [r for r in personal_data.register_table() if r["key"] == KEY]
    assert "HENVENDELSER_RETENTION_DAYS" in row["retention"]
    assert "6(1)(e)" in row["legal_basis"]
