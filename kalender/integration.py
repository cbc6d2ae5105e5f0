"""What the calendar gives the other apps through the one door's hooks
(``UPCOMING_EVENTS``, ``CALENDAR_EVENTS`` and ``SEARCH_SOURCES``)."""

from __future__ import annotations

from django.db.models import Min, prefetch_related_objects
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from frivillig_blocks import layout
from frivillig_blocks.hooks import MineSiderSection
from frivillig_blocks.links import section_page
from frivillig_blocks.search.sources import Entry, Hit, SearchSource
from frivillig_blocks.search.text import summary

from .models import CalendarPage, EventDetails, EventStatus, Slot
from .queries import public_slots


def _detail_url():
    page = CalendarPage.objects.live().first()
    if page is None:
        return lambda event_id: ""
    base = page.url or ""
    return lambda event_id: base + page.reverse_subpage("detail", args=[event_id])


def _entries(slots, url):
    return [
        {
            "title": slot.details.event.title,
            "url": url(slot.details.event_id),
            "start": slot.start,
            "end": slot.end,
            "place": slot.details.place.name if slot.details.place_id else slot.details.address,
        }
        for slot in slots
    ]


def upcoming_events(limit):
    limit = max(1, min(int(limit or 5), 50))
    slots = public_slots({}, start=timezone.now())[:limit]
    return _entries(slots, _detail_url())


def next_events(request, limit):
    """What is on now (the hub): the next public dates, with their day, time and place."""
    from django.utils import formats
    from django.utils.translation import gettext

    from frivillig_blocks.hooks import WhatsOn, WhatsOnItem

    page = CalendarPage.objects.live().order_by("path").first()
    if page is None:
        return None
    base = page.get_url(request) or ""
    slots = public_slots({}, start=timezone.now())[: max(1, int(limit))]
    items = []
    for slot in slots:
        details = slot.details
        when = formats.date_format(timezone.localtime(slot.start), r"l j. F \k\l. H:i")
        place = details.place.name if details.place_id else details.address
        items.append(
            WhatsOnItem(
                title=details.event.title,
                url=base + page.reverse_subpage("detail", args=[details.event_id]),
                meta=f"{when}, {place}" if place else when,
            )
        )
    return WhatsOn(
        title=gettext("Next in the calendar"),
        items=items,
        more_url=base,
        more_text=page.title,
        order=10,
    )


def calendar_events(start, end, limit=50):
    limit = max(1, min(int(limit or 50), 500))
    slots = public_slots({}, start=start, end=end)[:limit]
    return _entries(slots, _detail_url())


# --- Mine sider (frivillig_blocks.hooks.MINE_SIDER_SECTIONS) ---------------------------------

#: How many of the organiser's events Mine sider lists (the rest are on "My events").
MINE_SIDER_EVENTS = 20


def mine_sider_section(request):
    """The organiser's events with their status (published, awaiting review, held for a
    clash, cancelled…); none without a live calendar page."""
    if not request.user.is_authenticated:
        return None
    from . import services

    page = section_page(CalendarPage)
    if page is None:
        return None
    base = page.get_url(request)
    events = list(services.own_events(request.user)[: MINE_SIDER_EVENTS + 1])
    return MineSiderSection(
        title=_("My events"),
        template_name="kalender/section_mine_sider.html",
        context={
            "rows": [
                {
                    "details": details,
                    "url": base + page.reverse_subpage("detail", args=[details.event_id]),
                }
                for details in events[:MINE_SIDER_EVENTS]
            ],
            "more": len(events) > MINE_SIDER_EVENTS,
            "mine_url": base + page.reverse_subpage("mine"),
            "create_url": base + page.reverse_subpage("create"),
            "subscriptions_url": base + page.reverse_subpage("subscriptions"),
        },
        order=30,
    )


# --- Site search (frivillig_blocks.search) ----------------------------------------------------
#
# An event is found while it is public (published, or cancelled or postponed after that)
# and has a date that has not ended: once, with that next date, whatever its number of
# dates. The slots are the calendar's own index of dates (see occurrences.py), so the
# answer changes at the next search when an event is published, withdrawn or over.


def _upcoming_slots(now):
    return Slot.objects.filter(public=True, end__gt=now)


def searchable_events():
    """The events the public may find: public, with a date still to come (or under way)."""
    upcoming = _upcoming_slots(timezone.now()).values("details_id")
    return EventDetails.objects.public().filter(pk__in=upcoming).select_related("event")


def event_entry(details) -> Entry:
    return Entry(details.event.title, summary(details.event.description))


def event_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    if not objects:
        return []
    # The section's URL from the layout's cache; its routes are its class's.
    base = layout.section_url(request, CalendarPage)
    if not base:
        return [None] * len(objects)
    routes = CalendarPage.get_resolver()
    prefetch_related_objects(objects, "event")
    next_start = dict(
        _upcoming_slots(timezone.now())
        .filter(details_id__in=[details.pk for details in objects])
        .values("details_id")
        .annotate(first=Min("start"))
        .values_list("details_id", "first")
    )
    hits = []
    for details in objects:
        text = summary(details.event.description)
        if details.status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
            text = f"{details.get_status_display()}. {text}".strip()
        hits.append(
            Hit(
                title=details.event.title,
                url=base + routes.reverse("detail", details.event_id),
                summary=text,
                date=next_start.get(details.pk),
            )
        )
    return hits


def search_sources():
    return [
        SearchSource(
            key="events",
            label=_("Events"),
            queryset=searchable_events,
            hits=event_hits,
            order=20,
            entry=event_entry,
        )
    ]


# --- Personal data (frivillig_blocks.personal_data) -------------------------------------------
#
# An event belongs to the person when nobody else holds it: no association and not the
# municipality's own ("private"). Such an event goes with the person's account (and its
# uploaded image when nothing else uses it). An association's or the municipality's event
# is not the person's: it stays listed under its organiser, and loses what names the person
# (the creator, the organiser's name typed for it, the note on the venue's agreement, their
# address and name in its texts) and the mails about it.

REDACTED = "[…]"


def _redact(text: str, person) -> str:
    """``text`` without the person's addresses and full name."""
    import re

    if not text:
        return text
    needles = set(person.emails)
    full_name = (person.user.get_full_name() or "").strip()
    if len(full_name) >= 3:
        needles.add(full_name)
    if "@" in (person.user.get_username() or ""):
        needles.add(person.user.get_username())
    for needle in sorted(needles, key=len, reverse=True):
        text = re.sub(re.escape(needle), REDACTED, text, flags=re.IGNORECASE)
    return text


def _names_person(text: str, person) -> bool:
    return bool(text) and _redact(text, person) != text


def _private_q():
    from django.db.models import Q

    return Q(association__isnull=True, is_municipal=False)


def _events_of(user):
    from django.db.models import Q

    from .models import EventDetails

    return EventDetails.objects.filter(Q(created_by=user) | Q(organiser_user=user))


def _own_events(user):
    """The person's own events: private, held by them (or created by them for nobody)."""
    from django.db.models import Q

    return (
        _events_of(user)
        .filter(_private_q())
        .filter(Q(organiser_user=user) | Q(organiser_user__isnull=True, created_by=user))
    )


def _forget_log(details_ids, *, clear_data_of=None) -> None:
    """The admin history of erased events keeps the decision, not the title or notes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, Value
    from django.db.models.functions import Concat
    from wagtail.models import ModelLogEntry

    from .models import EventDetails

    ids = [str(pk) for pk in details_ids]
    if not ids:
        return
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EventDetails), object_id__in=ids
    )
    if clear_data_of is None:
        entries.update(label=Concat(Value("#"), F("object_id")), data={})
    else:
        entries.filter(action__in=clear_data_of).update(data={})


def _delete_events(details_list) -> int:
    """Delete events (the scheduler's event with its dates, details, slots and notices),
    their stored mail, and their uploaded images when nothing else uses them."""
    from schedule.models import Event

    from frivillig_blocks.personal_data import scrub_mail

    details_list = list(details_list)
    if not details_list:
        return 0
    scrub_mail(details_list)
    _forget_log([d.pk for d in details_list])
    images = _uploads(details_list)
    Event.objects.filter(pk__in=[d.event_id for d in details_list]).delete()
    _delete_unused_images(images)
    return len(details_list)


def _uploads(details_list) -> dict[int, set]:
    """The events' images, each with the people who may have uploaded it."""
    images: dict[int, set] = {}
    for d in details_list:
        if d.image_id:
            images.setdefault(d.image_id, {None}).update({d.created_by_id, d.organiser_user_id})
    return images


def _delete_unused_images(images: dict[int, set]) -> None:
    """Delete the organisers' uploaded images that no event or page uses any more (an image
    another person put in the image library stays)."""
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    from .models import EventDetails

    for image in get_image_model().objects.filter(pk__in=images):
        if image.uploaded_by_user_id not in images[image.pk]:
            continue
        if EventDetails.objects.filter(image=image).exists():
            continue
        if ReferenceIndex.get_references_to(image).exists():
            continue
        image.delete()


def _anonymise_kept(details_list, person) -> int:
    """An association's or the municipality's event loses what names the person."""
    from schedule.models import Event

    from frivillig_blocks.personal_data import scrub_mail

    changed = 0
    for details in details_list:
        event = details.event
        if details.association_id:
            details.organiser_name = ""
        else:
            details.organiser_name = _redact(details.organiser_name, person)
        if details.organiser_user_id == person.user.pk:
            details.organiser_user = None
        if details.created_by_id == person.user.pk:
            details.created_by = None
        details.accessibility = _redact(details.accessibility, person)
        details.price = _redact(details.price, person)
        event.title = _redact(event.title, person)[:255]
        event.description = _redact(event.description, person)
        if event.creator_id == person.user.pk:
            event.creator = None
        Event.objects.filter(pk=event.pk).update(
            title=event.title, description=event.description, creator=event.creator
        )
        details.venue_agreed_note = ""
        details.save(
            update_fields=[
                "organiser_name",
                "organiser_user",
                "created_by",
                "accessibility",
                "price",
                "venue_agreed_note",
            ]
        )
        changed += 1
    scrub_mail(details_list)
    _forget_log([d.pk for d in details_list], clear_data_of=["kalender.venue_agreed"])
    return changed


def _image_data(image):
    if image is None:
        return None
    return {"title": image.title, "file": image.file.name}


def export_events(person) -> list:
    from .occurrences import recurrence_key

    details = (
        _events_of(person.user)
        .select_related("event", "event__rule", "association", "place", "image")
        .prefetch_related("slots", "age_groups", "themes")
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": d.event.title,
            "description": d.event.description,
            "start": d.event.start,
            "end": d.event.end,
            "recurrence": recurrence_key(d.event.rule),
            "repeat_until": d.event.end_recurring_period,
            "dates": [{"start": s.start, "end": s.end} for s in d.slots.all()],
            "association": d.association.name if d.association_id else "",
            "organiser_name": d.organiser_name,
            "organiser_is_you": d.organiser_user_id == person.user.pk,
            "created_by_you": d.created_by_id == person.user.pk,
            "place": d.place.name if d.place_id else "",
            "room": d.room,
            "address": d.address,
            "age_groups": [str(a) for a in d.age_groups.all()],
            "themes": [str(t) for t in d.themes.all()],
            "price": d.price,
            "registration_url": d.registration_url,
            "accessibility": d.accessibility,
            "image": _image_data(d.image),
            "status": d.status,
            "venue_agreed": d.venue_agreed,
            "venue_agreed_note": d.venue_agreed_note,
            "created": d.created_at,
            "updated": d.updated_at,
            "published": d.published_at,
        }
        for d in details
    ]


def erase_events(person) -> None:
    """The person's own events go; the events they made for an association or the
    municipality stay, without them (see above)."""
    from schedule.models import Event

    user = person.user
    own = list(_own_events(user).select_related("event"))
    _delete_events(own)
    kept = list(_events_of(user).select_related("event"))
    _anonymise_kept(kept, person)
    Event.objects.filter(creator=user).update(creator=None)


def expire_events(now) -> int:
    """Events whose last date ended KALENDER_RETENTION_DAYS ago lose who made them; a
    private person's event loses its organiser's name, address, texts and image too."""
    import datetime

    from django.db.models import Max, Q
    from django.db.models.functions import Coalesce
    from schedule.models import Event

    from frivillig_blocks.personal_data import scrub_mail

    from . import conf
    from .models import ClashNotice, EventDetails

    cutoff = now - datetime.timedelta(days=conf.app_settings.RETENTION_DAYS)
    old = EventDetails.objects.annotate(
        last=Coalesce(Max("slots__end"), "event__end_recurring_period", "event__end")
    ).filter(last__lt=cutoff)
    private = _private_q()
    personal = (
        Q(organiser_user__isnull=False)
        | Q(created_by__isnull=False)
        | Q(event__creator__isnull=False)
        | ~Q(venue_agreed_note="")
        | (
            private
            & (
                ~Q(organiser_name="")
                | ~Q(address="")
                | ~Q(event__description="")
                | ~Q(registration_url="")
                | Q(image__isnull=False)
            )
        )
    )
    found = list(old.filter(personal).select_related("event"))
    images = _uploads(
        [d for d in found if d.association_id is None and not d.is_municipal and d.image_id]
    )
    for details in found:
        details.organiser_user = details.created_by = None
        details.venue_agreed_note = ""
        if details.association_id is None and not details.is_municipal:
            details.organiser_name = details.address = details.registration_url = ""
            details.image = None
            Event.objects.filter(pk=details.event_id).update(creator=None, description="")
        else:
            Event.objects.filter(pk=details.event_id).update(creator=None)
        details.save(
            update_fields=[
                "organiser_user",
                "created_by",
                "venue_agreed_note",
                "organiser_name",
                "address",
                "registration_url",
                "image",
            ]
        )
    scrub_mail(found)
    _forget_log([d.pk for d in found], clear_data_of=["kalender.venue_agreed"])
    _delete_unused_images(images)
    # Clashes shown for plans that were never saved: who was shown them goes too.
    notices = ClashNotice.objects.filter(
        details__isnull=True, user__isnull=False, shown_at__lt=cutoff
    ).update(user=None)
    return len(found) + notices


def export_clash_notices(person) -> list:
    from .models import ClashNotice

    return [
        {
            "event": n.details.event.title if n.details_id else "",
            "kind": n.kind,
            "other_event": n.other.event.title if n.other_id else "",
            "first_clashing_date": n.clash_start,
            "shown": n.shown_at,
            "outcome": n.outcome,
            "settled": n.resolved_at,
        }
        for n in ClashNotice.objects.filter(user=person.user)
        .select_related("details__event", "other__event")
        .order_by("shown_at", "pk")
    ]


def erase_clash_notices(person) -> None:
    """The clash counts stay for the follow-up's figures, without who was shown them."""
    from .models import ClashNotice

    ClashNotice.objects.filter(user=person.user).update(user=None)


def export_trust(person) -> list:
    from .models import TrustedOrganiser

    return [
        {"trusted_since": t.created_at, "note": t.note}
        for t in TrustedOrganiser.objects.filter(user=person.user)
    ]


def erase_trust(person) -> None:
    from .models import TrustedOrganiser

    TrustedOrganiser.objects.filter(user=person.user).delete()


def export_venue_contacts(person) -> list:
    from .models import VenueContact

    return [
        {"place": c.place.name, "name": c.name, "email": c.email}
        for c in VenueContact.objects.filter(person.email_q("email")).select_related("place")
    ]


def erase_venue_contacts(person) -> None:
    from .models import VenueContact

    VenueContact.objects.filter(person.email_q("email")).delete()


def export_subscriptions(person) -> list:
    from .models import Subscription

    return [
        {
            "association": s.association.name,
            "address": s.url,
            "linked": s.created_at,
            "paused": s.paused,
            "last_fetched": s.last_fetched_at,
            "last_good_fetch": s.last_success_at,
            "last_error": s.last_error,
        }
        for s in Subscription.objects.filter(created_by=person.user)
        .select_related("association")
        .order_by("created_at", "pk")
    ]


def erase_subscriptions(person) -> None:
    """A linked calendar belongs to its association: it stays linked without the person
    (its mails then go to the association's address)."""
    from .models import Subscription

    Subscription.objects.filter(created_by=person.user).update(created_by=None)


def personal_data_sources():

    from frivillig_blocks.personal_data import PersonalDataSource

    return [
        PersonalDataSource(
            key="kalender.events",
            label=_("Calendar events a person created or organises"),
            data=_(
                "Title, description, dates, the organiser's name, the address or place, "
                "price, registration link, accessibility, uploaded image, status, the note "
                "on a venue's agreement, who created the event"
            ),
            purpose=_("Publishing the event in the shared calendar and checking it for clashes"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's shared "
                "calendar for voluntary work)"
            ),
            retention=_(
                "A private person's own event is deleted with their account. "
                "KALENDER_RETENTION_DAYS (default 730) days after an event's last date, "
                "who made it is removed, and a private person's event loses the "
                "organiser's name, address, description and image. An association's or "
                "the municipality's event stays listed without the person."
            ),
            export=export_events,
            erase=erase_events,
            expire=expire_events,
        ),
        PersonalDataSource(
            key="kalender.clash_notices",
            label=_("Clashes the calendar showed a person"),
            data=_("Which clash was shown, when, and what became of it"),
            purpose=_(
                "Following up on whether the calendar prevents double bookings (the "
                "council's figures)"
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's follow-up on "
                "its support of voluntary work)"
            ),
            retention=_(
                "Kept without the person when the account is deleted or when the event "
                "loses who made it (KALENDER_RETENTION_DAYS); a plan never saved loses "
                "the person KALENDER_RETENTION_DAYS after it was shown."
            ),
            export=export_clash_notices,
            erase=erase_clash_notices,
        ),
        PersonalDataSource(
            key="kalender.trusted_organisers",
            label=_("Trusted calendar organisers"),
            data=_("That a person's events are published without review, staff's note"),
            purpose=_("Publishing events from known organisers without waiting"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's support of "
                "voluntary work)"
            ),
            retention=_("Until staff remove it or the account is deleted."),
            export=export_trust,
            erase=erase_trust,
        ),
        PersonalDataSource(
            key="kalender.venue_contacts",
            label=_("Venue contacts of the calendar"),
            data=_("Name and e-mail address of the person told about clashes at a place"),
            purpose=_("Telling a place when an organiser states it agreed to a clash"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's places and rooms)"
            ),
            retention=_(
                "Until staff change the contact, or the person with that address deletes "
                "their account."
            ),
            export=export_venue_contacts,
            erase=erase_venue_contacts,
        ),
        PersonalDataSource(
            key="kalender.subscriptions",
            label=_("Calendars an association's member linked"),
            data=_(
                "Who linked the calendar, its address (which may hold a private link), "
                "when it was fetched and its last error"
            ),
            purpose=_(
                "Importing the association's own events into the shared calendar and telling "
                "the member when the calendar cannot be read"
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's shared "
                "calendar for voluntary work)"
            ),
            retention=_(
                "Until the association unlinks the calendar. When the account is deleted, "
                "the calendar stays linked for the association without the person."
            ),
            export=export_subscriptions,
            erase=erase_subscriptions,
        ),
    ]


# --- The admin: the review queue, planning grid and newspaper listing, log actions ----------

LOG_ACTIONS = {
    "kalender.create": (_("Create calendar event"), _("Calendar event created")),
    "kalender.edit": (_("Edit calendar event"), _("Calendar event edited")),
    "kalender.publish": (_("Publish calendar event"), _("Calendar event published after review")),
    "kalender.reject": (
        _("Send calendar event back"),
        _("Calendar event sent back to the organiser"),
    ),
    "kalender.cancel_date": (_("Cancel a date"), _("A date of the calendar event cancelled")),
    "kalender.move_date": (_("Move a date"), _("A date of the calendar event moved")),
    "kalender.venue_agreed": (
        _("Venue agreed to a clash"),
        _("The organiser states that the venue agreed to a clash"),
    ),
    "kalender.cancelled": (_("Cancel calendar event"), _("Calendar event cancelled")),
    "kalender.postponed": (_("Postpone calendar event"), _("Calendar event postponed")),
    "kalender.published": (_("Publish calendar event again"), _("Calendar event published again")),
}


def log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


def admin_urls():
    from . import admin_urls

    return [path("kalender/", include(admin_urls, namespace="kalender_admin"))]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import is_reviewer_request

        return is_reviewer_request(request)


def admin_menu_item():
    return ReviewerMenuItem(
        _("Calendar review"), reverse("kalender_admin:review"), icon_name="date", order=310
    )


def add_review_summary(request, items):
    from .admin_views import ReviewSummaryItem, is_reviewer_request

    if is_reviewer_request(request):
        items.append(ReviewSummaryItem(request))


def figure_source():
    from .figures import CalendarFigures

    return CalendarFigures()


def page_cache_models():
    """The page cache is retired by writes to every model of the calendar (its events, on django-scheduler's models)."""
    return ["kalender", "schedule"]


def admin_viewset():
    """Staff's list of every linked calendar, where they pause one (issue #23)."""
    from .viewsets import subscription_viewset

    return subscription_viewset()
