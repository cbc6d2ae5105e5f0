"""iCalendar (RFC 5545) feeds: the whole calendar or any filter, one event per VEVENT with
its RRULE, cancelled dates as EXDATE and moved dates as extra VEVENTs with RECURRENCE-ID;
stable UIDs; the VTIMEZONE of the local zone. With ETag and Last-Modified so a subscribing
calendar's conditional request gets 304.

The calendar's feed (``feed_view``) is built once per content version and kept (issue #22):
when the page cache is on (``FRIVILLIG_PAGE_CACHE_SECONDS``) or ``KALENDER_FEED_CACHE`` is
True (production: also with the page cache off, so an export of the whole calendar is never
rebuilt for a request when nothing changed), its body, ETag and
Last-Modified are stored under a key made of the page cache's content version, today's date
(the default period moves with it), the address it is served at, the language and the parsed
filters. Every committed change a public page can show moves that version (pagecache.py; the
calendar registers all its models and django-scheduler's, the other apps the models of their
entries), so the next request builds the feed again; until then every request is one cache
read, and an anonymous one is answered by the page cache before the page is even routed. The
body holds public events only, so it is the same for every visitor. With neither
(development, most tests) the feed is streamed event by event for each request, as is the
single event's feed (``event_feed_view``, which can show an unpublished event to its editors)
always."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging

import icalendar
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from schedule.models import Occurrence

from frivillig_blocks import ics, pagecache
from frivillig_blocks.hooks import CalendarEntry
from frivillig_blocks.links import page_url

from . import conf, queries, services
from .forms import FilterForm
from .models import EventDetails, EventStatus, Slot
from .occurrences import local_tz
from .text import plain_text

PRODID = "-//frivillig-platform//kalender//DA"
STATUS = {
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.REVIEW: "TENTATIVE",
    EventStatus.DRAFT: "TENTATIVE",
}
CHUNK = 200
#: How long a built feed is kept at most: its key holds today's date, so a day is its life.
FEED_CACHE_SECONDS = 24 * 60 * 60
FEED_CACHE_PREFIX = "kalender:feed"
#: Built feeds of one calendar page kept per day at most (distinct filters and periods);
#: beyond it a feed is built for each request, as with the cache off.
FEED_CACHE_VARIANTS = 20

logger = logging.getLogger(__name__)


def uid_for(details: EventDetails) -> str:
    return f"{details.uid}@kalender.frivillig"


def _period(filters: dict):
    """[start, end) of the feed: ``fra``/``til`` when given, else from 31 days before today
    to ``FEED_DAYS`` after it, in whole local days (so the feed is the same all day)."""
    tz = local_tz()
    today = timezone.localdate()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=31), datetime.time.min, tzinfo=tz
    )
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=conf.app_settings.FEED_DAYS + 1),
        datetime.time.min,
        tzinfo=tz,
    )
    if filters.get("fra"):
        start = datetime.datetime.combine(filters["fra"], datetime.time.min, tzinfo=tz)
    if filters.get("til"):
        end = datetime.datetime.combine(
            filters["til"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
    return start, end


def details_for(filters: dict, start, end):
    """The public events with a date in [start, end) matching the filters."""
    slot_ids = queries.public_slots(
        {k: v for k, v in filters.items() if k not in ("fra", "til")}, start, end
    )
    return (
        EventDetails.objects.public()
        .filter(pk__in=slot_ids.values("details_id"))
        .select_related("event", "event__rule", "place", "association")
        .prefetch_related("themes")
        .order_by("pk")
    )


def _timezone_component(start, end):
    return ics.timezone_component(
        local_tz(),
        (start - datetime.timedelta(days=400)).date(),
        (end + datetime.timedelta(days=400)).date(),
    )


def _ics_event(details: EventDetails, url: str, start, end, extra=()) -> ics.IcsEvent:
    event = details.event
    updated = details.updated_at.astimezone(datetime.UTC)
    extra_properties = [
        ("created", details.created_at.astimezone(datetime.UTC)),
        ("last-modified", updated),
        ("sequence", details.sequence),
    ]
    if details.organiser_label:
        extra_properties.append(("x-organiser-name", details.organiser_label))
    return ics.IcsEvent(
        uid=uid_for(details),
        start=start,
        end=end,
        summary=event.title,
        description=plain_text(event.description),
        location=details.location_label or "",
        url=url,
        categories=[theme.name for theme in details.themes.all()],
        status=STATUS.get(details.status, "CONFIRMED"),
        stamp=updated,
        extra=[*extra_properties, *extra],
    )


def vevents_for(details: EventDetails, url: str = "") -> list[icalendar.Event]:
    """The VEVENTs of one event: the series, and one per moved date."""
    tz = local_tz()
    event = details.event
    exceptions = list(event.occurrence_set.all())
    series_extra = []
    moved = []
    if event.rule_id:
        rule = event.rule
        rrule = {"FREQ": rule.frequency}
        params = rule.get_params()
        if params.get("interval"):
            rrule["INTERVAL"] = int(params["interval"])
        if event.end_recurring_period:
            rrule["UNTIL"] = event.end_recurring_period.astimezone(datetime.UTC)
        series_extra.append(("rrule", rrule))
        cancelled = sorted(o.original_start for o in exceptions if o.cancelled)
        series_extra.extend(("exdate", moment) for moment in cancelled)
        for occurrence in sorted(exceptions, key=lambda o: o.original_start):
            if occurrence.cancelled or (
                occurrence.start == occurrence.original_start
                and occurrence.end == occurrence.original_end
            ):
                continue
            moved.append(
                _ics_event(
                    details,
                    url,
                    occurrence.start,
                    occurrence.end,
                    [("recurrence-id", occurrence.original_start)],
                )
            )
    series = _ics_event(details, url, event.start, event.end, series_extra)
    return [ics.vevent(e, tz=tz) for e in (series, *moved)]


def vevent_for_entry(entry: CalendarEntry) -> icalendar.Event:
    return ics.vevent(
        ics.IcsEvent(
            uid=entry.uid,
            start=entry.start,
            end=entry.end,
            summary=entry.title,
            location=entry.location or "",
            description=entry.description or "",
            url=entry.url or "",
            categories=[entry.kind],
        ),
        tz=local_tz(),
    )


def _component_text(component) -> bytes:
    return component.to_ical()


def stream(details_qs, entries, name: str, start, end, detail_url):
    """Yield the feed in pieces: the header, each event's VEVENTs, the footer."""
    header = ics.calendar_header(name, prodid=PRODID, tz=local_tz()).to_ical().decode()
    # to_ical() ends with END:VCALENDAR; stream its opening part, then the events.
    opening = header.rsplit("END:VCALENDAR", 1)[0]
    yield opening.encode()
    yield _timezone_component(start, end).to_ical()
    occurrences = Prefetch(
        "event__occurrence_set", queryset=Occurrence.objects.order_by("original_start")
    )
    for details in details_qs.prefetch_related(occurrences).iterator(chunk_size=CHUNK):
        for vevent in vevents_for(details, detail_url(details.event_id)):
            yield vevent.to_ical()
    for entry in entries:
        yield vevent_for_entry(entry).to_ical()
    yield b"END:VCALENDAR\r\n"


def _validators(entries, key: str):
    """ETag and Last-Modified without reading the feed: any change of any event (a cancelled
    or moved date counts: it saves the event) changes the latest ``updated_at`` or the
    count, and the filters and today's date are part of the key. Conservative (another
    event's change also renews it) but one cheap aggregate."""
    summary = (
        EventDetails.objects.public()
        .order_by()
        .aggregate(count=Count("pk"), latest=Max("updated_at"))
    )
    latest = summary["latest"]
    entry_key = "|".join(
        f"{e.uid}:{e.start.isoformat()}:{e.end.isoformat()}:{e.title}" for e in entries
    )
    digest = hashlib.sha256(
        f"{key}|{timezone.localdate().isoformat()}|{summary['count']}|"
        f"{latest.isoformat() if latest else ''}|{entry_key}".encode()
    ).hexdigest()[:32]
    return f'"{digest}"', latest


def _headers(response, etag: str, last_modified: int | None, filename: str):
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def _respond(request, details_qs, entries, name, start, end, detail_url, key, filename):
    etag, latest = _validators(entries, key)
    last_modified = int(latest.timestamp()) if latest else None
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return conditional
    response = StreamingHttpResponse(
        stream(details_qs, entries, name, start, end, detail_url),
        content_type="text/calendar; charset=utf-8",
    )
    return _headers(response, etag, last_modified, filename)


def feed_cache_key(request, page, filters: dict, content_version: int) -> str:
    """The built feed's key: everything its body depends on besides the content. The
    address it is served at (its links are absolute), the language, today (the default
    period) and the parsed filters; the raw query string plays no part, so parameters the
    feed does not know cannot make copies."""
    description = json.dumps(
        {
            "page": page.pk,
            "host": request.get_host(),
            "secure": request.is_secure(),
            "path": request.path,
            "language": get_language(),
            "today": timezone.localdate().isoformat(),
            "filters": FilterForm.as_key(filters),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(description.encode()).hexdigest()
    return f"{FEED_CACHE_PREFIX}:{content_version}:{digest}"


def _built_feed(request, page, filters: dict) -> dict:
    """The whole feed as bytes with its validators: the ETag is the body's digest (as the
    page cache makes it, so a subscriber's validator holds whichever of the two answers, and
    a rebuild of the same content keeps it)."""
    start, end = _period(filters)
    entries = queries.other_entries(filters, start, end)
    body = b"".join(
        stream(
            details_for(filters, start, end),
            entries,
            page.title,
            start,
            end,
            _detail_url_factory(request, page),
        )
    )
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    # Last-Modified is when it was built: the other apps' entries carry no time of change,
    # and a rebuild follows a change (or a new day), so it is never earlier than the content.
    return {
        "body": body,
        "etag": f'"{digest}"',
        "last_modified": int(timezone.now().timestamp()),
    }


def feed_cache_on() -> bool:
    """Whether the built feed is kept per content version (``KALENDER_FEED_CACHE``; by
    default whenever the page cache is on)."""
    wanted = conf.app_settings.FEED_CACHE
    return bool(pagecache.timeout()) if wanted is None else wanted


def _cached_feed(request, page, filters: dict):
    """The feed from the cache, built and stored when this content version has none yet."""
    key = feed_cache_key(request, page, filters, pagecache.version())
    try:
        feed = cache.get(key)
    except Exception:  # the cache being down must not take the feed down
        logger.exception("feed: cache lookup failed")
        feed = None
    if feed is None:
        feed = _built_feed(request, page, filters)
        # Each copy counts against the page's cap of copies a day (pagecache.py), so filters
        # and periods by the thousand cannot fill the cache with feeds.
        pagecache.store(
            key,
            feed,
            FEED_CACHE_SECONDS,
            group=f"kalender-feed:{page.pk}",
            group_limit=FEED_CACHE_VARIANTS,
        )
    conditional = get_conditional_response(
        request, etag=feed["etag"], last_modified=feed["last_modified"]
    )
    if conditional is not None:
        return conditional
    response = HttpResponse(feed["body"], content_type="text/calendar; charset=utf-8")
    return _headers(response, feed["etag"], feed["last_modified"], "kalender.ics")


def _detail_url_factory(request, page):
    base = page_url(page, request=request)

    def url(event_id):
        return base + page.reverse_subpage("detail", args=[event_id])

    return url


def feed_view(request, page):
    form = FilterForm(request.GET or None)
    if error := form.period_error():
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    if feed_cache_on():
        return _cached_feed(request, page, filters)
    start, end = _period(filters)
    details_qs = details_for(filters, start, end)
    entries = queries.other_entries(filters, start, end)
    key = request.GET.urlencode()
    return _respond(
        request,
        details_qs,
        entries,
        page.title,
        start,
        end,
        _detail_url_factory(request, page),
        key,
        "kalender.ics",
    )


def event_feed_view(request, page, event_id):
    details = EventDetails.objects.filter(event_id=event_id).first()
    if details is None or not (details.is_public or services.can_edit(request.user, details)):
        raise Http404("No such event")
    details_qs = (
        EventDetails.objects.filter(pk=details.pk)
        .select_related("event", "event__rule", "place", "association")
        .prefetch_related("themes")
    )
    event = details.event
    last = Slot.objects.filter(details=details).aggregate(last=Max("end"))["last"] or event.end
    return _respond(
        request,
        details_qs,
        [],
        event.title,
        event.start,
        last,
        _detail_url_factory(request, page),
        f"event-{details.pk}",
        f"arrangement-{event_id}.ics",
    )
