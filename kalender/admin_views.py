"""The calendar in the Wagtail admin: the review queue (with bulk publish), the planning
grid of places by week with clashes, and the week's listing for the local paper."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Func, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import workdays
from frivillig_blocks.models import Place
from frivillig_blocks.parsers import parse_id

from . import rules, services
from .models import HOLDING_STATUSES, EventDetails, EventStatus, Slot
from .occurrences import local_tz

REVIEW_LIMIT = 200


def is_reviewer_request(request) -> bool:
    return services.is_reviewer(request.user)


def _require_reviewer(request):
    if not is_reviewer_request(request):
        raise PermissionDenied


class ReviewSummaryItem(SummaryItem):
    order = 350
    template_name = "kalender/admin/summary_item.html"

    def get_context_data(self, parent_context):
        return {
            "count": EventDetails.objects.filter(status=EventStatus.REVIEW).count(),
            "url": reverse("kalender_admin:review"),
        }


@require_http_methods(["GET", "HEAD", "POST"])
def review(request):
    _require_reviewer(request)
    if request.method == "POST":
        ids = [n for n in map(parse_id, request.POST.getlist("selected")) if n is not None]
        action = request.POST.get("action")
        done = 0
        for details in EventDetails.objects.filter(pk__in=ids[:REVIEW_LIMIT]):
            if action == "publish":
                done += services.publish(user=request.user, details=details)
            elif action == "reject":
                done += services.reject(
                    user=request.user, details=details, reason=request.POST.get("reason", "")
                )
        if action == "publish":
            messages.success(request, _("%(count)d events published.") % {"count": done})
        elif action == "reject":
            messages.success(
                request, _("%(count)d events sent back to their organisers.") % {"count": done}
            )
        else:
            messages.error(request, _("Choose an action."))
        return HttpResponseRedirect(reverse("kalender_admin:review"))
    # Each event's clashes at its place (other holding dates overlapping its first start to
    # its last end) counted in the same query as the list, not one query per event (#22).
    clashes = (
        Slot.objects.filter(
            place_id=OuterRef("place_id"),
            status__in=HOLDING_STATUSES,
            start__lt=Coalesce(OuterRef("event__end_recurring_period"), OuterRef("event__end")),
            end__gt=OuterRef("event__start"),
        )
        .exclude(details_id=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    pending = list(
        EventDetails.objects.filter(status=EventStatus.REVIEW)
        .select_related("event", "place", "association", "created_by")
        .annotate(
            clash_count=Case(
                When(place_id__isnull=True, then=Value(0)),
                default=Coalesce(Subquery(clashes), Value(0)),
                output_field=IntegerField(),
            )
        )
        .order_by("event__start")[:REVIEW_LIMIT]
    )
    from .models import CalendarPage

    page = CalendarPage.objects.live().first()
    base = page.url if page else ""
    for details in pending:
        details.preview_url = f"{base}arrangement/{details.event_id}/" if page else ""
    return TemplateResponse(
        request,
        "kalender/admin/review.html",
        {"pending": pending, "title": _("Calendar review")},
    )


def _monday(request) -> datetime.date:
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("uge", ""))
    except ValueError:
        day = today
    return day - datetime.timedelta(days=day.weekday())


def grid(request):
    """Places × days of a week; each cell lists the slots, clashes marked."""
    _require_reviewer(request)
    monday = _monday(request)
    tz = local_tz()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=7)
    slots = list(
        Slot.objects.filter(
            start__lt=end, end__gt=start, place__isnull=False, status__in=HOLDING_STATUSES
        )
        .select_related("details__event")
        .order_by("place_id", "start")
    )
    by_place: dict[int, list[Slot]] = {}
    for slot in slots:
        by_place.setdefault(slot.place_id, []).append(slot)
    clashing: set[int] = set()
    for place_slots in by_place.values():
        marked = rules.clashes_among([(s.start, s.end, s.room) for s in place_slots])
        clashing.update(place_slots[i].pk for i in marked)
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    holidays = workdays.holidays_between(days[0], days[-1])
    rows = []
    for place in Place.objects.all():
        cells = []
        for day in days:
            items = [
                {"slot": s, "clash": s.pk in clashing}
                for s in by_place.get(place.pk, [])
                if s.start.astimezone(tz).date() == day
            ]
            cells.append(items)
        rows.append({"place": place, "cells": cells})
    return TemplateResponse(
        request,
        "kalender/admin/grid.html",
        {
            "rows": rows,
            "days": [{"date": d, "holiday": holidays.get(d)} for d in days],
            "monday": monday,
            "prev": (monday - datetime.timedelta(days=7)).isoformat(),
            "next": (monday + datetime.timedelta(days=7)).isoformat(),
            "clash_count": len(clashing),
            "title": _("Planning grid"),
        },
    )


def newspaper(request):
    """The week's listing for the local paper as plain text, one click (a download)."""
    _require_reviewer(request)
    from .printing import newspaper_text

    monday = _monday(request)
    if "uge" not in request.GET:
        # The coming week by default (the paper prints before it).
        monday += datetime.timedelta(days=7)
    text = newspaper_text(monday)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kalender-uge-{monday.isocalendar()[1]}.txt"'
    )
    return response
