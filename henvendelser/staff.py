"""Staff use cases of the inbox: who may see what, and what staff do with an inquiry.

Every function is keyword-only, runs in one transaction and records the action in
Wagtail's action log (``henvendelser.*`` actions, registered in wagtail_hooks.py).

Access:
- the Frivilligkoordinator group (anyone with ``henvendelser.view_inquiry``) and
  superusers see every inquiry;
- a contact person (a staff user who is some ``ContactPerson.user`` or the ``assignee``
  of an inquiry, and has ``wagtailadmin.access_admin``) sees only the inquiries assigned
  to them (as assignee, or through their ContactPerson);
- everybody else sees nothing.
A contact person's account gets into the admin through a group that has only "Can access
Wagtail admin" (e.g. a group "Kontaktpersoner" made in Settings → Groups); linking the
account as the ContactPerson's "staff user" is what gives access to their inquiries.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.outbound import queue_email

from .exceptions import (
    AlreadyAnonymised,
    EmptyText,
    InvalidColleague,
    NoRecipient,
    TextTooLong,
)
from .models import Inquiry, InquiryMessage, InquiryStatus

MAX_TEXT = 50_000
DOUBLE_SUBMIT_SECONDS = 120

ACTIONS = {
    "henvendelser.reply": (_("Reply sent"), _("Reply sent to the citizen")),
    "henvendelser.note": (_("Internal note"), _("Internal note added")),
    "henvendelser.hand_over": (_("Handed over"), _("Handed over to a colleague")),
    "henvendelser.close": (_("Closed"), _("Inquiry closed")),
    "henvendelser.reopen": (_("Reopened"), _("Inquiry reopened")),
    "henvendelser.mark_spam": (_("Marked as spam"), _("Moved to quarantine (spam)")),
    "henvendelser.unmark_spam": (_("Not spam"), _("Taken out of quarantine")),
    "henvendelser.anonymise": (_("Anonymised"), _("Personal data removed")),
}


# --- Access -------------------------------------------------------------------------------


def sees_all(user) -> bool:
    return bool(
        user.is_active and (user.is_superuser or user.has_perm("henvendelser.view_inquiry"))
    )


def visible_inquiries(user) -> QuerySet[Inquiry]:
    """The inquiries this user may see (and act on)."""
    if not user.is_authenticated or not user.is_active:
        return Inquiry.objects.none()
    if sees_all(user):
        return Inquiry.objects.all()
    if not user.has_perm("wagtailadmin.access_admin"):
        return Inquiry.objects.none()
    return Inquiry.objects.filter(Q(assignee=user) | Q(contact_person__user=user))


def is_inbox_user(user) -> bool:
    """May open the inbox at all (coordinators and contact persons)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_all(user):
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    from frivillig_blocks.models import ContactPerson

    return (
        ContactPerson.objects.filter(user=user).exists()
        or Inquiry.objects.filter(assignee=user).exists()
    )


def colleagues() -> QuerySet:
    """Who an inquiry can be handed over to: active staff in the inbox roles."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="view_inquiry",
                groups__permissions__content_type__app_label="henvendelser",
            )
            | Q(contact_persons__isnull=False)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Use cases ----------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise EmptyText()
    if len(text) > MAX_TEXT:
        raise TextTooLong()
    return text


def _lock(inquiry: Inquiry) -> Inquiry:
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.anonymised_at:
        raise AlreadyAnonymised()
    return locked


def _recent_duplicate(inquiry: Inquiry, *, user, kind: str, text: str) -> InquiryMessage | None:
    """A double submit (same author, same text, just now) makes nothing new."""
    since = timezone.now() - timedelta(seconds=DOUBLE_SUBMIT_SECONDS)
    return (
        InquiryMessage.objects.filter(
            inquiry=inquiry, kind=kind, author=user, body_text=text, created_at__gte=since
        )
        .order_by("-pk")
        .first()
    )


def reply_address(inquiry: Inquiry) -> str:
    local, _at, domain = base_settings.EMAIL.partition("@")
    return f"{local}+{inquiry.token}@{domain}"


def reply_subject(inquiry: Inquiry) -> str:
    subject = " ".join((inquiry.subject or "").split())
    while subject[:3].lower() in ("re:", "sv:"):
        subject = subject[3:].strip()
    subject = subject.replace(f"[{inquiry.reference}]", "").strip()
    return f"Re: {subject} [{inquiry.reference}]" if subject else f"Re: [{inquiry.reference}]"


def send_reply(*, inquiry: Inquiry, user, text: str) -> InquiryMessage:
    """Mail the citizen from the one address; the thread keeps our Message-ID."""
    text = _clean_text(text)
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if not inquiry.sender_email:
            raise NoRecipient()
        duplicate = _recent_duplicate(inquiry, user=user, kind=InquiryMessage.Kind.REPLY, text=text)
        if duplicate is not None:
            return duplicate
        earlier_ids = list(
            inquiry.messages.exclude(message_id="")
            .exclude(kind=InquiryMessage.Kind.NOTE)
            .values_list("message_id", flat=True)
        )
        headers = {}
        if earlier_ids:
            headers["In-Reply-To"] = earlier_ids[-1]
            headers["References"] = " ".join(earlier_ids[-20:])
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "henvendelser/mail/reply_body.txt", {"inquiry": inquiry, "text": text}
            )
        message = EmailMessage(
            subject=reply_subject(inquiry),
            body=body,
            from_email=base_settings.EMAIL,
            to=[inquiry.sender_email],
            reply_to=[reply_address(inquiry)],
        )
        outbound = queue_email(message, purpose="inquiry_reply", headers=headers)
        reply = InquiryMessage.objects.create(
            inquiry=inquiry,
            kind=InquiryMessage.Kind.REPLY,
            outbound_message=outbound,
            message_id=outbound.message_id,
            sender=base_settings.EMAIL,
            author=user,
            body_text=text,
        )
        now = timezone.now()
        inquiry.status = InquiryStatus.WAITING
        inquiry.first_answered_at = inquiry.first_answered_at or now
        inquiry.closed_at = None
        inquiry.save(update_fields=["status", "first_answered_at", "closed_at"])
        log(inquiry, "henvendelser.reply", user=user, data={"message": reply.pk})
        return reply


def add_note(*, inquiry: Inquiry, user, text: str) -> InquiryMessage:
    text = _clean_text(text)
    with transaction.atomic():
        inquiry = _lock(inquiry)
        duplicate = _recent_duplicate(inquiry, user=user, kind=InquiryMessage.Kind.NOTE, text=text)
        if duplicate is not None:
            return duplicate
        note = InquiryMessage.objects.create(
            inquiry=inquiry,
            kind=InquiryMessage.Kind.NOTE,
            author=user,
            sender=user.get_full_name() or user.get_username(),
            body_text=text,
        )
        log(inquiry, "henvendelser.note", user=user, data={"message": note.pk})
        return note


def hand_over(*, inquiry: Inquiry, user, colleague_id, note: str = "") -> Inquiry:
    """Give the inquiry to a colleague (with an optional note); they get a mail."""
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_TEXT:
        raise TextTooLong()
    try:
        colleague = colleagues().get(pk=int(colleague_id))
    except (TypeError, ValueError, get_user_model().DoesNotExist):
        raise InvalidColleague() from None
    with transaction.atomic():
        inquiry = _lock(inquiry)
        inquiry.assignee = colleague
        if inquiry.contact_person_id and inquiry.contact_person.user_id != colleague.pk:
            inquiry.contact_person = colleague.contact_persons.first()
        if inquiry.status in (InquiryStatus.NEW, InquiryStatus.CLOSED):
            inquiry.status = InquiryStatus.ASSIGNED
            inquiry.closed_at = None
        inquiry.save(update_fields=["assignee", "contact_person", "status", "closed_at"])
        if note:
            InquiryMessage.objects.create(
                inquiry=inquiry,
                kind=InquiryMessage.Kind.NOTE,
                author=user,
                sender=user.get_full_name() or user.get_username(),
                body_text=note,
            )
        if colleague.email:
            from django.urls import reverse

            from frivillig_blocks.outbound import send_templated_mail

            send_templated_mail(
                to=[colleague.email],
                template="henvendelser/mail/hand_over",
                context={
                    "inquiry": inquiry,
                    "colleague": colleague,
                    "by": user,
                    "note": note,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                    + reverse("henvendelser_admin:detail", args=[inquiry.pk]),
                },
                purpose="inquiry_hand_over",
            )
        log(
            inquiry,
            "henvendelser.hand_over",
            user=user,
            data={
                "to": colleague.pk,
                "to_name": colleague.get_full_name() or colleague.get_username(),
            },
        )
        return inquiry


def close(*, inquiry: Inquiry, user) -> Inquiry:
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.status != InquiryStatus.CLOSED:
            inquiry.status = InquiryStatus.CLOSED
            inquiry.closed_at = timezone.now()
            inquiry.save(update_fields=["status", "closed_at"])
            log(inquiry, "henvendelser.close", user=user)
        return inquiry


def reopen(*, inquiry: Inquiry, user) -> Inquiry:
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.status == InquiryStatus.CLOSED:
            inquiry.status = InquiryStatus.ASSIGNED if inquiry.assignee_id else InquiryStatus.NEW
            inquiry.closed_at = None
            inquiry.save(update_fields=["status", "closed_at"])
            log(inquiry, "henvendelser.reopen", user=user)
        return inquiry


def set_spam(*, inquiry: Inquiry, user, spam: bool) -> Inquiry:
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.is_spam != spam:
            inquiry.is_spam = spam
            inquiry.save(update_fields=["is_spam"])
            log(
                inquiry, "henvendelser.mark_spam" if spam else "henvendelser.unmark_spam", user=user
            )
        return inquiry
