"""Busy and free, without personal data: a week grid (hour by hour) and a month (day by
day) of one resource, from one range query of the loans that hold it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from . import rules as R
from .services import buffer_for, facts, held_intervals, local_tz

FIRST_HOUR, LAST_HOUR = 7, 23


@dataclass
class Day:
    date: dt.date
    closed: str = ""
    busy: list = field(default_factory=list)  # [(start "HH:MM", end "HH:MM", free_count)]
    in_month: bool = True
    past: bool = False


def _hhmm(moment: dt.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _bounds(day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """The local day as UTC instants (comparisons with the stored UTC times stay cheap)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    return start, end


def days(resource, first: dt.date, count: int, *, today: dt.date | None = None) -> list[Day]:
    tz = local_tz()
    buffer = buffer_for(resource)
    info = facts(resource, today=first)
    start = _bounds(first, tz)[0]
    end = _bounds(first + dt.timedelta(days=count - 1), tz)[1]
    held = held_intervals([resource.pk], start - buffer, end + buffer).get(resource.pk, [])
    held.sort()
    result = []
    index = 0
    for offset in range(count):
        date = first + dt.timedelta(days=offset)
        day_start, day_end = _bounds(date, tz)
        day = Day(date=date, past=bool(today and date < today))
        for first_day, last_day, reason in info.closures:
            if first_day <= date <= last_day:
                day.closed = reason
        if info.opening_hours and not any(w == date.weekday() for w, _o, _c in info.opening_hours):
            day.closed = day.closed or str(_closed_weekday())
        while index < len(held) and held[index][1] <= day_start:
            index += 1
        j = index
        today_held = []
        while j < len(held) and held[j][0] < day_end:
            if held[j][1] > day_start:
                today_held.append(held[j])
            j += 1
        for s, e, _quantity in today_held:
            clipped_s, clipped_e = max(s, day_start), min(e, day_end)
            if resource.quantity == 1:
                free = 0
            else:
                free = resource.quantity - R.peak_use(today_held, clipped_s, clipped_e)
            end_text = "24:00" if clipped_e == day_end else _hhmm(clipped_e.astimezone(tz))
            day.busy.append((_hhmm(clipped_s.astimezone(tz)), end_text, max(free, 0)))
        result.append(day)
    return result


def _closed_weekday():
    from django.utils.translation import gettext_lazy as _

    return _("closed this weekday")


def month(resource, year: int, month_: int, *, today=None) -> list[list[Day]]:
    """Weeks (Monday first) of the month; days outside it are marked."""
    cal = calendar.Calendar(firstweekday=0)
    weeks = cal.monthdatescalendar(year, month_)
    flat = days(resource, weeks[0][0], len(weeks) * 7, today=today)
    for day in flat:
        day.in_month = day.date.month == month_
    return [flat[i : i + 7] for i in range(0, len(flat), 7)]


def week(resource, monday: dt.date, *, today=None) -> dict:
    """Rows of hours, columns of days: each cell "busy", "free", "closed" (or, for
    equipment, how many are free)."""
    tz = local_tz()
    the_days = days(resource, monday, 7, today=today)
    info = facts(resource, today=monday)
    buffer = buffer_for(resource)
    start = _bounds(monday, tz)[0]
    end = _bounds(monday + dt.timedelta(days=6), tz)[1]
    held = held_intervals([resource.pk], start - buffer, end + buffer).get(resource.pk, [])
    rows = []
    for hour in range(FIRST_HOUR, LAST_HOUR):
        cells = []
        for day in the_days:
            cell_start = dt.datetime.combine(day.date, dt.time(hour), tzinfo=tz)
            cell_end = cell_start + dt.timedelta(hours=1)
            if day.closed or (
                info.opening_hours
                and not any(
                    w == day.date.weekday()
                    and o <= cell_start.time()
                    and (c >= cell_end.time() or c == dt.time(23, 59))
                    for w, o, c in info.opening_hours
                )
            ):
                cells.append({"state": "closed", "free": 0})
                continue
            used = R.peak_use(
                [(s - buffer, e + buffer, q) for s, e, q in held], cell_start, cell_end
            )
            free = max(resource.quantity - used, 0)
            cells.append({"state": "busy" if free == 0 else "free", "free": free})
        rows.append({"hour": f"{hour:02d}:00", "cells": cells})
    return {"days": the_days, "rows": rows}


# --- A leader's decision: the requested times against the other loans -----------------------


@dataclass
class Holding:
    """What one resource looks like at one requested time, for the leader's decision."""

    resource: object
    wanted: int
    state: str  # "free", "taken" or "closed"
    free: int  # how many are free all through the time (equipment)
    closed: str = ""  # the closure's reason
    loans: list = field(default_factory=list)  # other loans holding it then (approved first)


def for_decision(loan) -> list[dict]:
    """Per requested time of ``loan``, each of its rooms and pieces of equipment: free, or
    taken by which other loans (approved or awaiting a decision, buffer included), or closed.
    The queries do not grow with the number of times."""
    from .models import HOLDING, LoanSlot, LoanStatus

    tz = local_tz()
    slots = list(loan.slots.order_by("start"))
    items = list(loan.items.select_related("resource__institution"))
    if not slots or not items:
        return []
    buffers = {item.resource_id: buffer_for(item.resource) for item in items}
    widest = max(buffers.values())
    first_day = slots[0].start.astimezone(tz).date()
    infos = {item.resource_id: facts(item.resource, today=first_day) for item in items}
    others = list(
        LoanSlot.objects.filter(
            held=True,
            loan__status__in=HOLDING,
            loan__items__resource_id__in=list(buffers),
            start__lt=max(s.end for s in slots) + widest,
            end__gt=min(s.start for s in slots) - widest,
        )
        .exclude(loan_id=loan.pk)
        .values_list("loan__items__resource_id", "loan__items__quantity", "start", "end", "loan")
    )
    loans = {
        other.pk: other
        for other in type(loan)
        .objects.filter(pk__in={row[4] for row in others})
        .select_related("association")
    }
    rows = []
    for slot in slots:
        local_day = slot.start.astimezone(tz).date()
        holdings = []
        for item in items:
            resource, buffer = item.resource, buffers[item.resource_id]
            closed = next(
                (
                    reason
                    for first, last, reason in infos[item.resource_id].closures
                    if first <= local_day <= last
                ),
                "",
            )
            overlapping = [
                (s - buffer, e + buffer, quantity, loans[loan_id])
                for resource_id, quantity, s, e, loan_id in others
                if resource_id == item.resource_id
                and s - buffer < slot.end
                and e + buffer > slot.start
            ]
            used = R.peak_use([(s, e, q) for s, e, q, _l in overlapping], slot.start, slot.end)
            free = max(resource.quantity - used, 0)
            holders = sorted(
                {other.pk: other for *_x, other in overlapping}.values(),
                key=lambda other: (other.status != LoanStatus.APPROVED, other.first_start),
            )
            if closed:
                state = "closed"
            elif (resource.is_room and holders) or free < item.quantity:
                state = "taken"
            else:
                state = "free"
            holdings.append(
                Holding(resource, item.quantity, state, free, closed=closed, loans=holders)
            )
        rows.append({"slot": slot, "holdings": holdings})
    return rows
