"""Print: the PDF programme (WeasyPrint, A4 or A5, grouped by day, body text at least
11 pt) for a period and filter, and the week's listing for the local paper as text."""

from __future__ import annotations

import datetime
import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import queries
from .forms import FilterForm
from .occurrences import local_tz
from .text import plain_text

MAX_DAYS = 93  # a programme covers at most about a quarter
MAX_ITEMS = 2000


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
    from weasyprint import HTML

    # WeasyPrint logs every rendering step at INFO; keep the site's log for what matters.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

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
    return HTML(string=html).write_pdf()


def programme_view(request, page):
    from frivillig_blocks.models import MunicipalitySettings

    filters = FilterForm(request.GET or None).filters()
    size = "A5" if request.GET.get("format", "").lower() == "a5" else "A4"
    municipality = MunicipalitySettings.for_request(request).name
    pdf = render_programme(title=page.title, municipality=municipality, filters=filters, size=size)
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
