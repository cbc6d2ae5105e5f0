"""Which inquiry a message belongs to. In order: our stored Message-IDs in In-Reply-To and
References, the token of the reply address (``frivillig+<token>@…``), the reference in the
subject (``[H-XXXXXX]``). In every case only when the sender is the inquiry's sender, so a
forwarded mail or a stranger quoting a token starts a new inquiry.

A mail whose sender the mail provider could not confirm (a forged ``From`` looks exactly
like the citizen) is threaded only by :func:`find_inquiry_answering_our_mail`: it must
answer a mail we sent to that address."""

from __future__ import annotations

import re
from email.utils import getaddresses

from frivillig_blocks.conf import app_settings as base_settings

from .models import Inquiry, InquiryMessage

_MESSAGE_ID = re.compile(r"<[^<>\s]{1,500}>")
_REFERENCE = re.compile(r"\[\s*(H-[23456789A-HJ-NP-Z]{6})\s*\]", re.IGNORECASE)
_TOKEN = re.compile(r"^[0-9a-f]{8,32}$")
MAX_REFERENCES = 50


def _main_address() -> tuple[str, str]:
    local, _, domain = base_settings.EMAIL.strip().lower().rpartition("@")
    return local, domain


def reply_address(inquiry: Inquiry) -> str:
    """The signed reply address of an inquiry: ``frivillig+<token>@<domain>``."""
    local, domain = _main_address()
    return f"{local}+{inquiry.token}@{domain}"


def token_from_recipient(recipient: str) -> str:
    local, domain = _main_address()
    r_local, _, r_domain = (recipient or "").strip().lower().rpartition("@")
    base, plus, token = r_local.partition("+")
    if r_domain != domain or base != local or not plus or not _TOKEN.match(token):
        return ""
    return token


def message_ids(*values: str) -> list[str]:
    found: list[str] = []
    for value in values:
        found.extend(_MESSAGE_ID.findall(value or ""))
    return list(dict.fromkeys(found))[-MAX_REFERENCES:]


def reference_from_subject(subject: str) -> str:
    match = _REFERENCE.search(subject or "")
    return match.group(1).upper() if match else ""


def _same_sender(inquiry: Inquiry | None, sender_email: str) -> bool:
    return bool(
        inquiry
        and sender_email
        and inquiry.anonymised_at is None
        and not inquiry.is_spam
        and inquiry.sender_email.strip().lower() == sender_email.strip().lower()
    )


def find_inquiry(
    *,
    sender_email: str,
    recipient: str = "",
    subject: str = "",
    in_reply_to: str = "",
    references: str = "",
) -> Inquiry | None:
    """The inquiry this message continues, or None for a new inquiry."""
    if not sender_email:
        return None
    ids = message_ids(in_reply_to, references)
    if ids:
        candidates = (
            InquiryMessage.objects.filter(message_id__in=ids)
            .select_related("inquiry")
            .order_by("-created_at", "-pk")
        )
        for message in candidates:
            if _same_sender(message.inquiry, sender_email):
                return message.inquiry
    token = token_from_recipient(recipient)
    if token:
        inquiry = Inquiry.objects.filter(token=token).first()
        if _same_sender(inquiry, sender_email):
            return inquiry
    reference = reference_from_subject(subject)
    if reference:
        inquiry = Inquiry.objects.filter(reference=reference).first()
        if _same_sender(inquiry, sender_email):
            return inquiry
    return None


def find_inquiry_answering_our_mail(
    *, sender_email: str, in_reply_to: str = "", references: str = ""
) -> Inquiry | None:
    """The inquiry whose acknowledgement or staff reply, sent to ``sender_email``, this
    mail answers (its Message-ID in In-Reply-To or References), or None. Neither the
    subject's reference nor the reply address's token is enough here: both travel in every
    forwarded or quoted copy, while our Message-ID proves the sender got our mail."""
    ids = message_ids(in_reply_to, references)
    if not sender_email or not ids:
        return None
    sender = sender_email.strip().lower()
    candidates = (
        InquiryMessage.objects.filter(
            message_id__in=ids,
            kind__in=[InquiryMessage.Kind.REPLY, InquiryMessage.Kind.ACKNOWLEDGEMENT],
            outbound_message__isnull=False,
        )
        .select_related("inquiry", "outbound_message")
        .order_by("-created_at", "-pk")
    )
    for message in candidates:
        sent_to = {
            addr.strip().lower() for _name, addr in getaddresses(message.outbound_message.to)
        }
        if sender in sent_to and _same_sender(message.inquiry, sender_email):
            return message.inquiry
    return None
