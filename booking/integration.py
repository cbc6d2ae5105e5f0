"""How loans meet the rest of the platform, through the hooks of frivillig_blocks.hooks:
Mine sider, the calendar (approved public loans), the calendar's venue clash check, the
personal data registry (download, account deletion, retention), the admin dashboard and
the site search (institutions, rooms and equipment)."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import layout
from frivillig_blocks.hooks import CalendarEntry, MineSiderSection, VenueBooking
from frivillig_blocks.links import section_url
from frivillig_blocks.search.sources import Entry, Hit, SearchSource
from frivillig_blocks.search.text import summary

from .models import HOLDING, BookingIndexPage, Institution, LoanSlot, LoanStatus, Resource


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
    """Approved loans the borrower marked as a public event, read as the columns an entry
    shows, not as four model instances a slot (issue #22: a city's month of loans)."""
    rows = (
        LoanSlot.objects.filter(
            held=True,
            loan__status=LoanStatus.APPROVED,
            loan__public_event=True,
            start__lt=end,
            end__gt=start,
        )
        .order_by("start")
        .values_list(
            "pk",
            "start",
            "end",
            "loan__reference",
            "loan__title",
            "loan__institution__name",
            "loan__institution__place_id",
            "loan__institution__place__address",
            "loan__association_id",
            "loan__association__name",
        )
    )
    url = section_url(BookingIndexPage)
    return [
        CalendarEntry(
            uid=f"booking-{reference}-{pk}",
            title=title,
            start=slot_start,
            end=slot_end,
            kind="loan",
            url=url,
            place_id=place_id,
            location=f"{institution}, {address}",
            description=association if association_id else "",
        )
        for (
            pk,
            slot_start,
            slot_end,
            reference,
            title,
            institution,
            place_id,
            address,
            association_id,
            association,
        ) in rows
    ]


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _mails_about(loans, person) -> dict[str, list[dict]]:
    """The stored mails about each loan: to the person, and to the institution's leaders
    (whose addresses are left out: they are not the person's data)."""
    from frivillig_blocks.models import OutboundMessage
    from frivillig_blocks.personal_data import related_key

    keys = {related_key(loan): loan.reference for loan in loans}
    found: dict[str, list[dict]] = {}
    for message in OutboundMessage.objects.filter(related__in=list(keys)).order_by("created_at"):
        to_person = any(a.strip().lower() in person.emails for a in message.to)
        found.setdefault(keys[message.related], []).append(
            {
                "sent_to": "you" if to_person else "the institution's leaders",
                "subject": message.subject,
                "text": message.body_text,
                "created": _when(message.created_at),
                "sent": _when(message.sent_at),
            }
        )
    return found


def export_loans(person) -> list[dict]:
    """Every loan the person asked for, with every field about them and the loan."""
    from .services import loans_of

    loans = list(
        loans_of(person)
        .select_related("institution", "association")
        .prefetch_related("slots", "items__resource", "declarations")
        .order_by("created_at", "pk")
    )
    mails = _mails_about(loans, person)
    return [
        {
            "reference": loan.reference,
            "institution": loan.institution.name,
            "association": loan.association.name if loan.association_id else None,
            "borrower_name": loan.borrower_name,
            "borrower_email": loan.borrower_email,
            "responsible_name": loan.responsible_name,
            "responsible_phone": loan.responsible_phone,
            "title": loan.title,
            "purpose": str(loan.get_purpose_display()),
            "description": loan.description,
            "participants": loan.participants,
            "target_group": str(loan.get_target_group_display()),
            "children_take_part": loan.children_take_part,
            "overnight": loan.overnight,
            "alcohol": loan.alcohol,
            "fee": str(loan.get_fee_display()),
            "public_event": loan.public_event,
            "status": str(loan.get_status_display()),
            "requested": _when(loan.created_at),
            "decided": _when(loan.decided_at),
            "decision_reason": loan.decision_reason,
            "decline_reason": loan.decline_reason.text if loan.decline_reason_id else "",
            "cancelled": _when(loan.cancelled_at),
            "equipment": str(loan.get_equipment_state_display()),
            "handed_out": _when(loan.handed_out_at),
            "condition_at_hand_out": loan.condition_out,
            "returned": _when(loan.returned_at),
            "condition_at_return": loan.condition_in,
            "resources": [
                {"name": item.resource.name, "quantity": item.quantity} for item in loan.items.all()
            ],
            "times": [
                {
                    "start": _when(slot.start),
                    "end": _when(slot.end),
                    "held": slot.held,
                    "left_out_because": slot.excluded_reason,
                }
                for slot in loan.slots.all()
            ],
            "declarations": [
                {"title": d.title, "text": d.text, "accepted": _when(d.accepted_at)}
                for d in loan.declarations.all()
            ],
            "mails": mails.get(loan.reference, []),
        }
        for loan in loans
    ]


def erase_loans(person) -> None:
    from .services import erase_person

    erase_person(person)


def expire_loans(now) -> int:
    from .services import anonymise_finished

    return anonymise_finished(now=now)


def export_feeds(person) -> list[dict]:
    from .models import LeaderFeedToken

    return [
        {"institution": feed.institution.name, "made": _when(feed.created_at)}
        for feed in LeaderFeedToken.objects.filter(user=person.user).select_related("institution")
    ]


def erase_feeds(person) -> None:
    from .feeds import revoke

    revoke(user_ids=[person.user.pk])


def personal_data_sources() -> list:
    from frivillig_blocks.personal_data import PersonalDataSource

    return [
        PersonalDataSource(
            key="booking.loans",
            label=_("Loans of rooms and equipment"),
            data=_(
                "The borrower's name and e-mail address; the responsible adult's name and "
                "phone; the activity's title, purpose, description, participants and target "
                "group; the accepted declarations; times, resources, status, the leader's "
                "decision and reason, equipment hand-out and return notes; the mails about "
                "the loan."
            ),
            purpose=_(
                "Lend the municipality's rooms and equipment under the manual's rules: "
                "decide the request, reach the borrower and hand out the equipment."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(b) (agreement: the loan the person asked for) and art. 6(1)(e) "
                "(public authority task: lending municipal premises to voluntary work)."
            ),
            retention=_(
                "Until BOOKING_RETENTION_DAYS (default 730) after the loan's last time, then "
                "anonymised and its mails deleted. When the account is deleted: pending and "
                "future loans are cancelled (the times are freed) and every loan anonymised."
            ),
            export=export_loans,
            erase=erase_loans,
            expire=expire_loans,
        ),
        PersonalDataSource(
            key="booking.feed_addresses",
            label=_("Leaders' calendar addresses"),
            data=_("Which institution's calendar address a leader made, and when."),
            purpose=_("Let a leader follow their institution's loans in their own calendar."),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: deciding loans of municipal premises)."
            ),
            retention=_(
                "Until the leader makes a new address, stops leading the institution or the "
                "account is deleted."
            ),
            export=export_feeds,
            erase=erase_feeds,
        ),
    ]


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


# --- The admin: the leaders' menu, URLs, dashboard count and log actions ---------------------

LOG_ACTIONS = {
    "booking.request": (_("Requested"), _("Loan requested")),
    "booking.approve": (_("Approved"), _("Loan approved")),
    "booking.decline": (_("Declined"), _("Loan declined")),
    "booking.cancel": (_("Cancelled"), _("Loan cancelled")),
    "booking.hand_out": (_("Handed out"), _("Equipment handed out")),
    "booking.return": (_("Returned"), _("Equipment returned")),
    "booking.anonymise": (_("Anonymised"), _("Personal data removed")),
    "booking.feed_renew": (_("Calendar address made"), _("A leader made a new calendar address")),
    "booking.feed_revoke": (
        _("Calendar address withdrawn"),
        _("A former leader's calendar address was withdrawn"),
    ),
}


def admin_urls():
    from . import admin_urls

    return [path("laan/", include(admin_urls, namespace="booking_admin"))]


class LoansMenuItem(MenuItem):
    def is_shown(self, request):
        from .services import is_leader

        return is_leader(request.user)


def admin_menu_item():
    return LoansMenuItem(_("Loans"), reverse("booking_admin:index"), icon_name="date", order=320)


def admin_viewset():
    from .viewsets import BookingViewSetGroup

    return BookingViewSetGroup()


def log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


def add_pending_count(request, items):
    item = pending_summary_item(request)
    if item is not None:
        items.append(item)


def figure_source():
    from .figures import LoanFigures

    return LoanFigures()


def page_cache_models():
    """The page cache is retired by writes to every model of the loans (resources, opening hours, closures, and the loans that fill the availability)."""
    return ["booking"]


# --- Site search (frivillig_blocks.search) ----------------------------------------------------
#
# What the loans section shows the public: every institution, and the resources that can be
# borrowed (rooms and equipment apart). Loans are never searched: they name a borrower.


def searchable_institutions():
    return Institution.objects.all()


def searchable_rooms():
    return Resource.objects.filter(active=True, kind=Resource.Kind.ROOM).select_related(
        "institution"
    )


def searchable_equipment():
    return Resource.objects.filter(active=True, kind=Resource.Kind.EQUIPMENT).select_related(
        "institution"
    )


def institution_entry(institution) -> Entry:
    return Entry(institution.name, summary(institution.description))


def resource_entry(resource) -> Entry:
    return Entry(
        resource.name,
        summary(resource.description) or f"{resource.name}, {resource.institution.name}",
    )


def institution_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    # The section's URL from the layout's cache; its routes are its class's.
    base = layout.section_url(request, BookingIndexPage) if objects else ""
    if not base:
        return [None] * len(objects)
    routes = BookingIndexPage.get_resolver()
    return [
        Hit(
            title=institution.name,
            url=base + routes.reverse("institution", institution.slug),
            summary=summary(institution.description),
        )
        for institution in objects
    ]


def resource_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    base = layout.section_url(request, BookingIndexPage) if objects else ""
    if not base:
        return [None] * len(objects)
    prefetch_related_objects(objects, "institution")
    routes = BookingIndexPage.get_resolver()
    return [
        Hit(
            title=resource.name,
            url=base + routes.reverse("resource", resource.institution.slug, resource.slug),
            summary=summary(resource.description)
            or f"{resource.name}, {resource.institution.name}",
        )
        for resource in objects
    ]


def search_sources():
    return [
        SearchSource(
            key="institutions",
            label=_("Institutions"),
            queryset=searchable_institutions,
            hits=institution_hits,
            order=50,
            entry=institution_entry,
        ),
        SearchSource(
            key="rooms",
            label=_("Rooms"),
            queryset=searchable_rooms,
            hits=resource_hits,
            order=51,
            entry=resource_entry,
        ),
        SearchSource(
            key="equipment",
            label=_("Equipment"),
            queryset=searchable_equipment,
            hits=resource_hits,
            order=52,
            entry=resource_entry,
        ),
    ]
