"""Public views of the calendar page (/frivillig/kalender/), routed by ``CalendarPage``:
thin – parse, call a query or a service, render."""

from __future__ import annotations

import calendar as pycalendar
import datetime
import json
import re
import uuid
from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frivillig_blocks import confirmation, pagecache, workdays
from frivillig_blocks.errors import status_of
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.links import absolute
from frivillig_blocks.models import Place
from frivillig_blocks.parsers import parse_id

from . import conf, notices, queries, services
from .exceptions import CalendarError, EditAtSource, NotAllowed
from .forms import EventForm, FilterForm, MoveDateForm
from .models import EventDetails, EventStatus
from .occurrences import expand, local_tz

TEMPLATES = "kalender/"


def _urls(request, page) -> dict:
    base = page.get_url(request)
    return {
        "base": base,
        "month": base + page.reverse_subpage("month"),
        "week": base + page.reverse_subpage("week"),
        "day": base + page.reverse_subpage("day"),
        "create": base + page.reverse_subpage("create"),
        "mine": base + page.reverse_subpage("mine"),
        "subscriptions": base + page.reverse_subpage("subscriptions"),
        "subscription_new": base + page.reverse_subpage("subscription_new"),
        "feed": base + page.reverse_subpage("feed"),
        "pdf": base + page.reverse_subpage("programme"),
        "check": base + page.reverse_subpage("clash_check"),
    }


def _route(page, name: str, arity: int):
    """A function of a route's integer arguments to its path below the page: the route
    reversed once with stand-in numbers, which each call replaces, not once per link (a
    week shows a hundred lines, a month 42 days: one reverse each cost more than a tenth
    of the month's page, issue #22)."""
    stand_ins = [str(9_000_001 + i) for i in range(arity)]
    sample = page.reverse_subpage(name, args=[int(number) for number in stand_ins])
    parts = re.split("(" + "|".join(stand_ins) + ")", sample)
    where = {part: index for index, part in enumerate(stand_ins)}

    def path(*args) -> str:
        numbers = [str(int(arg)) for arg in args]
        return "".join(numbers[where[part]] if part in where else part for part in parts)

    return path


def _detail_url(request, page):
    """A function of an event's id to its page's URL (the route reversed once)."""
    base = page.get_url(request)
    detail = _route(page, "detail", 1)

    def url(event_id):
        return base + detail(event_id)

    return url


def _filter_context(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    query = []
    for key, value in filters.items():
        if hasattr(value, "slug"):
            value = value.slug
        elif hasattr(value, "code"):
            value = value.code
        elif hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        query.append((key, value))
    return form, filters, urlencode(query)


# The filter form's fields as an anonymous visitor first sees them (no filter chosen) are
# kept per content version and language: their choices (age groups, themes, associations,
# places) are four queries and most of the form's rendering (issue #22).
FILTER_FIELDS_SECONDS = 60 * 60


def _filter_fields(form) -> str | None:
    """The rendered fields of the unbound filter form, from the cache; None for a bound
    form (it shows the visitor's choices and errors, rendered by the template)."""
    if form is None or form.is_bound:
        return None
    html = pagecache.kept(
        ("kalender-filter-fields", get_language()),
        lambda: render_to_string(TEMPLATES + "includes/filter_fields.html", {"filter_form": form}),
        FILTER_FIELDS_SECONDS,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


def _render(request, page, template, context, status=200):
    form, _filters, query = context.pop("_filters", (None, {}, ""))
    if form is not None and form.period_error():
        status = 400
    urls = _urls(request, page)
    base_context = {
        "page": page,
        "urls": urls,
        "filter_form": form,
        "filter_fields": _filter_fields(form),
        "filter_query": query,
        "feed_url": urls["feed"] + (f"?{query}" if query else ""),
        "pdf_url": urls["pdf"] + (f"?{query}" if query else ""),
        "can_create": request.user.is_authenticated,
    }
    return TemplateResponse(
        request, TEMPLATES + template, {**base_context, **context}, status=status
    )


def _group_by_day(items):
    tz = local_tz()
    days: dict[datetime.date, list] = {}
    for item in items:
        days.setdefault(item.start.astimezone(tz).date(), []).append(item)
    return sorted(days.items())


# The list counts its dates up to this many (or to the end of the page asked for): beyond
# it, "more than 1,000 dates" informs as well as 114,000 and costs a bounded index scan.
LIST_COUNT_BOUND = 1000
# A page number past this is read as this one (a hostile ?side= of 40 digits must not
# become a LIMIT the database refuses).
MAX_PAGE_ASKED = 100_000


class BoundedPaginator(Paginator):
    """A paginator that counts at most ``bound`` rows past the start of the page asked for
    (one ``COUNT`` over a ``LIMIT``ed subquery): its pages are exact, and when there are
    more rows, ``bounded`` is true, ``count`` is ``bound`` ("more than …") and the last
    page number is a lower bound that still links on to the next page."""

    def __init__(self, object_list, per_page, wanted, bound=None, counted=None):
        super().__init__(object_list, per_page)
        # What is counted: the rows' own query without the columns the page shows (their
        # joins are dead weight to a count; ``lines`` keeps them past ``values("pk")``).
        self.counted = object_list if counted is None else counted
        try:
            wanted = max(1, min(int(wanted), MAX_PAGE_ASKED))
        except (TypeError, ValueError):
            wanted = 1
        self.bound = max(LIST_COUNT_BOUND if bound is None else bound, wanted * per_page)
        self.bounded = False

    @cached_property
    def count(self):
        found = self.counted.order_by().values("pk")[: self.bound + 1].count()
        if found > self.bound:
            self.bounded = True
        return found

    @property
    def shown_count(self):
        return min(self.count, self.bound)

    @property
    def known_pages(self):
        """The pages known to be full when ``bounded`` ("page n of more than …")."""
        return self.bound // self.per_page


def list_view(request, page):
    form, filters, query = _filter_context(request)
    now = timezone.now()
    public = queries.public_slots(filters, start=now)
    paginator = BoundedPaginator(
        queries.lines(public), conf.app_settings.PAGE_SIZE, request.GET.get("side"), counted=public
    )
    page_obj = paginator.get_page(request.GET.get("side"))
    page_slots = list(page_obj.object_list)
    entries = []
    if page_slots:
        start = now if page_obj.number == 1 else page_slots[0].start
        end = (
            page_slots[-1].start
            if page_obj.has_next()
            else page_slots[-1].start + datetime.timedelta(days=31)
        )
        entries = queries.other_entries(filters, start, end)
    elif page_obj.number == 1:
        entries = queries.other_entries(filters, now, now + datetime.timedelta(days=31))
    items = queries.merged(page_slots, entries, _detail_url(request, page))
    return _render(
        request,
        page,
        "list.html",
        {
            "_filters": (form, filters, query),
            "days": _group_by_day(items),
            "page_obj": page_obj,
            "paginator": paginator,
            "view": "list",
        },
    )


def _month_bounds(year, month):
    tz = local_tz()
    first = datetime.date(year, month, 1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return (
        first,
        nxt,
        datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(nxt, datetime.time.min, tzinfo=tz),
    )


def _valid_date(year, month, day=1):
    try:
        value = datetime.date(year, month, day)
    except (TypeError, ValueError) as error:
        raise Http404("No such date") from error
    if not 1900 <= value.year <= 2200:
        raise Http404("No such date")
    return value


MONTH_ITEMS_PER_DAY = 4


def _capped_by_day(filters, start, end, per_day):
    """The first ``per_day`` public dates of each local day in [start, end) as rows of
    ``queries.LINE_FIELDS`` and the number of dates per day, in two queries whatever the
    number of events (``queries.capped_lines``). A date that began before ``start`` counts
    on the first day."""
    first = start.astimezone(local_tz()).date()
    rows, totals = queries.capped_lines(filters, start, end, per_day)
    counts: dict[datetime.date, int] = {}
    for day, total in totals.items():
        counts[max(day, first)] = counts.get(max(day, first), 0) + total
    return rows, counts


def _first_by_day(items, first, per_day=None) -> dict[datetime.date, list]:
    """``items`` (in time order) by local day (an item that began before ``first`` on
    ``first``), at most the first ``per_day`` of each day: the other apps' entries count
    toward the same cap as our own dates, so that a cell of the month or the week shows
    as many lines however many loans and courses a day holds (issue #22: the month of a
    city's data was 267 KB); the rest are counted in the day's "more"."""
    tz = local_tz()
    by_day: dict[datetime.date, list] = {}
    for item in items:
        shown = by_day.setdefault(max(item.start.astimezone(tz).date(), first), [])
        if per_day is None or len(shown) < per_day:
            shown.append(item)
    return by_day


def month_cell(day: dict) -> str:
    """The ``<td>`` of one day of the month grid, written here, not by the template (issue
    #22: 42 cells of tags and a plural translation each were a tenth of the page's time);
    the same markup the template wrote, asserted by the tests."""
    classes = ("" if day["in_month"] else "month-grid__other") + (
        " month-grid__today" if day["today"] else ""
    )
    holiday = day["holiday"]
    if holiday:
        classes += " month-grid__holiday"
    if not day["in_month"]:
        return f'<td class="{classes}"></td>'
    parts = [f'<span class="month-grid__date">{day["date"].day}</span>']
    if holiday:
        parts.append(f'<span class="month-grid__holiday-name">{queries.escape(holiday)}</span>')
    if day["items"]:
        parts.append(f'<ul class="calendar-items">{day["items_html"]}</ul>')
    more = day["more"]
    if more:
        text = ngettext("%(counter)s more on %(when)s", "%(counter)s more on %(when)s", more) % {
            "counter": more,
            "when": queries.escape(formats.date_format(day["date"], "j. F")),
        }
        parts.append(
            f'<a class="month-grid__more" href="{queries.escape(day["day_url"])}">{text}</a>'
        )
    return f'<td class="{classes}">{"".join(parts)}</td>'


def month_view(request, page, year=None, month=None):
    today = timezone.localdate()
    if year is None:
        year, month = today.year, today.month
    _valid_date(year, month)
    form, filters, query = _filter_context(request)
    first, nxt, start, end = _month_bounds(year, month)
    slots, counts = _capped_by_day(filters, start, end, MONTH_ITEMS_PER_DAY)
    entries = queries.other_entries(filters, start, end)
    items = queries.merged(slots, entries, _detail_url(request, page))
    by_day = _first_by_day(items, first, MONTH_ITEMS_PER_DAY)
    tz = local_tz()
    for entry in entries:
        day = max(entry.start.astimezone(tz).date(), first)
        counts[day] = counts.get(day, 0) + 1
    holidays = workdays.holidays_between(first, nxt - datetime.timedelta(days=1))
    urls = _urls(request, page)
    suffix = f"?{query}" if query else ""
    weeks = []
    day_path = _route(page, "day", 3)
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for d in week:
            in_month = d.month == month
            shown = by_day.get(d, []) if in_month else []
            day = {
                "date": d,
                "in_month": in_month,
                "today": d == today,
                "items": shown,
                "items_html": queries.render_items(shown),
                "more": max(0, counts.get(d, 0) - len(shown)) if in_month else 0,
                "day_url": urls["base"] + day_path(d.year, d.month, d.day) + suffix,
                "holiday": holidays.get(d),
            }
            day["html"] = month_cell(day)
            days.append(day)
        weeks.append(
            {
                "number": week[0].isocalendar()[1],
                "days": days,
                "html": mark_safe("".join(day["html"] for day in days)),  # noqa: S308 - escaped
            }
        )
    prev = (first - datetime.timedelta(days=1)).replace(day=1)
    return _render(
        request,
        page,
        "month.html",
        {
            "_filters": (form, filters, query),
            "month": first,
            "weeks": weeks,
            "prev_url": urls["base"]
            + page.reverse_subpage("month", args=[prev.year, prev.month])
            + suffix,
            "next_url": urls["base"]
            + page.reverse_subpage("month", args=[nxt.year, nxt.month])
            + suffix,
            "view": "month",
        },
    )


def _period_view(request, page, first, days, template, extra, per_day=None):
    """The dates of ``days`` days from ``first``, grouped by day; with ``per_day``, only
    the first ``per_day`` of each day and a link to the day for the rest."""
    form, filters, query = _filter_context(request)
    tz = local_tz()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        first + datetime.timedelta(days=days), datetime.time.min, tzinfo=tz
    )
    if per_day is None:
        slots, counts = (
            list(queries.lines(queries.public_slots(filters, start=start, end=end))),
            None,
        )
    else:
        slots, counts = _capped_by_day(filters, start, end, per_day)
    entries = queries.other_entries(filters, start, end)
    items = queries.merged(slots, entries, _detail_url(request, page))
    holidays = workdays.holidays_between(first, first + datetime.timedelta(days=days - 1))
    grouped = _first_by_day(items, first, per_day)
    if counts is not None:
        for entry in entries:
            day = max(entry.start.astimezone(tz).date(), first)
            counts[day] = counts.get(day, 0) + 1
    base = page.get_url(request)
    suffix = f"?{query}" if query else ""
    day_list = []
    for i in range(days):
        d = first + datetime.timedelta(days=i)
        shown = grouped.get(d, [])
        more = max(0, counts.get(d, 0) - len(shown)) if counts is not None else 0
        day_list.append(
            {
                "date": d,
                "items": shown,
                "items_html": queries.render_items(shown),
                "holiday": holidays.get(d),
                "more": more,
                "day_url": base
                + page.reverse_subpage("day", args=[d.year, d.month, d.day])
                + suffix
                if more
                else "",
            }
        )
    return _render(
        request,
        page,
        template,
        {"_filters": (form, filters, query), "day_list": day_list, "first": first, **extra},
    )


# The week shows the first 15 dates of each day and links to the day for the rest.
WEEK_ITEMS_PER_DAY = 15


def week_view(request, page, year=None, week=None):
    today = timezone.localdate()
    if year is None:
        year, week = today.isocalendar()[:2]
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise Http404("No such week") from error
    _valid_date(monday.year, monday.month, monday.day)
    base = page.get_url(request)
    prev, nxt = monday - datetime.timedelta(days=7), monday + datetime.timedelta(days=7)
    return _period_view(
        request,
        page,
        monday,
        7,
        "week.html",
        {
            "week": week,
            "year": year,
            "view": "week",
            "prev_url": base + page.reverse_subpage("week", args=list(prev.isocalendar()[:2])),
            "next_url": base + page.reverse_subpage("week", args=list(nxt.isocalendar()[:2])),
        },
        per_day=WEEK_ITEMS_PER_DAY,
    )


def day_view(request, page, year=None, month=None, day=None):
    today = timezone.localdate()
    date = today if year is None else _valid_date(year, month, day)
    base = page.get_url(request)
    prev, nxt = date - datetime.timedelta(days=1), date + datetime.timedelta(days=1)
    return _period_view(
        request,
        page,
        date,
        1,
        "day.html",
        {
            "date": date,
            "view": "day",
            "prev_url": base + page.reverse_subpage("day", args=[prev.year, prev.month, prev.day]),
            "next_url": base + page.reverse_subpage("day", args=[nxt.year, nxt.month, nxt.day]),
        },
    )


def place_view(request, page, place_id):
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise Http404("No such place")
    form, filters, query = _filter_context(request)
    filters = {**filters, "place": place}
    now = timezone.now()
    paginator = Paginator(
        queries.lines(queries.public_slots(filters, start=now)), conf.app_settings.PAGE_SIZE
    )
    page_obj = paginator.get_page(request.GET.get("side"))
    page_slots = list(page_obj.object_list)
    entries = []
    if page_slots:
        end = (
            page_slots[-1].start
            if page_obj.has_next()
            else page_slots[-1].start + datetime.timedelta(days=31)
        )
        entries = queries.other_entries(
            filters, now if page_obj.number == 1 else page_slots[0].start, end
        )
    items = queries.merged(page_slots, entries, _detail_url(request, page))
    return _render(
        request,
        page,
        "place.html",
        {
            "_filters": (form, filters, query),
            "place": place,
            "days": _group_by_day(items),
            "page_obj": page_obj,
            "paginator": paginator,
            "view": "place",
        },
    )


def _details_or_404(event_id) -> EventDetails:
    details = (
        EventDetails.objects.select_related("event", "event__rule", "place", "association", "image")
        .filter(event_id=event_id)
        .first()
    )
    if details is None:
        raise Http404("No such event")
    return details


def _json_ld(request, page, details, next_slot) -> str:
    tz = local_tz()
    event = details.event
    start = (next_slot.start if next_slot else event.start).astimezone(tz)
    end = (next_slot.end if next_slot else event.end).astimezone(tz)
    status = {
        EventStatus.CANCELLED: "https://schema.org/EventCancelled",
        EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    }.get(details.status, "https://schema.org/EventScheduled")
    if details.place_id:
        location = {
            "@type": "Place",
            "name": details.place.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": details.place.address,
                "postalCode": details.place.postcode,
                "addressLocality": details.place.city,
                "addressCountry": "DK",
            },
        }
    else:
        location = {"@type": "Place", "name": details.address, "address": details.address}
    from .text import plain_text

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "description": plain_text(event.description)[:1000],
        "url": absolute(_detail_url(request, page)(event.pk)),
    }
    if details.organiser_label:
        data["organizer"] = {
            "@type": "Organization" if details.association_id else "Person",
            "name": details.organiser_label,
        }
    if details.price:
        data["offers"] = {
            "@type": "Offer",
            "description": details.price,
            "url": details.registration_url or data["url"],
        }
    text = json.dumps(data, ensure_ascii=False)
    # Data, not script: escape what could end the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 – JSON with <, > and & escaped


def detail_view(request, page, event_id):
    details = _details_or_404(event_id)
    editable = services.can_edit(request.user, details)
    if not details.is_public and not editable:
        raise Http404("No such event")
    now = timezone.now()
    upcoming = list(details.slots.filter(end__gt=now).order_by("start")[:20])
    next_slot = upcoming[0] if upcoming else details.slots.order_by("-start").first()
    urls = _urls(request, page)
    event_url = _detail_url(request, page)(details.event_id)
    return _render(
        request,
        page,
        "detail.html",
        {
            "details": details,
            "event": details.event,
            "upcoming": upcoming,
            "next_slot": next_slot,
            "description": mark_safe(details.event.description),  # noqa: S308 – cleaned by nh3 on save
            "json_ld": _json_ld(request, page, details, next_slot),
            "ics_url": urls["base"] + page.reverse_subpage("event_ics", args=[details.event_id]),
            "edit_url": event_url + "ret/" if editable else "",
            "dates_url": event_url + "datoer/" if editable else "",
            "editable": editable,
        },
    )


def _login(request):
    return redirect_to_login(request.get_full_path())


@require_http_methods(["GET", "HEAD", "POST"])
def edit_view(request, page, event_id):
    if not request.user.is_authenticated:
        return _login(request)
    details = None
    if event_id is not None:
        details = _details_or_404(event_id)
        if not services.can_edit(request.user, details):
            return HttpResponseForbidden(_("You may not change this event."))
        if details.is_linked:  # issue #23: edited at the source
            return HttpResponseForbidden(EditAtSource.message)
    context = {"details": details, "report": None, "error": None}
    if request.method != "POST":
        initial = EventForm.initial_for(details) if details else {}
        initial["notice_key"] = str(uuid.uuid4())
        form = EventForm(user=request.user, details=details, initial=initial)
        return _render(request, page, "form.html", {**context, "form": form})
    post = request.POST
    if notices.parse_key(post.get("notice_key")) is None:
        # A plan key for the clashes this form shows (the form carries it from now on).
        post = post.copy()
        post["notice_key"] = str(uuid.uuid4())
    form = EventForm(post, request.FILES, user=request.user, details=details)
    status = 400
    if form.is_valid():
        try:
            submitted = services.submit_event(
                user=request.user,
                data=form.event_data(draft="draft" in request.POST),
                details=details,
                image=form.cleaned_data.get("image"),
                accept_warnings=bool(form.cleaned_data.get("accept_warnings")),
                within_rate_limit=lambda action: ratelimit.consume(
                    request, action=action, user=request.user
                ),
            )
        except FrivilligError as error:  # CalendarError, or a key of another form
            context["error"] = error.message
            context["report"] = getattr(error, "report", None)
            context.update(_clash_blocks(context["report"], form))
            status = status_of(error)
        else:
            if submitted.gone:  # the first submit's event is gone since
                return HttpResponseRedirect(page.get_url(request))
            if submitted.saved:
                messages.success(request, _status_message(submitted.details))
                return HttpResponseRedirect(_detail_url(request, page)(submitted.details.event_id))
            context["report"] = submitted.report
            context.update(_clash_blocks(submitted.report, form), form_failed=True)
            status = 200
    return _render(request, page, "form.html", {**context, "form": form}, status=status)


def _clash_blocks(report, form) -> dict:
    """What of ``report`` stopped the valid ``form``: the error summary explains it."""
    if report is None:
        return {}
    return {
        "clash_blocks_hard": bool(report.hard and not form.cleaned_data.get("venue_agreed")),
        "clash_blocks_warnings": bool(
            report.has_warnings and not form.cleaned_data.get("accept_warnings")
        ),
    }


def _status_message(details) -> str:
    if details.status == EventStatus.REVIEW:
        return _("The event is saved. It will be shown in the calendar when it has been reviewed.")
    if details.status == EventStatus.DRAFT:
        return _("The event is saved as a draft. Only you can see it.")
    return _("The event is published in the calendar.")


@require_http_methods(["POST"])
def check_view(request, page):
    """The clash check while the form is filled in (JavaScript): the same check as on
    submit, as JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in to create events.")}, status=403)
    details = None
    event_id = request.POST.get("event_id", "")
    if event_id:
        wanted = parse_id(event_id)
        details = (
            EventDetails.objects.select_related("event").filter(event_id=wanted).first()
            if wanted is not None
            else None
        )
        if details is None or not services.can_edit(request.user, details):
            return JsonResponse({"error": _("You may not change this event.")}, status=403)
    form = EventForm(request.POST, user=request.user, details=details)
    if not form.is_valid():
        return JsonResponse({"ready": False})
    try:
        report = services.check_clashes(form.event_data(), details)
    except CalendarError as error:
        return JsonResponse({"ready": False, "error": str(error.message)})
    tz = local_tz()

    def fmt(clash):
        return {
            "title": clash.title,
            "start": clash.start.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
            "end": clash.end.astimezone(tz).strftime("%H:%M"),
            "room": clash.room,
            "kind": clash.kind,
        }

    return JsonResponse(
        {
            "ready": True,
            "hard": [fmt(c) for c in report.hard[:50]],
            "soft": [fmt(c) for c in report.soft[:50]],
            "duplicates": [fmt(c) for c in report.duplicates[:20]],
            "holidays": [
                f"{d:%d.%m.%Y}: {name}" for d, name in report.holidays + report.school_holidays
            ],
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
def dates_view(request, page, event_id):
    """The organiser's dates of a series: cancel, restore or move one date."""
    if not request.user.is_authenticated:
        return _login(request)
    details = _details_or_404(event_id)
    if not services.can_edit(request.user, details):
        return HttpResponseForbidden(_("You may not change this event."))
    if details.is_linked:  # issue #23: edited at the source
        return HttpResponseForbidden(EditAtSource.message)
    error = None
    move_form = None
    wanted = request.GET.get("aflys") if request.method in ("GET", "HEAD") else None
    posted_cancel = request.method == "POST" and request.POST.get("action") == "cancel"
    if wanted is None and posted_cancel and not confirmation.confirmed(request):
        wanted = request.POST.get("original_start", "")  # an old one-click button: ask first
    if wanted is not None:
        asked = _ask_to_cancel_date(request, page, details, wanted)
        if asked is not None:
            return asked
        error = _("The event has no such date.")
    elif request.method == "POST":
        action = request.POST.get("action")
        form = MoveDateForm(request.POST)
        try:
            if action == "move":
                move_form = form
                if form.is_valid():
                    services.move_date(
                        user=request.user,
                        details=details,
                        original_start=form.cleaned_data["original_start"][0],
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"],
                    )
                    messages.success(request, _("The date is moved."))
                    return HttpResponseRedirect(request.path)
            elif action in ("cancel", "restore"):
                moments = form.fields["original_start"].clean(request.POST.get("original_start"))
                if not moments:
                    raise CalendarError(_("The event has no such date."))
                fn = services.cancel_date if action == "cancel" else services.restore_date
                fn(user=request.user, details=details, original_start=moments[0])
                messages.success(
                    request,
                    _("The date is cancelled.")
                    if action == "cancel"
                    else _("The date is restored."),
                )
                return HttpResponseRedirect(request.path)
            else:
                error = _("Choose what to do with the date.")
        except NotAllowed:
            return HttpResponseForbidden(_("You may not change this event."))
        except CalendarError as exc:
            error = exc.message
        except Exception as exc:  # a malformed date from a forged form
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            error = _("The event has no such date.")
    dates = expand(details.event)
    now = timezone.now()
    return _render(
        request,
        page,
        "dates.html",
        {
            "details": details,
            "event": details.event,
            "dates": [d for d in dates if d.end > now][:200],
            "error": error,
            "move_form": move_form,
            "detail_url": _detail_url(request, page)(details.event_id),
        },
        status=400 if error or (move_form is not None and move_form.errors) else 200,
    )


def _ask_to_cancel_date(request, page, details, wanted: str):
    """The question before a date of the series is cancelled (None: no such date)."""
    from django.core.exceptions import ValidationError

    try:
        moments = MoveDateForm().fields["original_start"].clean(wanted)
    except ValidationError:
        return None
    if not moments:
        return None
    date = next((d for d in expand(details.event) if d.original_start == moments[0]), None)
    if date is None or date.cancelled:
        return None
    tz = local_tz()
    day = formats.date_format(date.start.astimezone(tz), "l j. F Y")
    return confirmation.ask(
        request,
        page=page,
        title=_("Cancel the date %(day)s?") % {"day": day},
        question=_(
            "The date is shown as cancelled in the calendar. The other dates of the event "
            "are kept, and you can restore the date later."
        ),
        details=[
            f"{details.event.title}: {day} "
            f"{date.start.astimezone(tz):%H:%M}–{date.end.astimezone(tz):%H:%M}"
        ],
        carry=[("action", "cancel"), ("original_start", date.original_start.isoformat())],
        action=request.path,
        confirm_label=_("Yes, cancel the date"),
        back_url=request.path,
        back_label=_("No, keep the date"),
    )


def mine_view(request, page):
    if not request.user.is_authenticated:
        return _login(request)
    own = services.own_events(request.user)[:200]
    return _render(
        request, page, "mine.html", {"events": list(own), "detail_url": _detail_url(request, page)}
    )
