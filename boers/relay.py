"""Messages relayed by mail without either address: each participant gets the other's
message from the site's address with a signed reply address,
``boers+<conversation>-<participant>-<signature>@<domain of FRIVILLIG_EMAIL>``. A reply to
it comes back through the foundation's inbound dispatch into the conversation."""

from __future__ import annotations

import hmac
import logging
import re

from allauth.account.models import EmailAddress
from anymail.inbound import AnymailInboundMessage
from django.utils.crypto import salted_hmac

from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.models import InboundMessage

from . import conf

logger = logging.getLogger(__name__)

SALT = "boers.relay.reply-address"
_TOKEN = re.compile(r"^(\d{1,18})-(\d{1,18})-([0-9a-f]{24})$")
# Where a mail client's quoted copy of our mail starts.
_QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(original message|oprindelig meddelelse|forwarded message)"
    r"|on .{1,200} wrote:|den .{1,200} skrev|.{0,200} skrev .{1,200}:$|from:\s|fra:\s"
    r"|_{5,}|—— )",
    re.IGNORECASE,
)
REPLY_ABOVE = "—— "


def _domain() -> str:
    return base_settings.EMAIL.strip().lower().rpartition("@")[2]


def relay_address_base() -> str:
    """The address the inbound dispatch routes to this app (with its sub-addresses)."""
    return f"{conf.reply_local_part()}@{_domain()}"


def _signature(conversation_id: int, user_id: int) -> str:
    return salted_hmac(SALT, f"{conversation_id}:{user_id}").hexdigest()[:24]


def reply_address(conversation, user) -> str:
    """The address ``user`` replies to in ``conversation`` (lower case: mail systems may
    change the case of an address)."""
    token = f"{conversation.pk}-{user.pk}-{_signature(conversation.pk, user.pk)}"
    return f"{conf.reply_local_part()}+{token}@{_domain()}"


def parse_reply_address(recipient: str) -> tuple[int, int] | None:
    """(conversation id, participant id) of a valid reply address, else None."""
    local, _, domain = (recipient or "").strip().lower().rpartition("@")
    base, plus, token = local.partition("+")
    if domain != _domain() or base != conf.reply_local_part() or not plus:
        return None
    match = _TOKEN.match(token)
    if not match:
        return None
    conversation_id, user_id = int(match.group(1)), int(match.group(2))
    if not hmac.compare_digest(match.group(3), _signature(conversation_id, user_id)):
        return None
    return conversation_id, user_id


def display_name(conversation, user) -> str:
    """How a participant is named to the other: a first name or their role, never an
    address."""
    from django.utils.translation import gettext as _

    if user.first_name:
        return user.first_name
    if user.pk == conversation.post.author_id:
        return _("The author of the post")
    return _("The person who answered")


def relay_message(message) -> None:
    """Mail ``message`` to the conversation's other participant."""
    from frivillig_blocks.outbound import send_templated_mail

    from .links import conversation_url

    conversation = message.conversation
    recipient = conversation.other(message.sender)
    if not recipient.email or not recipient.is_active:
        return
    send_templated_mail(
        to=[recipient.email],
        template="boers/mail/message",
        context={
            "message": message,
            "post": conversation.post,
            "sender_name": display_name(conversation, message.sender),
            "url": conversation_url(conversation),
            "reply_above": REPLY_ABOVE,
        },
        purpose="boers_message",
        reply_to=[reply_address(conversation, recipient)],
        # The relayed copy goes with the conversation (integration.delete_conversations).
        related=conversation,
        headers={"Auto-Submitted": "auto-generated"},
    )


def strip_quoted(text: str) -> str:
    lines = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if _QUOTE_START.match(line):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _recipient_target(message: AnymailInboundMessage, inbound: InboundMessage):
    from frivillig_blocks.inbound import message_recipients

    for address in inbound.recipients or message_recipients(message):
        parsed = parse_reply_address(address)
        if parsed:
            return parsed
    return None


def _sender_is(user, sender: str) -> bool:
    sender = (sender or "").strip().lower()
    if not sender:
        return False
    if user.email and user.email.strip().lower() == sender:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=sender, verified=True).exists()


def handle_message(inbound: InboundMessage, message: AnymailInboundMessage):
    """A reply to a relayed mail: into the conversation when the reply address is valid and
    the mail comes from the participant it was made for; otherwise dropped (logged)."""
    from . import exceptions, services
    from .models import Conversation, Message

    target = _recipient_target(message, inbound)
    if target is None:
        logger.warning("boers: inbound mail %s has no valid reply address", inbound.pk)
        return None
    conversation_id, user_id = target
    conversation = (
        Conversation.objects.select_related("post__author", "starter")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or user_id not in conversation.participants():
        logger.warning("boers: inbound mail %s for a conversation that is gone", inbound.pk)
        return None
    user = (
        conversation.post.author if user_id == conversation.post.author_id else conversation.starter
    )
    from frivillig_blocks.inbound import sender_address

    if not _sender_is(user, sender_address(message)):
        logger.warning("boers: inbound mail %s not from the participant", inbound.pk)
        return None
    if message.spam_detected:
        logger.warning("boers: inbound mail %s marked as spam", inbound.pk)
        return None
    if not inbound.authenticated:
        # The mail provider did not confirm the sender (SPF/DKIM/DMARC): a From that matches
        # the participant proves nothing, so a forged mail never speaks in their name.
        logger.warning("boers: inbound mail %s from an unconfirmed sender", inbound.pk)
        return None
    if Message.objects.filter(inbound_message=inbound).exists():
        return None
    text = message.text or ""
    if not text.strip() and message.html:
        # An HTML-only reply: its text, without markup.
        from django.utils.html import strip_tags

        text = strip_tags(message.html.replace("<br>", "\n").replace("</p>", "\n"))
    body = strip_quoted(text)
    if not body:
        return None
    try:
        return services.send_message(
            conversation=conversation,
            user=user,
            body=body,
            via=Message.Via.MAIL,
            inbound=inbound,
        )
    except exceptions.BoersError as exc:
        logger.warning("boers: inbound mail %s refused: %s", inbound.pk, exc)
        return None
