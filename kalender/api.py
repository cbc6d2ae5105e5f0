"""A read-only JSON API of the public calendar for other sites, with an OpenAPI
description (django-ninja): /api/kalender/openapi.json. No interactive docs page: it would
load scripts from a CDN."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from frivillig_blocks.models import AgeGroup, Association, Place, Theme

from . import conf, queries
from .models import CalendarPage, Category, EventDetails
from .occurrences import local_tz, recurrence_key
from .text import plain_text

api = NinjaAPI(
    title="Kalender",
    version="1",
    description="The shared calendar's public events, read-only. Times are ISO 8601 with the "
    "local offset (Europe/Copenhagen).",
    urls_namespace="kalender_api",
    docs_url=None,
)

MAX_LIMIT = 500


class PlaceOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    city: str


class DateOut(Schema):
    event_id: int
    uid: str
    title: str
    start: datetime.datetime
    end: datetime.datetime
    moved: bool
    status: str
    url: str
    place: PlaceOut | None
    room: str
    address: str
    organiser: str
    category: str | None


class EventOut(Schema):
    event_id: int
    uid: str
    title: str
    description: str
    status: str
    recurrence: str
    first_start: datetime.datetime
    first_end: datetime.datetime
    repeat_until: datetime.datetime | None
    url: str
    ical_url: str
    place: PlaceOut | None
    room: str
    address: str
    organiser: str
    category: str | None
    age_groups: list[str]
    themes: list[str]
    price: str
    registration_url: str
    accessibility: str
    upcoming: list[datetime.datetime]


class CategoryOut(Schema):
    slug: str
    name: str


class Filters(Schema):
    start: datetime.date | None = None
    end: datetime.date | None = None
    category: str | None = None
    age_group: str | None = None
    theme: str | None = None
    organiser: str | None = None
    place: int | None = None
    q: str | None = None
    limit: int = 100
    offset: int = 0


def _base_url(request) -> str:
    page = CalendarPage.objects.live().first()
    return request.build_absolute_uri(page.url) if page and page.url else ""


def _place(place):
    if place is None:
        return None
    return {
        "id": place.pk,
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "city": place.city,
    }


def _resolve(filters: Filters) -> dict:
    resolved: dict = {}
    lookups = {
        "category": (Category, "slug"),
        "age_group": (AgeGroup, "code"),
        "theme": (Theme, "slug"),
        "organiser": (Association.objects.filter(live=True), "slug"),
        "place": (Place, "pk"),
    }
    for name, (model, field) in lookups.items():
        value = getattr(filters, name)
        if value in (None, ""):
            continue
        qs = model.objects.all() if hasattr(model, "objects") else model
        found = qs.filter(**{field: value}).first()
        if found is None:
            raise NinjaValidationError(
                [{"loc": ["query", name], "msg": f"Unknown {name}: {value}"}]
            )
        resolved[name] = found
    if filters.q:
        resolved["q"] = filters.q[:100]
    return resolved


@api.get("/dates", response=list[DateOut], summary="Dates of public events in a period")
def dates(request, filters: Query[Filters]):
    """Every date (occurrence) of the public events from ``start`` (default today) to
    ``end`` (default 31 days later), in time order; ``limit`` at most 500."""
    tz = local_tz()
    first = filters.start or timezone.localdate()
    last = filters.end or first + datetime.timedelta(days=31)
    if last < first or (last - first).days > conf.get("KALENDER_FEED_DAYS"):
        raise NinjaValidationError(
            [{"loc": ["query", "end"], "msg": "end must be after start, within the feed period"}]
        )
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    slots = queries.public_slots(_resolve(filters), start=start, end=end)[offset : offset + limit]
    base = _base_url(request)
    result = []
    for slot in slots:
        d = slot.details
        result.append(
            {
                "event_id": d.event_id,
                "uid": str(d.uid),
                "title": d.event.title,
                "start": slot.start.astimezone(tz),
                "end": slot.end.astimezone(tz),
                "moved": slot.moved,
                "status": d.status,
                "url": f"{base}arrangement/{d.event_id}/" if base else "",
                "place": _place(d.place),
                "room": d.room,
                "address": d.address,
                "organiser": d.organiser_label,
                "category": d.category.slug if d.category_id else None,
            }
        )
    return result


@api.get("/events/{event_id}", response=EventOut, summary="One public event")
def event(request, event_id: int):
    d = (
        EventDetails.objects.public()
        .select_related("event", "event__rule", "place", "association", "category")
        .filter(event_id=event_id)
        .first()
    )
    if d is None:
        raise Http404("No such event")
    tz = local_tz()
    base = _base_url(request)
    upcoming = (
        d.slots.filter(end__gt=timezone.now())
        .order_by("start")
        .values_list("start", flat=True)[:50]
    )
    return {
        "event_id": d.event_id,
        "uid": str(d.uid),
        "title": d.event.title,
        "description": plain_text(d.event.description),
        "status": d.status,
        "recurrence": recurrence_key(d.event.rule),
        "first_start": d.event.start.astimezone(tz),
        "first_end": d.event.end.astimezone(tz),
        "repeat_until": d.event.end_recurring_period.astimezone(tz)
        if d.event.end_recurring_period
        else None,
        "url": f"{base}arrangement/{d.event_id}/" if base else "",
        "ical_url": f"{base}arrangement/{d.event_id}/ical/" if base else "",
        "place": _place(d.place),
        "room": d.room,
        "address": d.address,
        "organiser": d.organiser_label,
        "category": d.category.slug if d.category_id else None,
        "age_groups": list(d.age_groups.values_list("code", flat=True)),
        "themes": list(d.themes.values_list("slug", flat=True)),
        "price": d.price,
        "registration_url": d.registration_url,
        "accessibility": d.accessibility,
        "upcoming": [s.astimezone(tz) for s in upcoming],
    }


@api.get("/categories", response=list[CategoryOut], summary="The categories")
def categories(request):
    return list(Category.objects.values("slug", "name"))


@api.get("/places", response=list[PlaceOut], summary="The places")
def places(request):
    return [_place(p) for p in Place.objects.all()]
