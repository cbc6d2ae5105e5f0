"""Recurrence on django-scheduler, expanded in Europe/Copenhagen: 19:00 stays 19:00 on both
sides of both daylight-saving switches; cancelled and moved dates; the index."""

from __future__ import annotations

import datetime

import pytest

from kalender import services
from kalender.models import Slot
from kalender.occurrences import expand

from .conftest import CPH, local

pytestmark = pytest.mark.django_db


def test_weekly_19_copenhagen_across_both_switches(reviewer, make_event, place):
    # 2026: summer time starts 29 March, ends 25 October.
    details = make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 4, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 25),
        place=place,
    )
    slots = list(Slot.objects.filter(details=details).order_by("start"))
    assert len(slots) == 39
    local_times = {s.start.astimezone(CPH).strftime("%H:%M") for s in slots}
    assert local_times == {"19:00"}
    # UTC differs across the switches: 18:00 UTC in winter, 17:00 UTC in summer.
    utc = {
        s.start.astimezone(datetime.UTC).date(): s.start.astimezone(datetime.UTC).hour
        for s in slots
    }
    assert utc[datetime.date(2026, 3, 25)] == 18
    assert utc[datetime.date(2026, 4, 1)] == 17
    assert utc[datetime.date(2026, 10, 21)] == 17
    assert utc[datetime.date(2026, 10, 28)] == 18
    assert all(s.end - s.start == datetime.timedelta(hours=2) for s in slots)


def test_cancel_and_move_single_dates_are_persisted_occurrences(reviewer, make_event, place):
    details = make_event(
        reviewer,
        title="Strik",
        start=local(2026, 1, 7, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 2, 25),
        place=place,
    )
    assert details.slots.count() == 8
    services.cancel_date(user=reviewer, details=details, original_start=local(2026, 1, 14, 19))
    services.move_date(
        user=reviewer,
        details=details,
        original_start=local(2026, 1, 21, 19),
        start=local(2026, 1, 22, 18),
        end=local(2026, 1, 22, 20),
    )
    occurrences = {o.original_start.astimezone(CPH): o for o in details.event.occurrence_set.all()}
    assert occurrences[local(2026, 1, 14, 19)].cancelled is True
    moved = occurrences[local(2026, 1, 21, 19)]
    assert moved.start == local(2026, 1, 22, 18) and not moved.cancelled
    starts = [s.start.astimezone(CPH) for s in details.slots.order_by("start")]
    assert local(2026, 1, 14, 19) not in starts
    assert local(2026, 1, 21, 19) not in starts
    assert local(2026, 1, 22, 18) in starts
    assert len(starts) == 7
    dates = expand(details.event)
    assert [d.cancelled for d in dates].count(True) == 1


def test_occurrences_of_two_events_are_kept_apart(reviewer, make_event, place):
    # django-scheduler's Occurrence.__eq__ ignores the event: two events at the same time
    # must still give two slots each.
    a = make_event(reviewer, title="A", start=local(2026, 5, 6, 10), place=place, room="Sal 1")
    b = make_event(reviewer, title="B", start=local(2026, 5, 6, 10), place=place, room="Sal 2")
    assert Slot.objects.filter(details__in=[a, b]).count() == 2


def test_bad_recurrences_are_refused_and_nothing_saved(reviewer, make_event):
    from kalender.exceptions import InvalidRecurrence, TooManyOccurrences
    from kalender.models import EventDetails

    with pytest.raises(TooManyOccurrences):
        make_event(reviewer, recurrence="daily", repeat_until=datetime.date(2036, 3, 4))
    with pytest.raises(InvalidRecurrence):
        make_event(reviewer, recurrence="weekly;count=1000", repeat_until=datetime.date(2026, 4, 1))
    with pytest.raises(InvalidRecurrence):
        make_event(reviewer, start=local(2026, 3, 4, 19), end=local(2026, 3, 4, 18))
    assert EventDetails.objects.count() == 0
