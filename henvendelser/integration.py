"""The inbox's implementations of the shared base's hooks (registered in wagtail_hooks.py):
the inbox's admin, the contact form on the one door's contact page, the figures, and its personal data in the registry (``frivillig_blocks.personal_data``)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from frivillig_blocks.personal_data import Person, PersonalDataSource

from .conf import app_settings
from .models import Inquiry, InquiryMessage, InquiryStatus

#: The kinds of message a person gets in the download: their own mail, our replies and our
#: acknowledgements. Staff's internal notes are working notes, not part of the thread.
EXPORTED_KINDS = (
    InquiryMessage.Kind.INCOMING,
    InquiryMessage.Kind.REPLY,
    InquiryMessage.Kind.ACKNOWLEDGEMENT,
)


def retention_days() -> int:
    return int(app_settings.RETENTION_DAYS)


def inquiries_of(person: Person):
    """The inquiries sent from one of the person's addresses (by mail or the contact form),
    including any a forger sent in their name (marked ``sender_unverified``)."""
    return Inquiry.objects.filter(person.email_q("sender_email"), anonymised_at__isnull=True)


def export_inquiries(person: Person) -> list[dict]:
    inquiries = (
        inquiries_of(person)
        .select_related("topic")
        .prefetch_related("messages__attachments")
        .order_by("received_at", "pk")
    )
    return [
        {
            "reference": inquiry.reference,
            "received": inquiry.received_at,
            "status": inquiry.status,
            "closed": inquiry.closed_at,
            "sender_name": inquiry.sender_name,
            "sender_email": inquiry.sender_email,
            "sender_confirmed": not inquiry.sender_unverified,
            "topic": inquiry.topic.name if inquiry.topic else "",
            "subject": inquiry.subject,
            "messages": [
                {
                    "kind": message.kind,
                    "from": message.sender,
                    "sent": message.created_at,
                    "text": message.body_text,
                    "attachments": [
                        {"name": a.filename, "type": a.content_type, "size": a.size}
                        for a in message.attachments.all()
                    ],
                }
                for message in inquiry.messages.all()
                if message.kind in EXPORTED_KINDS
            ],
        }
        for inquiry in inquiries
    ]


def erase_inquiries(person: Person) -> None:
    """Anonymise every inquiry from the person's addresses: sender, texts, raw mails,
    attachments (their files too) and the mail we sent about it (``anonymise_inquiry``).
    The anonymous inquiry stays for the inbox's figures."""
    from .tasks import anonymise_inquiry

    for pk in list(inquiries_of(person).values_list("pk", flat=True)):
        anonymise_inquiry(pk)


def expire_inquiries(now: datetime.datetime) -> int:
    """Anonymise inquiries closed, or quarantined as spam, longer than
    ``HENVENDELSER_RETENTION_DAYS`` ago. Returns how many."""
    from .tasks import anonymise_inquiry

    cutoff = now - datetime.timedelta(days=retention_days())
    ids = list(
        Inquiry.objects.filter(anonymised_at__isnull=True)
        .annotate(last_activity=Coalesce("last_message_at", "received_at"))
        .filter(
            Q(status=InquiryStatus.CLOSED, closed_at__lt=cutoff)
            | Q(is_spam=True, last_activity__lt=cutoff)
        )
        .values_list("pk", flat=True)
    )
    for pk in ids:
        anonymise_inquiry(pk)
    return len(ids)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="henvendelser.inquiries",
            label=_("Inquiries to the volunteer address"),
            data=_(
                "Each inquiry sent from the person's address by mail or the contact form: "
                "name and address, subject, the messages (text, cleaned HTML, attachments), "
                "our replies and acknowledgements, the mail provider's verdict on the sender, "
                "who handled it and its status."
            ),
            purpose=_("To answer the citizen and hand the inquiry to the right member of staff."),
            legal_basis=_(
                "GDPR art. 6(1)(e) (the municipality's public task of answering the citizen "
                "who wrote)."
            ),
            retention=_(
                "Anonymised HENVENDELSER_RETENTION_DAYS (default 730 days) after the inquiry "
                "was closed, or after its last message when it is spam; anonymised with the "
                "account. The anonymous inquiry stays for the figures."
            ),
            export=export_inquiries,
            erase=erase_inquiries,
            expire=expire_inquiries,
        ),
    ]


# --- The one door: the contact form and figures -----------------------------------


def render_contact_form(request, contact_page):
    from .contact import render_contact_form as render

    return render(request, contact_page)


def figure_source():
    from .figures import InquiryFigures

    return InquiryFigures()


# --- The admin: the inbox menu and URLs, routing rules, log actions -------------------------


def admin_urls():
    from . import admin_urls

    return [path("henvendelser/", include(admin_urls, namespace="henvendelser_admin"))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        from .staff import is_inbox_user

        return is_inbox_user(request.user)


def admin_menu_item():
    return InboxMenuItem(
        _("Inquiries"), reverse("henvendelser_admin:index"), icon_name="mail", order=300
    )


def admin_viewset():
    from .viewsets import RoutingRuleViewSet

    return RoutingRuleViewSet()


def log_actions(actions):
    from .staff import ACTIONS

    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
