"""The contact form on the contact page: rendered through the one door's ``CONTACT_FORM``
hook (``render_contact_form``) and received by ``submit_contact_form``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.models import ContactPage
from frivillig_blocks.parsers import parse_id

from .forms import ContactForm
from .models import Inquiry, InquiryMessage
from .services import receive_message

#: The bound form with errors, kept on the request while the contact page is shown again.
REQUEST_ATTRIBUTE = "_henvendelser_contact_form"


def render_contact_form(request, contact_page) -> SafeString:
    """The form (or the bound form with its errors) as safe HTML, posting to our URL."""
    form = getattr(request, REQUEST_ATTRIBUTE, None)
    if form is None:
        form = ContactForm(initial={"page": str(contact_page.pk)})
    return render_to_string(
        "henvendelser/contact_form.html",
        {"form": form, "action": reverse("henvendelser:contact")},
        request=request,
    )


def contact_page_for(page_id: str | None):
    """The live contact page the form was on (a forged id: the first live one)."""
    pages = ContactPage.objects.live().order_by("path")
    if parse_id(page_id) is not None:
        page = pages.filter(pk=parse_id(page_id)).first()
        if page is not None:
            return page.specific
    page = pages.first()
    return page.specific if page is not None else None


def message_id_for(submission_key) -> str:
    domain = base_settings.MESSAGE_ID_DOMAIN or "localhost"
    return f"<kontakt.{submission_key}@{domain}>"


@dataclass(frozen=True)
class Submitted:
    inquiry: Inquiry
    reference: str


def already_submitted(submission_key) -> Submitted | None:
    """The inquiry a form with this submission key has already become, if any."""
    message = (
        InquiryMessage.objects.filter(
            kind=InquiryMessage.Kind.INCOMING, message_id=message_id_for(submission_key)
        )
        .select_related("inquiry")
        .first()
    )
    if message is None:
        return None
    return Submitted(inquiry=message.inquiry, reference=message.inquiry.reference)


def submit_contact_form(*, data: dict) -> Submitted:
    """Receive the form's message as an inquiry to the volunteer address. The submission
    key becomes the message's Message-ID, so the same form sent twice is one message."""
    with transaction.atomic():
        stored = receive_message(
            sender_email=data["email"],
            sender_name=data["name"],
            subject=data["subject"],
            text=data["message"],
            recipient=base_settings.EMAIL,
            message_id=message_id_for(data["submission_key"]),
            topic=data.get("topic"),
            # A typed address is nobody's proof: always a new inquiry (see services).
            sender_verified=False,
            from_form=True,
        )
    return Submitted(inquiry=stored.inquiry, reference=stored.inquiry.reference)
