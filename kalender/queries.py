"""Reading the calendar: the public slots in a period with the public filters, and what
the other apps add through ``CALENDAR_ENTRIES``. One query per list, whatever the data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from frivillig_blocks.hooks import CalendarEntry, calendar_entries

from . import conf
from .models import EventStatus, Slot
from .occurrences import local_tz

# Filters that entries of other apps (loans, courses, Frivillig Fredag) cannot match.
EVENT_ONLY_FILTERS = ("age_group", "theme", "category", "organiser")


def public_slots(filters: dict | None = None, start=None, end=None):
    filters = filters or {}
    qs = Slot.objects.filter(public=True)
    tz = local_tz()
    if filters.get("fra"):
        bound = datetime.datetime.combine(filters["fra"], datetime.time.min, tzinfo=tz)
        start = max(start, bound) if start else bound
    if filters.get("til"):
        bound = datetime.datetime.combine(
            filters["til"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        end = min(end, bound) if end else bound
    if start is not None:
        # No date lasts longer than KALENDER_MAX_DURATION_HOURS: bounding ``start`` from
        # below too keeps the (public, start) index scan to the period.
        longest = datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS)
        qs = qs.filter(end__gt=start, start__gte=start - longest)
    if end is not None:
        qs = qs.filter(start__lt=end)
    if filters.get("age_group"):
        qs = qs.filter(details__age_groups=filters["age_group"])
    # "category": the API's old name of a theme (an alias; both given, both must hold).
    for key in ("theme", "category"):
        if filters.get(key):
            qs = qs.filter(details__themes=filters[key])
    if filters.get("organiser"):
        qs = qs.filter(details__association=filters["organiser"])
    if filters.get("place"):
        qs = qs.filter(place=filters["place"])
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(
            Q(details__event__title__icontains=text)
            | Q(details__event__description__icontains=text)
            | Q(details__association__name__icontains=text)
            | Q(details__organiser_name__icontains=text)
        )
    return qs.select_related("details__event", "details__place", "details__association").order_by(
        "start", "details_id"
    )


def public_dates(filters: dict | None = None, start=None, end=None) -> list[tuple]:
    """The public dates of ``public_slots`` as (event id, start, end) tuples, read with
    the database cursor: the same statement, without Django's per-row converters (issue
    #22: on 9,500 dates they were most of the time). PostgreSQL gives aware datetimes
    already; SQLite gives naive UTC datetimes (or UTC text), made aware here in one pass."""
    qs = public_slots(filters, start=start, end=end).values_list(
        "details__event_id", "start", "end"
    )
    sql, params = qs.query.sql_with_params()
    connection = connections[qs.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows or getattr(rows[0][1], "tzinfo", None) is not None:
        return rows
    utc = datetime.UTC
    if isinstance(rows[0][1], str):
        parse = datetime.datetime.fromisoformat
        return [
            (event, parse(s).replace(tzinfo=utc), parse(e).replace(tzinfo=utc))
            for event, s, e in rows
        ]
    return [(event, s.replace(tzinfo=utc), e.replace(tzinfo=utc)) for event, s, e in rows]


@dataclass
class Item:
    """One line of a list or a cell of the month: our slot or another app's entry."""

    title: str
    start: datetime.datetime
    end: datetime.datetime
    url: str
    location: str
    kind: str  # "event", "loan", "course", "prize"
    organiser: str = ""
    status: str = EventStatus.PUBLISHED
    moved: bool = False
    slot: Slot | None = None

    @property
    def cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def postponed(self) -> bool:
        return self.status == EventStatus.POSTPONED

    @property
    def html(self) -> SafeString:
        """The item's ``<li>`` as the lists, the week and the month show it: built here,
        not by an ``{% include %}`` per item (issue #22: an include with eight filters
        per line was most of a calendar page's rendering)."""
        return render_item(self)


_KIND_BADGES = {
    "loan": gettext_lazy("Booking"),
    "course": gettext_lazy("Course"),
    "prize": gettext_lazy("Frivillig Fredag"),
}


def render_item(item: Item) -> SafeString:
    esc = conditional_escape
    start, end = timezone.localtime(item.start), timezone.localtime(item.end)
    cancelled = item.cancelled
    if cancelled:
        badge = f'<strong class="badge">{esc(gettext("Cancelled"))}</strong>'
    elif item.postponed:
        badge = f'<strong class="badge">{esc(gettext("Postponed"))}</strong>'
    elif item.moved:
        badge = f'<strong class="badge">{esc(gettext("Moved"))}</strong>'
    else:
        badge = ""
    kind = _KIND_BADGES.get(item.kind)
    kind = f'<span class="badge">{esc(kind)}</span>' if kind else ""
    title = esc(item.title)
    link = f'<a href="{esc(item.url)}">{title}</a>' if item.url else f"<span>{title}</span>"
    location = (
        f'<span class="calendar-item__place">{esc(item.location)}</span>' if item.location else ""
    )
    organiser = (
        f'<span class="calendar-item__organiser">{esc(item.organiser)}</span>'
        if item.organiser
        else ""
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'\n<li class="calendar-item calendar-item--{esc(item.kind)}'
        f'{" calendar-item--cancelled" if cancelled else ""}">\n'
        f'    <time datetime="{start.isoformat()}">{start:%H:%M}</time>–'
        f'<time datetime="{end.isoformat()}">{end:%H:%M}</time>\n'
        f"    {link}\n    {badge}\n    {kind}\n    {location}\n    {organiser}\n</li>\n"
    )


def item_for_slot(slot: Slot, detail_url) -> Item:
    d = slot.details
    return Item(
        title=d.event.title,
        start=slot.start,
        end=slot.end,
        url=detail_url(d.event_id),
        location=(d.place.name + (f", {d.room}" if d.room else "")) if d.place_id else d.address,
        kind="event",
        organiser=d.organiser_label,
        status=d.status,
        moved=slot.moved,
        slot=slot,
    )


def item_for_entry(entry: CalendarEntry) -> Item:
    return Item(
        title=entry.title,
        start=entry.start,
        end=entry.end,
        url=entry.url,
        location=entry.location,
        kind=entry.kind,
    )


def other_entries(filters: dict, start, end) -> list[CalendarEntry]:
    """Entries of the other apps in [start, end), filtered as far as they can be."""
    if start is None or end is None or any(filters.get(k) for k in EVENT_ONLY_FILTERS):
        return []
    entries = calendar_entries(start, end)
    if filters.get("place"):
        entries = [e for e in entries if e.place_id == filters["place"].pk]
    if filters.get("q"):
        text = filters["q"].casefold()
        entries = [
            e for e in entries if text in e.title.casefold() or text in e.description.casefold()
        ]
    return [e for e in entries if e.start < end and e.end > start]


def merged(slots, entries, detail_url) -> list[Item]:
    items = [item_for_slot(s, detail_url) for s in slots] + [item_for_entry(e) for e in entries]
    return sorted(items, key=lambda i: (i.start, i.title))
