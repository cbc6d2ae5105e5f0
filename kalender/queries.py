"""Reading the calendar: the public slots in a period with the public filters, and what
the other apps add through ``CALENDAR_ENTRIES``. One query per list, whatever the data."""

from __future__ import annotations

import datetime
import logging
from collections import namedtuple
from dataclasses import dataclass
from html import escape as html_escape

from django.core.cache import cache
from django.db import connections
from django.db.models import FloatField, Func, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from frivillig_blocks import pagecache
from frivillig_blocks.hooks import CalendarEntry, calendar_entries
from frivillig_blocks.prepared import prepared_cursor

from . import conf
from .models import EventStatus, Slot
from .occurrences import local_tz

logger = logging.getLogger(__name__)

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
    """The public dates of ``public_slots`` as (event id, start, end) tuples, ordered by
    start, end and event details (the order of the partial index on (start, end, details,
    event): no sort, no join), read with the database cursor, without Django's per-row
    converters (issue #22: on 9,500 dates they were most of the time). Each distinct
    value is converted once (a month's dates share a few hundred times). On SQLite the
    datetimes are read as the text they are stored as (a column read as is goes through
    the sqlite3 module's converter, a regular expression per value); on PostgreSQL as
    seconds since the epoch (``timestamptz`` to text is slow in the database, and
    Django's loader of ``timestamptz`` is a Python call per value)."""
    qs = public_slots(filters, start=start, end=end).order_by("start", "end", "details_id")
    connection = connections[qs.db]
    if connection.vendor == "postgresql":
        as_value, convert = EpochSeconds, _utc_from_epoch
    else:
        as_value, convert = _as_text, _utc
    qs = qs.annotate(start_value=as_value("start"), end_value=as_value("end")).values_list(
        "event_id", "start_value", "end_value"
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return rows
    events, starts, ends = zip(*rows, strict=True)
    values = set(starts)
    values.update(ends)
    aware = {value: convert(value) for value in values}.__getitem__
    return list(zip(events, map(aware, starts), map(aware, ends), strict=True))


class EpochSeconds(Func):
    """A ``timestamptz`` as seconds since the epoch (PostgreSQL; a double, exact to the
    microsecond for the dates a calendar holds)."""

    template = "date_part('epoch', %(expressions)s)"
    output_field = FloatField()


def _as_text(name: str) -> Cast:
    return Cast(name, TextField())


def _utc(text: str) -> datetime.datetime:
    """A datetime column's text as an aware datetime in UTC: SQLite's has no offset (it is
    UTC), PostgreSQL's has the session's (UTC under Django)."""
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def _utc_from_epoch(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


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


def escape(value) -> str:
    """``conditional_escape`` without its lazy wrappers for a plain string (every value of
    our own lines): the same text (issue #22: the wrappers were half of a line's time)."""
    if type(value) is str:
        return html_escape(value)
    return conditional_escape(value)


def render_item(item: Item, tz=None) -> SafeString:
    """The ``<li>`` of ``item``, its times in ``tz`` (default: the current time zone)."""
    esc = escape
    if tz is None:
        tz = timezone.get_current_timezone()
    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
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
        f'    <time datetime="{start.isoformat()}">{start.hour:02d}:{start.minute:02d}</time>–'
        f'<time datetime="{end.isoformat()}">{end.hour:02d}:{end.minute:02d}</time>\n'
        f"    {link}\n    {badge}\n    {kind}\n    {location}\n    {organiser}\n</li>\n"
    )


def render_items(items) -> SafeString:
    """The ``<li>`` of every item of ``items``, one string: what a day's ``<ul>`` holds
    (issue #22: one template variable a day, not a loop over a hundred lines)."""
    tz = timezone.get_current_timezone()
    return mark_safe("".join([render_item(item, tz) for item in items]))  # noqa: S308 - escaped


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


# What a line of the list, the week or the month shows of a date: read as plain values
# (named rows), not as four model instances a date (issue #22).
LINE_FIELDS = (
    "start",
    "end",
    "moved",
    "details__event_id",
    "details__event__title",
    "details__status",
    "details__place_id",
    "details__place__name",
    "details__room",
    "details__address",
    "details__association_id",
    "details__association__name",
    "details__organiser_name",
)


def lines(slots):
    """``slots`` (a query of ``public_slots``) as the named rows of ``LINE_FIELDS``, in the
    same order: the columns the lines show, one statement, no model instances."""
    return slots.values_list(*LINE_FIELDS, named=True)


# A row of ``capped_lines``: the fields of ``LINE_FIELDS`` by the same names, so that
# ``item_for_line`` reads it as a row of ``lines``.
Line = namedtuple("Line", LINE_FIELDS)

# What a line shows of the slots of ``ids`` (a subquery), in the order of ``public_slots``:
# ``LINE_FIELDS`` by hand, one statement with no Django compilation per request (issue #22).
CAPPED_LINES_SQL = """
SELECT {start}, {end}, s.moved, d.event_id, e.title, d.status, d.place_id, p.name, d.room,
       d.address, d.association_id, a.name, d.organiser_name
FROM kalender_slot s
JOIN kalender_eventdetails d ON d.id = s.details_id
JOIN schedule_event e ON e.id = d.event_id
LEFT JOIN frivillig_blocks_place p ON p.id = d.place_id
LEFT JOIN frivillig_blocks_association a ON a.id = d.association_id
WHERE s.id IN ({ids})
ORDER BY s.start, s.details_id
"""


def capped_lines(filters: dict, start, end, per_day: int) -> tuple[list, dict]:
    """The first ``per_day`` public dates (of ``public_slots``) of each local day in
    [start, end) as rows of ``LINE_FIELDS`` in the order of ``lines``, and the number of
    dates of each local ``day`` (a date that began before ``start`` has its own, earlier
    day), in two statements whatever the number of events: the days' totals (one range of
    the partial index on (day, start, details, end) of the public dates,
    ``kalender_slot_public_day``, counted per day), then the shown dates read by id, the
    ids being each day's first ``per_day`` in index order (one ``LIMIT``ed probe of the
    index a day: no window over the period, no sort; issue #22). The period's conditions
    are compiled once by Django (the filters) and used by both statements."""
    tz = local_tz()
    longest = datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS)
    # Implied by the bounds on ``start`` (``day`` is its local date); they make the range
    # one of the day index.
    base = (
        public_slots(filters, start=start, end=end)
        .filter(
            day__gte=(start - longest).astimezone(tz).date(), day__lte=end.astimezone(tz).date()
        )
        .select_related(None)
        .order_by()
        .values_list("id", "day", "start", "details_id")
    )
    connection = connections[base.db]
    sql, params = base.query.sql_with_params()
    with prepared_cursor(connection) as cursor:
        # Django's compiled SQL and placeholders only: the values are parameters.
        totals_sql = f"SELECT b.day, COUNT(*) FROM ({sql}) b GROUP BY b.day"  # noqa: S608
        cursor.execute(totals_sql, params)
        totals = {
            datetime.date.fromisoformat(day) if isinstance(day, str) else day: total
            for day, total in cursor.fetchall()
        }
        sqlite = connection.vendor == "sqlite"
        probe = (
            f"(SELECT b.id FROM ({sql}) b WHERE b.day = {{day}} "  # noqa: S608
            "ORDER BY b.start, b.details_id LIMIT %s)"
        )
        if not totals:
            # An empty period reads too (no slot has id 0): the same statements for an
            # empty period as for a full one (the city profile compares them).
            ids, probe_params = "SELECT 0", []
        elif sqlite:
            # One probe per day, put together (SQLite plans each in microseconds).
            ids = " UNION ALL ".join(
                f"SELECT t.id FROM {probe.format(day='%s')} t"  # noqa: S608 - placeholders only
                for _day in totals
            )
            probe_params = []
            for day in sorted(totals):
                probe_params += [*params, connection.ops.adapt_datefield_value(day), per_day]
        else:
            # PostgreSQL: the same probe for each day of an array, one subquery to plan
            # (a UNION of a probe per day took 2 ms to plan and 0.4 ms to run).
            ids = (
                "SELECT t.id FROM unnest(%s::date[]) AS days(day) "  # noqa: S608 - placeholders only
                f"CROSS JOIN LATERAL {probe.format(day='days.day')} t"
            )
            probe_params = [sorted(totals), *params, per_day]
        cursor.execute(
            CAPPED_LINES_SQL.format(
                # SQLite: the text, parsed below (not the sqlite3 module's converter).
                start="CAST(s.start AS TEXT)" if sqlite else "s.start",
                end='CAST(s."end" AS TEXT)' if sqlite else 's."end"',
                ids=ids,
            ),
            probe_params,
        )
        rows = cursor.fetchall()
    if sqlite:
        utc = datetime.UTC
        parse = datetime.datetime.fromisoformat
        rows = [
            (parse(row[0]).replace(tzinfo=utc), parse(row[1]).replace(tzinfo=utc), *row[2:])
            for row in rows
        ]
    return [Line._make(row) for row in rows], totals


def item_for_line(line, detail_url) -> Item:
    """The item of a row of ``lines`` (as ``item_for_slot`` makes of a slot)."""
    if line.details__place_id:
        room = line.details__room
        location = line.details__place__name + (f", {room}" if room else "")
    else:
        location = line.details__address
    return Item(
        title=line.details__event__title,
        start=line.start,
        end=line.end,
        url=detail_url(line.details__event_id),
        location=location,
        kind="event",
        organiser=line.details__association__name
        if line.details__association_id
        else line.details__organiser_name,
        status=line.details__status,
        moved=line.moved,
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


# The other apps' entries are kept per content version (every app that adds entries
# retires it on a change: ``page_cache_models``), language and local calendar month, so
# that a period (the list's starts now and ends where its page's dates end) finds them
# kept whatever its bounds. A period of more months than this reads the apps directly.
ENTRIES_CACHE_MONTHS = 24
ENTRIES_CACHE_SECONDS = 60 * 60


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _entries_by_month(start, end) -> list[CalendarEntry]:
    """The other apps' entries of the local months from ``start``'s to ``end``'s, from
    the cache; the months not kept yet read with one call of the hooks (issue #22: one
    query and a section page per app, on every page before)."""
    tz = local_tz()

    def midnight(day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)

    months = [start.astimezone(tz).date().replace(day=1)]
    # The period ends before ``end``: a month's period (to the next month's midnight) is
    # that month only, not the next one as well.
    last = (end - datetime.timedelta(microseconds=1)).astimezone(tz).date()
    while _next_month(months[-1]) <= last and len(months) <= ENTRIES_CACHE_MONTHS:
        months.append(_next_month(months[-1]))
    if len(months) > ENTRIES_CACHE_MONTHS:
        return calendar_entries(start, end)
    prefix = f"kalender:entries:{pagecache.version()}:{get_language()}"
    keys = {month: f"{prefix}:{month:%Y-%m}" for month in months}
    try:
        kept = cache.get_many(list(keys.values()))
    except Exception:  # the cache being down must not take the calendar down
        logger.exception("calendar entries: cache lookup failed")
        kept = {}
    missing = [month for month in months if keys[month] not in kept]
    if missing and (start != midnight(months[0]) or end != midnight(_next_month(months[-1]))):
        # A period of less than whole months (the week, the day, the list's page) reads
        # just its own range while a month is not kept, not whole months it mostly does
        # not show (issue #22: at fifty times the demo's data a month's loans and courses
        # were most of an uncached week, day or list). It is kept under a key of its whole
        # local days: the list's page starts "now", and its days are the same all day.
        local_start, local_end = start.astimezone(tz), end.astimezone(tz)
        first_day, last_day = local_start.date(), local_end.date()
        if local_end.time() != datetime.time.min:
            last_day += datetime.timedelta(days=1)
        key = f"{prefix}:{first_day:%Y-%m-%d}:{last_day:%Y-%m-%d}"
        try:
            entries = cache.get(key)
        except Exception:  # the cache being down must not take the calendar down
            logger.exception("calendar entries: cache lookup failed")
            entries = None
        if entries is None:
            entries = calendar_entries(midnight(first_day), midnight(last_day))
            pagecache.store(key, entries, ENTRIES_CACHE_SECONDS)
        return [e for e in entries if e.start < end and e.end > start]
    if missing:
        read = calendar_entries(midnight(missing[0]), midnight(_next_month(missing[-1])))
        for month in missing:
            first, nxt = midnight(month), midnight(_next_month(month))
            kept[keys[month]] = [e for e in read if e.start < nxt and e.end > first]
            pagecache.store(keys[month], kept[keys[month]], ENTRIES_CACHE_SECONDS)
    seen: set[str] = set()
    entries = []
    for month in months:
        for entry in kept[keys[month]]:
            if entry.uid not in seen:  # an entry over the turn of a month is in both
                seen.add(entry.uid)
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.start, e.title))


def other_entries(filters: dict, start, end) -> list[CalendarEntry]:
    """Entries of the other apps in [start, end), filtered as far as they can be."""
    if start is None or end is None or any(filters.get(k) for k in EVENT_ONLY_FILTERS):
        return []
    entries = _entries_by_month(start, end)
    if filters.get("place"):
        entries = [e for e in entries if e.place_id == filters["place"].pk]
    if filters.get("q"):
        text = filters["q"].casefold()
        entries = [
            e for e in entries if text in e.title.casefold() or text in e.description.casefold()
        ]
    return [e for e in entries if e.start < end and e.end > start]


def merged(slots, entries, detail_url) -> list[Item]:
    """The slots (``Slot`` instances or rows of ``lines``) and the other apps' entries as
    items, in time order."""
    items = [
        item_for_slot(s, detail_url) if isinstance(s, Slot) else item_for_line(s, detail_url)
        for s in slots
    ] + [item_for_entry(e) for e in entries]
    return sorted(items, key=lambda i: (i.start, i.title))
