"""Outgoing mail: Danish templates, a stored Message-ID, sent through Anymail by a task."""

import pytest
from django.core import mail

from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import send_templated_mail


@pytest.mark.django_db
def test_templated_mail_is_stored_and_sent_with_its_message_id(
    anymail_backend, association_factory, user
):
    association = association_factory(name="Dragør Søspejdere")
    outbound = send_templated_mail(
        to=["ny@example.org"],
        template="frivillig_blocks/mail/invitation",
        context={
            "association": association,
            "inviter": user,
            "url": "https://x.test/i/1",
            "role": "medlem",
        },
        purpose="invitation",
    )
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT
    assert outbound.message_id.endswith("@dragoer.test>")
    sent = mail.outbox[-1]
    assert sent.extra_headers["Message-ID"] == outbound.message_id
    assert sent.subject == "Invitation til Dragør Søspejdere"
    assert "https://x.test/i/1" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    assert outbound.esp_message_id == "0"  # Anymail's test backend answers with the outbox index


@pytest.mark.django_db
def test_header_injection_in_a_subject_is_flattened(anymail_backend, association_factory, user):
    association = association_factory(name="Ond\r\nBcc: alle@example.org")
    send_templated_mail(
        to=["ny@example.org"],
        template="frivillig_blocks/mail/invitation",
        context={"association": association, "inviter": user, "url": "u", "role": "r"},
        purpose="invitation",
    )
    outbound = OutboundMessage.objects.get()
    assert "\n" not in outbound.subject and "\r" not in outbound.subject
    assert mail.outbox[-1].bcc == []


@pytest.mark.django_db
def test_a_mail_already_sent_is_not_sent_again(anymail_backend):
    from frivillig_blocks.tasks import send_outbound_message

    outbound = OutboundMessage.objects.create(
        message_id="<x@dragoer.test>",
        purpose="t",
        from_email="a@dragoer.test",
        to=["b@example.org"],
        subject="Hej",
        body_text="Hej",
    )
    send_outbound_message.call(outbound.pk)
    send_outbound_message.call(outbound.pk)
    assert len(mail.outbox) == 1
