"""How loans meet the rest of the platform, through the hooks of frivillig_blocks.hooks:
Mine sider, the calendar (approved public loans), the calendar's venue clash check, the
personal data download, account deletion, the demo content and the admin dashboard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks.hooks import CalendarEntry, MineSiderSection, VenueBooking

from .models import HOLDING, Loan, LoanSlot, LoanStatus, Resource


def mine_sider_section(request):
    if not request.user.is_authenticated:
        return None
    from .views import mine_sider_context

    return MineSiderSection(
        title=_("Your loans of rooms and equipment"),
        template_name="booking/section_loans.html",
        context=mine_sider_context(request),
        order=40,
    )


def venue_bookings(place_id, start, end) -> list[VenueBooking]:
    """Pending and approved loans of the place's rooms overlapping [start, end); no
    personal data (the label says only that the room is lent)."""
    slots = (
        LoanSlot.objects.filter(
            held=True,
            loan__status__in=HOLDING,
            loan__institution__place_id=place_id,
            loan__items__resource__kind=Resource.Kind.ROOM,
            start__lt=end,
            end__gt=start,
        )
        .values_list("start", "end", "loan__items__resource__name", "loan__status")
        .order_by("start")
    )
    return [
        VenueBooking(
            start=s,
            end=e,
            room=room,
            label=str(
                _("Lent (approved)")
                if status == LoanStatus.APPROVED
                else _("Lent (awaiting decision)")
            ),
        )
        for s, e, room, status in slots
    ]


def calendar_entries(start, end) -> list[CalendarEntry]:
    """Approved loans the borrower marked as a public event."""
    from .mail import section_url

    slots = (
        LoanSlot.objects.filter(
            held=True,
            loan__status=LoanStatus.APPROVED,
            loan__public_event=True,
            start__lt=end,
            end__gt=start,
        )
        .select_related(
            "loan", "loan__institution", "loan__institution__place", "loan__association"
        )
        .order_by("start")
    )
    url = section_url()
    entries = []
    for slot in slots:
        loan = slot.loan
        place = loan.institution.place
        entries.append(
            CalendarEntry(
                uid=f"booking-{loan.reference}-{slot.pk}",
                title=loan.title,
                start=slot.start,
                end=slot.end,
                kind="loan",
                url=url,
                place_id=place.pk,
                location=f"{loan.institution.name}, {place.address}",
                description=loan.association.name if loan.association_id else "",
            )
        )
    return entries


def personal_data(user) -> dict | None:
    loans = (
        Loan.objects.filter(user=user)
        .select_related("institution")
        .prefetch_related("slots", "items__resource")
    )
    data = [
        {
            "reference": loan.reference,
            "institution": loan.institution.name,
            "title": loan.title,
            "purpose": loan.purpose,
            "participants": loan.participants,
            "responsible_name": loan.responsible_name,
            "responsible_phone": loan.responsible_phone,
            "description": loan.description,
            "status": loan.status,
            "requested": loan.created_at.isoformat(),
            "resources": [f"{i.quantity} × {i.resource.name}" for i in loan.items.all()],
            "times": [[s.start.isoformat(), s.end.isoformat()] for s in loan.slots.all()],
        }
        for loan in loans
    ]
    return {"booking": data} if data else None


def before_account_delete(user) -> None:
    from .services import anonymise

    for loan in Loan.objects.filter(user=user).select_for_update():
        anonymise(loan)


def seed_demo(stdout) -> None:
    from . import demo

    demo.seed(stdout)


class PendingLoansSummaryItem(SummaryItem):
    order = 250
    template_name = "booking/admin/summary_item.html"

    def __init__(self, request, count):
        super().__init__(request)
        self.count = count

    def get_context_data(self, parent_context):
        return {"count": self.count}


def pending_summary_item(request):
    from .services import is_leader, visible_loans

    if not is_leader(request.user):
        return None
    return PendingLoansSummaryItem(
        request, visible_loans(request.user).filter(status=LoanStatus.PENDING).count()
    )
