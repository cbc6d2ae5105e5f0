"""Benchmark of loans: a room's month of availability against the range query alone.

``booking_month_1000`` gives one room 1,000 loans (20 minutes each, 08:00–22:00, spread
over one month, pending and approved) and compares:

* baseline: the single SQL range query that fetches the slots holding the room in that
  month (``services.held_intervals``: one query, 1,000 rows);
* measured: the month of availability as the resource page computes it
  (``availability.month``): the room fetched with its institution, opening hours and
  closures (prefetched), its buffer rule, the same range query, and every day's busy intervals laid out in weeks.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from run import benchmark, scaled

LOANS = scaled(1000, minimum=28)
CPH = ZoneInfo("Europe/Copenhagen")


@benchmark(
    "booking_month_1000",
    target=3.0,
    description="a room's month of availability with 1,000 loans vs the SQL range query alone",
    equal_rows=True,
)
class BookingMonthBenchmark:
    def setup(self, tree):
        from booking.models import Loan, LoanItem, LoanSlot, LoanStatus
        from tests.booking.conftest import make_world

        world = make_world()
        self.room = world.hall
        today = dt.date.today()
        first = (today.replace(day=1) + dt.timedelta(days=40)).replace(day=1)
        self.year, self.month = first.year, first.month
        days = 28
        per_day = -(-LOANS // days)
        loans, starts = [], []
        for i in range(LOANS):
            day = first + dt.timedelta(days=i // per_day)
            start = dt.datetime.combine(day, dt.time(8), tzinfo=CPH) + dt.timedelta(
                minutes=20 * (i % per_day)
            )
            starts.append(start)
            loans.append(
                Loan(
                    reference=f"BENCH-{i:05d}",
                    institution=world.library,
                    user=world.member,
                    title="Møde",
                    purpose="meeting",
                    participants=10,
                    status=LoanStatus.APPROVED if i % 2 else LoanStatus.PENDING,
                    first_start=start,
                    last_end=start + dt.timedelta(minutes=20),
                )
            )
        loans = Loan.objects.bulk_create(loans)
        LoanItem.objects.bulk_create(LoanItem(loan=loan, resource=self.room) for loan in loans)
        LoanSlot.objects.bulk_create(
            LoanSlot(loan=loan, start=start, end=start + dt.timedelta(minutes=20))
            for loan, start in zip(loans, starts, strict=True)
        )
        self.start = dt.datetime.combine(first, dt.time(0), tzinfo=CPH)
        self.end = dt.datetime.combine(
            (first + dt.timedelta(days=32)).replace(day=1), dt.time(0), tzinfo=CPH
        )
        assert self.rows() == (LOANS, LOANS)

    def rows(self):
        """The room's loans in the month: the range query's intervals and the busy
        intervals the month lays out (equal work)."""
        weeks = self.measured()
        return len(self.baseline()[self.room.pk]), sum(
            len(day.busy) for week in weeks for day in week
        )

    def baseline(self):
        from booking.services import held_intervals

        return held_intervals([self.room.pk], self.start, self.end)

    def measured(self):
        from booking import availability, services

        room = services.availability_resources().get(pk=self.room.pk)
        return availability.month(room, self.year, self.month)
