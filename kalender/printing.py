"""Print: the PDF programme (WeasyPrint, A4 or A5, grouped by day, body text at least
11 pt) for a period and filter, and the week's listing for the local paper as text.

A programme takes about a second to render, so it is cheap to ask for and dear to make
(issue #18): each rendering is counted against the client's rate limit
(``ACCOUNT_RATE_LIMITS["kalender_programme"]``, allauth's limiter; beyond it a Danish 429
page), and the PDF is kept in the shared cache under its *normalised* filters (the parsed
values: the period as dates, choices by id; unknown or invalid values dropped), so junk in
the query string or another spelling of the same filter gets the same copy. The copy lives as
long as the page cache's (``FRIVILLIG_PAGE_CACHE_SECONDS``; 0 keeps none) and is retired with
the page cache's content version on any change to what the calendar shows. A copy served from
the cache costs no rate limit.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging

from allauth.core import ratelimit
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from frivillig_blocks import pagecache
from frivillig_blocks.pdf import html_to_pdf

from . import queries
from .forms import FilterForm
from .occurrences import local_tz
from .text import plain_text

logger = logging.getLogger(__name__)

MAX_DAYS = 93  # a programme covers at most about a quarter
MAX_ITEMS = 2000
#: allauth's rate limiter; configure it with ACCOUNT_RATE_LIMITS["kalender_programme"]
#: (no limit when the site names none).
RATE_LIMIT_ACTION = "kalender_programme"


def _period(filters) -> tuple[datetime.date, datetime.date]:
    first = filters.get("fra") or timezone.localdate()
    last = filters.get("til") or first + datetime.timedelta(days=30)
    if last < first:
        last = first
    return first, min(last, first + datetime.timedelta(days=MAX_DAYS - 1))


def programme_items(filters, first, last, detail_url=lambda event_id: ""):
    tz = local_tz()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    base = {k: v for k, v in filters.items() if k not in ("fra", "til")}
    slots = list(queries.public_slots(base, start=start, end=end)[:MAX_ITEMS])
    items = queries.merged(slots, queries.other_entries(base, start, end), detail_url)
    days: dict[datetime.date, list] = {}
    for item in items:
        days.setdefault(max(item.start.astimezone(tz).date(), first), []).append(item)
    return sorted(days.items())


def render_programme(*, title: str, municipality: str, filters: dict, size: str = "A4") -> bytes:
    first, last = _period(filters)
    html = render_to_string(
        "kalender/print/programme.html",
        {
            "title": title,
            "municipality": municipality,
            "first": first,
            "last": last,
            "days": programme_items(filters, first, last),
            "size": "A5" if size == "A5" else "A4",
        },
    )
    return html_to_pdf(html)


def programme_key(page, filters: dict, size: str) -> str:
    """The cache key of a programme: the page, the language, the size and the parsed filters
    (the raw query string plays no part)."""
    description = json.dumps(
        {
            "page": page.pk,
            "language": get_language(),
            "size": size,
            "filters": FilterForm.as_key(filters),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(description.encode()).hexdigest()
    return f"kalender:programme:{pagecache.version()}:{digest}"


def programme_view(request, page):
    from frivillig_blocks.models import MunicipalitySettings

    form = FilterForm(request.GET or None)
    if error := form.period_error():
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    first, last = _period(filters)
    filters = {**filters, "fra": first, "til": last}
    size = "A5" if request.GET.get("format", "").lower() == "a5" else "A4"
    key = programme_key(page, filters, size)
    seconds = pagecache.timeout()
    pdf = None
    if seconds:
        try:
            pdf = cache.get(key)
        except Exception:  # the cache being down must not take the programme down
            logger.exception("programme: cache lookup failed")
    if pdf is None:
        limited = ratelimit.consume_or_429(request, action=RATE_LIMIT_ACTION, limit_get=True)
        if limited is not None:
            return limited
        municipality = MunicipalitySettings.for_request(request).name
        pdf = render_programme(
            title=page.title, municipality=municipality, filters=filters, size=size
        )
        if seconds:
            pagecache.store(key, pdf, seconds)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="program-{size.lower()}.pdf"'
    return response


def newspaper_text(monday: datetime.date) -> str:
    """The week's events as plain text in the paper's usual form: day headings, then
    "time – title, place (organiser)"."""
    last = monday + datetime.timedelta(days=6)
    lines = [
        _("The calendar, week %(week)d (%(first)s–%(last)s)")
        % {
            "week": monday.isocalendar()[1],
            "first": formats.date_format(monday, "j. F"),
            "last": formats.date_format(last, "j. F Y"),
        },
        "",
    ]
    for day, items in programme_items({}, monday, last):
        lines.append(formats.date_format(day, "l j. F").upper())
        for item in items:
            start = item.start.astimezone(local_tz())
            text = f"{start:%H.%M} {item.title}"
            if item.location:
                text += f", {item.location}"
            if item.organiser:
                text += f" ({item.organiser})"
            if item.cancelled:
                text += " – " + _("CANCELLED")
            lines.append(text)
            if item.slot is not None:
                summary = plain_text(item.slot.details.event.description).replace("\n", " ")
                if summary:
                    lines.append("  " + (summary[:200] + "…" if len(summary) > 200 else summary))
        lines.append("")
    if len(lines) == 2:
        lines.append(_("No events this week."))
    return "\n".join(lines) + "\n"
