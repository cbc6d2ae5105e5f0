"""The mail logs as sources of personal data: every mail we sent to a person's address and
every mail we received from it. Both are pruned after a documented period (conf.py)."""

from __future__ import annotations

import datetime
import email
import email.policy
import json
from email.utils import parseaddr

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from .conf import app_settings
from .models import InboundMessage, OutboundMessage
from .personal_data import Person, PersonalDataSource

#: A sealed mail's secret older than this was never sent (the worker is down, the task
#: was lost): nobody needs it any more, so the nightly run wipes it.
SEALED_MAX_AGE = datetime.timedelta(hours=1)


def _contains_any(field_name: str, person: Person) -> Q:
    """A database pre-filter (``icontains``) on a JSON or text column for the person's
    addresses, written as JSON would store them on SQLite (``ø`` as ``\\u00f8``) and
    PostgreSQL; the exact match is made in Python (``Person.owns_address``)."""
    q = Q(pk__in=[])
    for address in sorted(person.emails):
        q |= Q(**{f"{field_name}__icontains": address})
        escaped = json.dumps(address)[1:-1]
        if escaped != address:
            q |= Q(**{f"{field_name}__icontains": escaped})
    return q


def outgoing_to(person: Person) -> list[OutboundMessage]:
    """Every stored mail with one of the person's addresses among its recipients."""
    if not person.emails:
        return []
    candidates = (
        OutboundMessage.objects.annotate(to_text=Cast("to", TextField()))
        .filter(_contains_any("to_text", person))
        .order_by("created_at", "pk")
    )
    return [m for m in candidates if any(person.owns_address(str(a)) for a in m.to or [])]


def incoming_from(person: Person) -> list[InboundMessage]:
    """Every stored incoming mail whose sender (``Name <addr>``) is one of the person's."""
    if not person.emails:
        return []
    candidates = (
        InboundMessage.objects.filter(_contains_any("sender", person))
        .defer("raw")
        .order_by("received_at", "pk")
    )
    return [m for m in candidates if person.owns_address(m.sender)]


def export_outgoing(person: Person) -> list[dict]:
    return [
        {
            "subject": m.subject,
            "to": m.to,
            "purpose": m.purpose,
            "created": m.created_at,
            "sent": m.sent_at,
            "status": m.status,
            # As stored: a code or a link that granted access shows as "[…]".
            "text": m.body_text,
        }
        for m in outgoing_to(person)
    ]


def erase_outgoing(person: Person) -> None:
    mails = outgoing_to(person)
    OutboundMessage.objects.filter(pk__in=[m.pk for m in mails]).delete()


def expire_outgoing(now: datetime.datetime) -> int:
    days = app_settings.OUTGOING_MAIL_RETENTION_DAYS
    removed, _by_model = OutboundMessage.objects.filter(
        created_at__lt=now - datetime.timedelta(days=days)
    ).delete()
    wiped = (
        OutboundMessage.objects.filter(created_at__lt=now - SEALED_MAX_AGE)
        .exclude(sealed_text="", sealed_html="")
        .update(sealed_text="", sealed_html="")
    )
    return removed + wiped


def _text_of(raw: bytes) -> str:
    """The plain text of a stored raw mail (its first text/plain part), best effort."""
    try:
        message = email.message_from_bytes(bytes(raw), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""
    except Exception:  # a malformed mail: its subject and date still go out
        return ""


def export_incoming(person: Person) -> list[dict]:
    found = []
    for m in incoming_from(person):
        raw = InboundMessage.objects.filter(pk=m.pk).values_list("raw", flat=True).first()
        found.append(
            {
                "subject": m.subject,
                "from": parseaddr(m.sender)[1] or m.sender,
                "to": m.recipients,
                "received": m.received_at,
                "status": m.status,
                "text": _text_of(raw or b""),
            }
        )
    return found


def erase_incoming(person: Person) -> None:
    mails = incoming_from(person)
    InboundMessage.objects.filter(pk__in=[m.pk for m in mails]).delete()


def expire_incoming(now: datetime.datetime) -> int:
    days = app_settings.INCOMING_MAIL_RETENTION_DAYS
    removed, _by_model = InboundMessage.objects.filter(
        received_at__lt=now - datetime.timedelta(days=days)
    ).delete()
    return removed


def sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="frivillig_blocks.outgoing_mail",
            label=_("Outgoing mail log"),
            data=_(
                "Every mail the platform sent to the person: address, subject, text (codes "
                "and links that grant access are stored as “[…]”), purpose, time, delivery "
                "status."
            ),
            purpose=_(
                "To send the mail through the mail provider, retry it, and answer questions "
                "about what was sent and whether it arrived."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(b) and (e): the agreement or the public task the mail is part of."
            ),
            retention=_(
                "Deleted after FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS (default 180 days); a "
                "code or link waiting to be sent is wiped after one hour; deleted with the "
                "record it is about and with the account."
            ),
            export=export_outgoing,
            erase=erase_outgoing,
            expire=expire_outgoing,
            erase_last=True,
        ),
        PersonalDataSource(
            key="frivillig_blocks.incoming_mail",
            label=_("Incoming mail log"),
            data=_(
                "Every mail received from the person's address as it arrived (sender name "
                "and address, recipients, subject, the raw message with attachments) and the "
                "mail provider's verdict on it."
            ),
            purpose=_(
                "To hand the mail to the app it is for (the inbox, the exchange) and to hand "
                "it over again when that failed."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (the municipality's task of answering the citizen who wrote)."
            ),
            retention=_(
                "Deleted after FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS (default 30 days; the "
                "inbox keeps its own copy in the inquiry) and with the account."
            ),
            export=export_incoming,
            erase=erase_incoming,
            expire=expire_incoming,
            erase_last=True,
        ),
    ]
