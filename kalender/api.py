"""A read-only JSON API of the public calendar for other sites, with an OpenAPI
description (django-ninja): /api/kalender/openapi.json. No interactive docs page: it would
load scripts from a CDN.

The description is the API: every status an operation answers is in it with its body's
schema, and every rule on a parameter that JSON Schema can say is in the parameter's schema
(dates as ``format: date`` with a pattern for the years the site stores, bounded integers of
ASCII digits, bounded strings). The one rule JSON Schema cannot say, that ``end`` is not
before ``start`` and the period is at most ``KALENDER_FEED_DAYS`` days, is in the
operation's description and answered 422 with a message. Messages are in Danish (the
site's language at URLs without a language prefix). A test runs schemathesis against the
served description."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BeforeValidator, WithJsonSchema

from frivillig_blocks import themes as theme_list
from frivillig_blocks.links import section_url
from frivillig_blocks.models import AgeGroup, Association, Place, Theme
from frivillig_blocks.parsers import MAX_ID, MAX_OFFSET, MAX_YEAR, MIN_YEAR, parse_date

from . import conf, queries
from .exceptions import PeriodError
from .models import CalendarPage, EventDetails
from .occurrences import local_tz, recurrence_key
from .text import plain_text

MAX_LIMIT = 500
MAX_TEXT = 200  # a slug or code as the models store it
MAX_QUERY = 100

api = NinjaAPI(
    title="Kalender",
    version="1",
    description="The shared calendar's public events, read-only. Times are ISO 8601 with the "
    "local offset (Europe/Copenhagen); a local time in the hour that happens twice when summer "
    "time ends is its first occurrence (RFC 5545). Every answer other than 200 is a JSON object "
    "with a `detail`: a message (404) or a list of the parameters in error, each with a message "
    "(422). Messages are in Danish.",
    urls_namespace="kalender_api",
    docs_url=None,
)


# Parameters: strict parsers, so what the schema says is what the API accepts. Python's and
# pydantic's own parsers accept more (`start=0` was 1970-01-01, `'²'.isdigit()` is true).

_YEARS = f"(19[0-9]{{2}}|20[0-9]{{2}}|{MAX_YEAR})" if MAX_YEAR == 2100 else "[0-9]{4}"
DATE_PATTERN = rf"^{_YEARS}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DIGITS = re.compile(r"[0-9]{1,19}")


def _strict_date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    parsed = parse_date(value) if isinstance(value, str) and value == value.strip() else None
    if parsed is None:
        raise ValueError("date")
    return parsed


def _strict_int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    raise ValueError("integer")


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_strict_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Digits = Annotated[int, BeforeValidator(_strict_int)]
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_strict_int)]

# The message of each parameter in error (English msgids; Danish in the catalogue).
MESSAGES = {
    "start": gettext_lazy("Write the date as YYYY-MM-DD, between %(first)s and %(last)s."),
    "end": gettext_lazy("Write the date as YYYY-MM-DD, between %(first)s and %(last)s."),
    "limit": gettext_lazy("Write a whole number from 1 to %(max)s."),
    "offset": gettext_lazy("Write a whole number from 0 to %(max)s."),
    "place": gettext_lazy("Write a place's number: a whole number from 1 to %(max)s."),
    "event_id": gettext_lazy("Write an event's number: a whole number from 1 to %(max)s."),
    "q": gettext_lazy("Search for at most %(max)s characters."),
}
TEXT_MESSAGE = gettext_lazy("Write from 1 to %(max)s characters.")
PARAMS = {
    "first": f"{MIN_YEAR}-01-01",
    "last": f"{MAX_YEAR}-12-31",
    "max": "",
}
MAXIMA = {"limit": MAX_LIMIT, "offset": MAX_OFFSET, "place": MAX_ID, "event_id": MAX_ID}


def _message(name: str) -> str:
    if name in MESSAGES:
        maximum = MAXIMA.get(name, MAX_QUERY if name == "q" else "")
        return str(MESSAGES[name]) % {**PARAMS, "max": maximum}
    return str(TEXT_MESSAGE) % {"max": MAX_TEXT}


class FieldError(Schema):
    loc: list[str | int] = Field(description="Where: `query` or `path`, then the name.")
    msg: str = Field(description="What to write instead (in Danish).")
    type: str = Field(description="The kind of error (pydantic's error type, or `period`).")


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class ErrorOut(Schema):
    detail: str


NOT_FOUND = ErrorOut
INVALID = ValidationErrorOut


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = []
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str | int)]
        # ninja's loc is ("query", "filters", name) for a Query schema: keep where and name.
        where = loc[0] if loc else "query"
        name = str(loc[-1]) if loc else ""
        errors.append(
            {"loc": [where, name], "msg": _message(name), "type": str(error.get("type", ""))}
        )
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(PeriodError)
def _bad_period(request, exc):
    return api.create_response(
        request,
        {"detail": [{"loc": ["query", "end"], "msg": str(exc), "type": "period"}]},
        status=422,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    message = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


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
    themes: list[str] = Field(description="The event's themes' slugs (GET /themes).")
    category: str | None = Field(
        description="Deprecated: the slug of the first of `themes` (null if none). Use `themes`.",
        json_schema_extra={"deprecated": True},
    )


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
    category: str | None = Field(
        description="Deprecated: the slug of the first of `themes` (null if none). Use `themes`.",
        json_schema_extra={"deprecated": True},
    )
    age_groups: list[str]
    themes: list[str] = Field(description="The event's themes' slugs (GET /themes).")
    price: str
    registration_url: str
    accessibility: str
    upcoming: list[datetime.datetime]


class ThemeOut(Schema):
    slug: str
    name: str


def _text(description: str):
    return Field(None, min_length=1, max_length=MAX_TEXT, description=description)


class Filters(Schema):
    start: IsoDate = Field(
        None, description=f"The first day (default today), {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31."
    )
    end: IsoDate = Field(
        None,
        description="The last day (default 31 days after `start`): not before `start`, and at "
        "most the feed's period (400 days by default) after it; else 422.",
    )
    theme: str = _text("A theme's slug (GET /themes); unknown: 404.")
    category: str = Field(
        None,
        min_length=1,
        max_length=MAX_TEXT,
        description="Deprecated: the same as `theme` (the calendar's old categories are "
        "themes now; an old category's slug still finds its theme); unknown: 404.",
        json_schema_extra={"deprecated": True},
    )
    age_group: str = _text("An age group's code; unknown: 404.")
    organiser: str = _text("An association's slug; unknown: 404.")
    place: Id = Field(None, description="A place's id (GET /places); unknown: 404.")
    q: str = Field(
        None, min_length=1, max_length=MAX_QUERY, description="Words in the title or text."
    )
    limit: Digits = Field(100, ge=1, le=MAX_LIMIT, description="At most this many dates.")
    offset: Digits = Field(0, ge=0, le=MAX_OFFSET, description="Skip this many dates first.")


def _base_url(request) -> str:
    return section_url(CalendarPage, request=request)


def _themes(details) -> dict:
    """An event's themes, and the first of them as the deprecated ``category``."""
    slugs = [theme.slug for theme in details.themes.all()]
    return {"themes": slugs, "category": slugs[0] if slugs else None}


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


# A slug or code is letters, digits, - and _: anything else names nothing (and never reaches
# the database: PostgreSQL refuses a NUL in a string).
_SLUG = re.compile(r"[-\w]+")
UNKNOWN = {
    "age_group": gettext_lazy("The age group “%(value)s” does not exist."),
    "theme": gettext_lazy("The theme “%(value)s” does not exist."),
    "organiser": gettext_lazy("The association “%(value)s” does not exist."),
    "place": gettext_lazy("The place %(value)s does not exist."),
}


def _resolve(filters: Filters) -> dict:
    resolved: dict = {}
    lookups = {
        "age_group": (AgeGroup.objects.all(), "code"),
        "theme": (Theme.objects.all(), "slug"),
        "organiser": (Association.objects.filter(live=True), "slug"),
        "place": (Place.objects.all(), "pk"),
    }
    for name, (qs, field) in lookups.items():
        value = getattr(filters, name)
        if value is None:
            continue
        found = None
        if isinstance(value, int) or _SLUG.fullmatch(value):
            found = qs.filter(**{field: value}).first()
        if found is None:
            raise Http404(str(UNKNOWN[name]) % {"value": str(value)[:MAX_TEXT]})
        resolved[name] = found
    if filters.category is not None:
        # The old categories are themes now: an old slug finds the theme that took its place.
        found = theme_list.resolve(filters.category) if _SLUG.fullmatch(filters.category) else None
        if found is None:
            raise Http404(str(UNKNOWN["theme"]) % {"value": filters.category[:MAX_TEXT]})
        resolved["category"] = found
    if filters.q:
        resolved["q"] = filters.q
    return resolved


def _period(filters: Filters) -> tuple[datetime.date, datetime.date]:
    first = filters.start or timezone.localdate()
    last = filters.end or first + datetime.timedelta(days=31)
    if last < first:
        raise PeriodError(_("The end date must not be before the start date."))
    days = conf.app_settings.FEED_DAYS
    if (last - first).days > days:
        raise PeriodError(_("The period can be at most %(days)d days.") % {"days": days})
    return first, last


@api.get(
    "/dates",
    response={200: list[DateOut], 404: NOT_FOUND, 422: INVALID},
    summary="Dates of public events in a period",
)
def dates(request, filters: Query[Filters]):
    """Every date (occurrence) of the public events from ``start`` (default today) to
    ``end`` (default 31 days later; not before ``start``, and at most the feed's period,
    400 days by default, after it), in time order, ``limit`` dates (at most 500) after
    ``offset``.

    **404**: a theme (or the deprecated ``category``, its alias), age group, organiser or
    place named in the filters does not exist. **422**: a parameter is not as its schema
    says, or ``end`` is before ``start``, or the period is too long; ``detail`` names each
    parameter in error."""
    tz = local_tz()
    first, last = _period(filters)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    resolved = _resolve(filters)
    offset, limit = filters.offset, filters.limit
    slots = queries.public_slots(resolved, start=start, end=end).prefetch_related(
        "details__themes"
    )[offset : offset + limit]
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
                **_themes(d),
            }
        )
    return result


@api.get(
    "/events/{event_id}",
    response={200: EventOut, 404: NOT_FOUND, 422: INVALID},
    summary="One public event",
)
def event(request, event_id: Id):
    """One public event with its next dates (at most 50).

    **404**: no public event has this id. **422**: the id is not a whole number from 1 to
    2147483647."""
    d = (
        EventDetails.objects.public()
        .select_related("event", "event__rule", "place", "association")
        .prefetch_related("themes")
        .filter(event_id=event_id)
        .first()
    )
    if d is None:
        raise Http404(_("There is no public event with this number."))
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
        **_themes(d),
        "age_groups": list(d.age_groups.values_list("code", flat=True)),
        "price": d.price,
        "registration_url": d.registration_url,
        "accessibility": d.accessibility,
        "upcoming": [s.astimezone(tz) for s in upcoming],
    }


@api.get("/themes", response={200: list[ThemeOut]}, summary="The themes")
def themes(request):
    """The site's one list of subjects, in its order: an event's ``themes`` and the
    ``theme`` filter name them by slug."""
    return list(Theme.objects.values("slug", "name"))


@api.get(
    "/categories",
    response={200: list[ThemeOut]},
    summary="The themes (deprecated: use /themes)",
    deprecated=True,
)
def categories(request):
    """Deprecated: the same as ``/themes`` (the calendar's categories are themes now)."""
    return list(Theme.objects.values("slug", "name"))


@api.get("/places", response={200: list[PlaceOut]}, summary="The places")
def places(request):
    return [_place(p) for p in Place.objects.all()]
