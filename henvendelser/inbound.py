"""The handler the shared inbound dispatch calls for mail to the volunteer address: the
parsed mail becomes a message in an inquiry (see ``services.receive_message``)."""

from __future__ import annotations

from anymail.exceptions import AnymailInvalidAddress
from anymail.inbound import AnymailInboundMessage

from frivillig_blocks.inbound import message_recipients
from frivillig_blocks.models import InboundMessage

from . import services
from .models import InquiryMessage
from .threading import token_from_recipient


def _decode_text(part) -> str:
    try:
        return part.get_content_text() or ""
    except (LookupError, UnicodeError, ValueError, AssertionError):
        # An unknown charset or a broken part: the raw mail stays stored in any case.
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _content_bytes(part) -> bytes:
    try:
        return part.get_content_bytes() or b""
    except (ValueError, TypeError, AssertionError):
        return b""


def _filename(part) -> str:
    try:
        return part.get_filename() or ""
    except (LookupError, UnicodeError, ValueError):
        return ""


def _contents(message: AnymailInboundMessage):
    """(text, html, attachments) in one walk over the parts, as Anymail's ``text``, ``html``
    and ``attachments`` would give them (each of those walks the message again)."""
    text = html = None
    attachments: list[tuple[str, str, bytes]] = []
    for part in message.walk():
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            continue
        content_type = part.get_content_type()
        if part.get_content_disposition() == "attachment":
            attachments.append((_filename(part), content_type, _content_bytes(part)))
        elif content_type == "text/plain" and text is None:
            text = _decode_text(part)
        elif content_type == "text/html" and html is None:
            html = _decode_text(part)
    return text or "", html or "", attachments


def _recipient(message: AnymailInboundMessage, inbound: InboundMessage) -> str:
    recipients = inbound.recipients or message_recipients(message)
    for address in recipients:
        if token_from_recipient(address):
            return address
    return recipients[0] if recipients else ""


def _header(message: AnymailInboundMessage, name: str) -> str:
    try:
        return str(message.get(name) or "")
    except (LookupError, UnicodeError, ValueError):
        return ""


def handle_message(inbound: InboundMessage, message: AnymailInboundMessage) -> InquiryMessage:
    try:
        sender = message.from_email
    except (AnymailInvalidAddress, ValueError, IndexError):
        sender = None
    if isinstance(sender, list):  # several From addresses: the first one speaks
        sender = sender[0]
    # Raw header values (no parsing of every header into objects): only names and flags
    # such as Auto-Submitted, Precedence or X-Spam-Status are read from them.
    headers = {}
    for key, value in message.raw_items():
        headers.setdefault(key.lower(), " ".join(str(value).split()))
    text, html, attachments = _contents(message)
    return services.receive_message(
        inbound=inbound,
        message=message,
        sender_email=sender.addr_spec if sender else "",
        sender_name=sender.display_name if sender else "",
        subject=_header(message, "Subject"),
        text=text,
        html=html,
        recipient=_recipient(message, inbound),
        message_id=headers.get("message-id", "").strip(),
        in_reply_to=headers.get("in-reply-to", ""),
        references=headers.get("references", ""),
        headers=headers,
        attachments=attachments,
        # The mail provider's verdict (SPF, DKIM, DMARC) on the address in From.
        sender_verified=bool(inbound.authenticated),
    )
