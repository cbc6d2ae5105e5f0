"""The borrower's and the leaders' mails, all through the shared outbound queue. The
approval carries the loan's times as an .ics attachment. Every mail about a loan is tied to
it (``related``), so anonymising the loan scrubs its mails. No booking mail carries a link
that acts without a login (the receipt, Mine sider and the admin all ask for one), so none
needs ``secrets``."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from frivillig_blocks.links import section_url
from frivillig_blocks.outbound import send_templated_mail

from . import ics
from .models import BookingIndexPage

T = "booking/mail/"


def _context(loan, **extra) -> dict:
    return {
        "loan": loan,
        "slots": list(loan.slots.all()),
        "items": list(loan.items.select_related("resource")),
        "institution": loan.institution,
        "receipt_url": section_url(BookingIndexPage, "receipt", loan.reference),
        "manual_url": section_url(BookingIndexPage),
        "mine_sider_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("frivillig_blocks:mine_sider"),
        **extra,
    }


def _to_borrower(loan, template: str, purpose: str, **extra):
    if not loan.borrower_email:
        return None
    return send_templated_mail(
        to=[loan.borrower_email],
        template=T + template,
        context=_context(loan, **extra),
        purpose=purpose,
        reply_to=[loan.institution.email] if loan.institution.email else None,
        related=loan,
    )


def send_received(loan):
    return _to_borrower(loan, "received", "booking_received")


def send_declined(loan):
    return _to_borrower(loan, "declined", "booking_declined")


def send_cancelled(loan, *, by_leader: bool):
    return _to_borrower(loan, "cancelled", "booking_cancelled", by_leader=by_leader)


def send_overdue(loan):
    return _to_borrower(loan, "overdue", "booking_overdue")


def _leader_addresses(institution) -> list[str]:
    addresses = {u.email for u in institution.leaders.filter(is_active=True) if u.email}
    if institution.email:
        addresses.add(institution.email)
    return sorted(addresses)


def send_to_leaders(loan):
    addresses = _leader_addresses(loan.institution)
    if not addresses:
        return None
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "booking_admin:detail", args=[loan.pk]
    )
    return send_templated_mail(
        to=addresses,
        template=T + "to_leaders",
        context=_context(loan, admin_url=admin_url),
        purpose="booking_to_leaders",
        related=loan,
    )


def send_erased_to_leaders(entries):
    """Tell an institution's leaders that loans were given up because the borrower deleted
    their account: references, what and when only. It carries no personal data, so it is
    tied to no loan (the loans' own mails are scrubbed as they are anonymised).
    ``entries``: ``[(loan, [freed slots])]`` of one institution."""
    institution = entries[0][0].institution
    addresses = _leader_addresses(institution)
    if not addresses:
        return None
    admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    loans = [
        {
            "reference": loan.reference,
            "items": list(loan.items.select_related("resource")),
            "slots": slots,
            "admin_url": admin + reverse("booking_admin:detail", args=[loan.pk]),
        }
        for loan, slots in entries
    ]
    return send_templated_mail(
        to=addresses,
        template=T + "erased_to_leaders",
        context={"institution": institution, "loans": loans},
        purpose="booking_erased_to_leaders",
    )


def send_approved(loan):
    """The approval with the loan's times as an .ics file."""
    if not loan.borrower_email:
        return None
    return send_templated_mail(
        to=[loan.borrower_email],
        template=T + "approved",
        context=_context(loan),
        purpose="booking_approved",
        reply_to=[loan.institution.email] if loan.institution.email else None,
        related=loan,
        attachments=[(f"{loan.reference}.ics", ics.loan_calendar(loan), "text/calendar")],
    )
