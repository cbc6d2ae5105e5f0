"""The inbound dispatch: one receiver of Anymail's ``inbound`` signal stores every message,
then hands it to the app that registered the recipient address.

An app registers its address in its ``AppConfig.ready()``::

    from frivillig_blocks.inbound import register_inbound_address

    register_inbound_address(
        lambda: app_settings.EMAIL,      # or a plain string
        "henvendelser.inbound.handle_message", # handler(inbound, message)
        app_label="henvendelser",
    )

An exact address also takes its sub-addresses (``frivillig+token@…``); with ``prefix=True``
every local part that starts with the given one (``booking-…@…``) matches. The longest
match wins. A handler receives the stored :class:`InboundMessage` and the parsed
``AnymailInboundMessage`` and runs in its own transaction: when it raises, the message
stays stored as failed, is shown in the admin and retried by a task.

Every message is stored with the ESP's verdict on its sender (``auth_spf``, ``auth_dkim``,
``auth_dmarc``, ``spam_score``, ``authenticated``; see ``inbound_auth``). A handler must not
trust the ``From`` of a message whose ``inbound.authenticated`` is False.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from anymail.inbound import AnymailInboundMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .inbound_auth import Verdict, verdict_from_headers
from .models import InboundMessage

logger = logging.getLogger(__name__)

Handler = Callable[[InboundMessage, AnymailInboundMessage], object]
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class InboundRoute:
    address: str | Callable[[], str]
    handler: str | Handler
    app_label: str
    prefix: bool = False

    def resolved_address(self) -> tuple[str, str]:
        address = self.address() if callable(self.address) else self.address
        local, _, domain = address.strip().lower().rpartition("@")
        return local, domain

    def score(self, recipient: str) -> int:
        """How well this route matches a recipient address; 0 is no match."""
        local, domain = self.resolved_address()
        r_local, _, r_domain = recipient.strip().lower().rpartition("@")
        if not local or r_domain != domain:
            return 0
        if self.prefix:
            return len(local) if r_local.startswith(local) else 0
        if r_local == local or r_local.startswith(local + "+"):
            return 1000 + len(local)
        return 0

    def get_handler(self) -> Handler:
        return import_string(self.handler) if isinstance(self.handler, str) else self.handler


_routes: list[InboundRoute] = []


def register_inbound_address(
    address: str | Callable[[], str],
    handler: str | Handler,
    *,
    app_label: str,
    prefix: bool = False,
) -> InboundRoute:
    route = InboundRoute(address=address, handler=handler, app_label=app_label, prefix=prefix)
    if route not in _routes:
        _routes.append(route)
    return route


def unregister_inbound_address(route: InboundRoute) -> None:
    if route in _routes:
        _routes.remove(route)


def registered_routes() -> tuple[InboundRoute, ...]:
    return tuple(_routes)


def resolve_route(recipients: list[str]) -> InboundRoute | None:
    best: tuple[int, InboundRoute] | None = None
    for recipient in recipients:
        for route in _routes:
            score = route.score(recipient)
            if score and (best is None or score > best[0]):
                best = (score, route)
    return best[1] if best else None


def message_recipients(message: AnymailInboundMessage) -> list[str]:
    recipients: list[str] = []
    if message.envelope_recipient:
        recipients.append(message.envelope_recipient)
    for header in ("To", "Cc"):
        try:
            addresses = message.get_address_header(header)
        except Exception:  # an unparseable header still leaves the envelope recipient
            addresses = []
        recipients.extend(address.addr_spec for address in addresses if address.addr_spec)
    return list(dict.fromkeys(r.strip().lower() for r in recipients))


def raw_bytes(message: AnymailInboundMessage, esp_event=None) -> bytes:
    """The message exactly as the ESP delivered it where the payload carries it (Postmark's
    RawEmail, Mailgun's body-mime); re-serialised from the parsed message otherwise."""
    original = None
    if isinstance(esp_event, dict):
        original = esp_event.get("RawEmail")
    elif hasattr(esp_event, "POST"):
        original = esp_event.POST.get("body-mime")
    if isinstance(original, str) and original:
        return original.encode("utf-8", "surrogateescape")
    try:
        return message.as_bytes()
    except (UnicodeError, LookupError):
        return message.as_string().encode("utf-8", "surrogateescape")


def esp_spam_verdict(esp_event) -> bool:
    """Postmark reports its spam check in the payload's Headers, not in RawEmail (which
    Anymail reads when present)."""
    if isinstance(esp_event, dict):
        for header in esp_event.get("Headers") or []:
            if isinstance(header, dict) and str(header.get("Name", "")).lower() == "x-spam-status":
                return str(header.get("Value", "")).strip().lower().startswith("yes")
    return False


def esp_headers(message: AnymailInboundMessage, esp_event=None) -> list[tuple[str, str]]:
    """The mail's headers topmost first, with the ones the ESP added: Postmark's payload
    lists them (its SpamAssassin and SPF headers are not in RawEmail), without the
    Return-Path it puts first; other ESPs add theirs to the message itself."""
    if isinstance(esp_event, dict) and isinstance(esp_event.get("Headers"), list):
        headers = [
            (str(h.get("Name", "")), str(h.get("Value", "")))
            for h in esp_event["Headers"]
            if isinstance(h, dict)
        ]
        if headers and headers[0][0].lower() == "return-path":
            headers = headers[1:]
        return headers
    try:
        return [(str(k), str(v)) for k, v in message.raw_items()]
    except (TypeError, ValueError, UnicodeError):
        return []


def sender_verdict(message: AnymailInboundMessage, *, esp_name: str, esp_event=None) -> Verdict:
    """The ESP's verdict on the sender (see ``inbound_auth``); never raises."""
    from_domain = sender_address(message).rpartition("@")[2]
    envelope = getattr(message, "envelope_sender", None) or ""
    score = getattr(message, "spam_score", None)
    try:
        return verdict_from_headers(
            esp_headers(message, esp_event),
            esp=esp_name.strip().lower().replace(" ", "_"),
            from_domain=from_domain,
            envelope_sender=str(envelope),
            spam_score=score if isinstance(score, float) else None,
        )
    except Exception:  # a header we cannot read: unconfirmed, and the mail is still stored
        logger.exception("could not read the sender verdict of an inbound mail")
        return Verdict()


def sender_address(message: AnymailInboundMessage) -> str:
    """The sender's address; a From header Anymail cannot parse (several or invalid
    addresses) is kept as written, so the message is still stored."""
    try:
        from_email = message.from_email
    except Exception:  # Anymail raises its own errors for unparseable addresses
        from_email = None
    if isinstance(from_email, list):  # several From addresses: legal, unusual
        from_email = from_email[0] if from_email else None
    if from_email is not None and from_email.addr_spec:
        return from_email.addr_spec
    # The header as written: reading it through the parser raises again (a CR or LF in an
    # encoded name, for one), so take the raw value and its address if one is there.
    raw = next((str(v) for k, v in message.raw_items() if str(k).lower() == "from"), "")
    raw = " ".join(raw.splitlines())
    angle = re.search(r"<([^<>\s]+@[^<>\s]+)>\s*$", raw)
    return angle.group(1) if angle else raw.strip()


def store_message(
    *, esp_name: str, event_id: str | None, message: AnymailInboundMessage, esp_event=None
):
    """Store the raw message before anything else. Returns (inbound, created)."""
    event_id = (event_id or "")[:255]
    if event_id:
        existing = InboundMessage.objects.filter(esp_name=esp_name, event_id=event_id).first()
        if existing:
            return existing, False
    verdict = sender_verdict(message, esp_name=esp_name, esp_event=esp_event)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                esp_name=esp_name,
                event_id=event_id,
                message_id=(message.get("Message-ID") or "").strip()[:998],
                sender=sender_address(message)[:998],
                spam_detected=bool(getattr(message, "spam_detected", False))
                or esp_spam_verdict(esp_event),
                auth_spf=verdict.spf,
                auth_dkim=verdict.dkim,
                auth_dmarc=verdict.dmarc,
                spam_score=verdict.spam_score,
                authenticated=verdict.authenticated,
                recipients=message_recipients(message),
                subject=" ".join((message.subject or "").splitlines())[:998],
                raw=raw_bytes(message, esp_event),
            )
    except IntegrityError:
        # The same event arrived twice at once: the other request stored it.
        return InboundMessage.objects.get(esp_name=esp_name, event_id=event_id), False
    return inbound, True


def dispatch_stored(inbound: InboundMessage) -> InboundMessage:
    """Hand a stored message to the app whose address it was sent to."""
    message = AnymailInboundMessage.parse_raw_mime_bytes(bytes(inbound.raw))
    # The ESP's spam verdict may live only in its payload, not in the raw message.
    message.spam_detected = message.spam_detected or inbound.spam_detected
    route = resolve_route(inbound.recipients or message_recipients(message))
    if route is None:
        inbound.status = InboundMessage.Status.UNROUTED
        inbound.save(update_fields=["status"])
        logger.warning("inbound mail %s matched no registered address", inbound.pk)
        return inbound
    inbound.routed_to = route.app_label
    inbound.attempts += 1
    try:
        with transaction.atomic():
            route.get_handler()(inbound, message)
    except Exception:
        inbound.status = InboundMessage.Status.FAILED
        inbound.error = traceback.format_exc()[-4000:]
        inbound.save(update_fields=["status", "routed_to", "attempts", "error"])
        logger.exception("inbound mail %s failed in %s", inbound.pk, route.app_label)
        _schedule_retry(inbound)
        return inbound
    inbound.status = InboundMessage.Status.HANDLED
    inbound.error = ""
    inbound.save(update_fields=["status", "routed_to", "attempts", "error"])
    return inbound


def _schedule_retry(inbound: InboundMessage) -> None:
    from .tasks import retry_inbound_message

    if inbound.attempts >= MAX_ATTEMPTS or not retry_inbound_message.get_backend().supports_defer:
        return
    delay = timedelta(minutes=5 * 2 ** (inbound.attempts - 1))
    retry_inbound_message.using(run_after=timezone.now() + delay).enqueue(inbound.pk)


def handle_inbound_event(*, esp_name: str, event) -> InboundMessage:
    inbound, created = store_message(
        esp_name=esp_name, event_id=event.event_id, message=event.message, esp_event=event.esp_event
    )
    if not created:
        logger.info(
            "inbound event %s from %s seen before; not handled again", inbound.event_id, esp_name
        )
        return inbound
    return dispatch_stored(inbound)
