"""iCalendar (RFC 5545) feeds: the whole calendar or any filter, one event per VEVENT with
its RRULE, cancelled dates as EXDATE and moved dates as extra VEVENTs with RECURRENCE-ID;
stable UIDs; the VTIMEZONE of the local zone. Streamed event by event, with ETag and
Last-Modified so a subscribing calendar's conditional request gets 304."""

from __future__ import annotations

import datetime
import hashlib

import icalendar
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from schedule.models import Occurrence

from frivillig_blocks import ics
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


def uid_for(details: EventDetails) -> str:
    return f"{details.uid}@kalender.frivillig"


def _period(filters: dict):
    tz = local_tz()
    now = timezone.now()
    start = now - datetime.timedelta(days=31)
    end = now + datetime.timedelta(days=conf.app_settings.FEED_DAYS)
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
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


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
