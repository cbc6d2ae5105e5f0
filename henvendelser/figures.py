"""The inbox's figures for the council's follow-up (``frivillig_blocks.figures``).

An inquiry counts in a period by when it was received; spam is left out. ``people`` is the
number of distinct senders (e-mail addresses, case-insensitive); an anonymised inquiry has
no address any more and adds no one. The first answer is ``first_answered_at``: the first
reply staff sent the citizen (``staff.send_reply``). A fixed number of queries per period.

The promise is the one the inbox keeps itself to: an answer within
``HENVENDELSER_UNANSWERED_WORKING_DAYS`` working days (Monday to Friday, not a Danish
holiday: ``frivillig_blocks.workdays``),
after which the daily summary flags an inquiry as unanswered (``tasks.unanswered_inquiries``).
An answer is in time if the summary would not yet have flagged the inquiry when it went out
(days are counted as 24 hours, so the edge may move an hour around the change to summer time).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db import connections
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from frivillig_blocks import workdays
from frivillig_blocks.figures import (
    CPH,
    MOMENT,
    Choose,
    Figure,
    FigureSource,
    Filters,
    Period,
    SpanSeconds,
    aggregate,
    annotate_per_period,
    covering,
    hours,
    local_date_and_weekday,
    median_duration,
    of_period,
    per_condition,
    period_conditions,
    rows_from_counts,
    share,
)

from .models import Inquiry, InquiryStatus
from .tasks import unanswered_cutoff, unanswered_days


def days_allowed(weekday: int, working_days: int) -> int:
    """How many calendar days an answer given on ISO ``weekday`` (1 = Monday) may come after
    the inquiry: ``tasks.unanswered_cutoff`` steps back from a moment day by day until it has
    landed on ``working_days`` working days, and an inquiry that arrived before that is late."""
    steps = counted = 0
    day = weekday
    while counted < working_days:
        steps += 1
        day = (day - 2) % 7 + 1
        if day <= 5:
            counted += 1
    return steps


def steps_back(day: dt.date, working_days: int) -> int:
    """How many calendar days an answer given on ``day`` may come after the inquiry,
    holidays counted: ``days_allowed`` of its weekday, more around a holiday."""
    return (day - workdays.add_working_days(day, -working_days)).days


@lru_cache(maxsize=32)
def special_days(
    working_days: int, first: dt.date, last: dt.date
) -> tuple[tuple[dt.date, int], ...]:
    """The days from ``first`` to ``last`` on which a holiday moves the promise away from its
    weekday's rule, each with the seconds an answer given then may come after the inquiry
    (Danish holidays are fixed by the calendar, so the list is kept)."""
    special = []
    day = first
    while day <= last:
        steps = steps_back(day, working_days)
        if steps != days_allowed(day.isoweekday(), working_days):
            special.append((day, steps * 86400))
        day += dt.timedelta(days=1)
    return tuple(special)


def allowed_seconds(working_days: int, first: dt.date, last: dt.date, date, weekday):
    """How long an answer given on the local ``date`` (of ISO ``weekday``) may come after
    the inquiry, in seconds: its weekday's rule, unless a holiday moves it for answers given
    from ``first`` to ``last`` (those days are listed with how far back they reach). The
    date and the weekday are each computed once per row (:class:`~frivillig_blocks.figures.
    Choose`), not once per weekday and per holiday."""
    special = special_days(working_days, first, last)
    by_weekday = Choose(
        weekday,
        [(w, days_allowed(w, working_days) * 86400) for w in range(1, 8)],
        output_field=IntegerField(),
    )
    if not special:
        return by_weekday
    return Choose(date, special, by_weekday, output_field=IntegerField())


def in_time(working_days: int, first: dt.date, last: dt.date) -> Q:
    """``Q`` for an inquiry answered within the promise, on the annotations of
    :meth:`InquiryFigures.inquiries` (made with the same arguments): the daily summary would
    not yet have flagged it when the answer went out. A wait no day allows less is in time
    and one no day allows is late without reading the answer's day at all."""
    allowed = [days_allowed(w, working_days) * 86400 for w in range(1, 8)]
    allowed += [seconds for _day, seconds in special_days(working_days, first, last)]
    return Q(first_answered_at__isnull=False) & (
        Q(_wait__lte=min(allowed)) | (Q(_wait__lte=max(allowed)) & Q(_wait__lte=F("_allowed")))
    )


class InquiryFigures(FigureSource):
    key = "henvendelser"
    title = _("Inquiries to the volunteer address")
    order = 60
    filters = frozenset({"topic"})

    def received(self, period: Period, filters: Filters):
        return self._received_in(period.q("received_at"), filters)

    def _received_in(self, when: Q, filters: Filters):
        qs = Inquiry.objects.filter(when, is_spam=False)
        if filters.topic:
            qs = qs.filter(topic__slug=filters.topic)
        return qs

    def inquiries(
        self,
        period: Period,
        filters: Filters,
        last_answer_day: dt.date | None = None,
        promise: int | None = None,
        *,
        received=None,
    ):
        """The inquiries of the period (or ``received``: those of several periods from the
        first day of ``period``) annotated with the wait for the first answer and the wait
        the promise allows."""
        if received is None:
            received = self.received(period, filters)
        # The answer's day in Copenhagen, natively on SQLite for the answers given from the
        # period's start to the last day an answer can come (see local_date_and_weekday).
        answered_date, answered_weekday = local_date_and_weekday(
            "first_answered_at",
            period.start,
            last_answer_day or period.end,
            connections[received.db].vendor,
        )
        last = last_answer_day or period.end
        return received.annotate(
            # Seconds, computed natively (no Python function per row on SQLite).
            _wait=SpanSeconds(F("first_answered_at"), F("received_at")),
            _allowed=allowed_seconds(
                unanswered_days() if promise is None else promise,
                period.start,
                last,
                answered_date,
                answered_weekday,
            ),
        )

    def figures(self, period: Period, filters: Filters, *, now=None) -> list[Figure]:
        return self.figures_for((period,), filters, now=now)[0]

    def figures_for(
        self, periods: tuple[Period, ...], filters: Filters, *, now=None
    ) -> list[list[Figure]]:
        promise = unanswered_days()
        # Answers to the period's inquiries come until today, whatever ``now`` the report is
        # made for; a year more covers a clock set back or records written ahead of time.
        last_answer_day = max(
            max(p.end for p in periods), timezone.localdate(timezone=CPH)
        ) + dt.timedelta(days=366)
        # All the periods in one pass (the report's and the year before): the native local
        # dates and the holidays from the first period's start to the last answer's day.
        first = min(p.start for p in periods)
        inquiries = self.inquiries(
            Period(first, last_answer_day),
            filters,
            last_answer_day,
            promise,
            received=self._received_in(covering(periods, "received_at"), filters),
        )

        def senders(condition=None):
            known = ~Q(sender_email="")
            return Count(
                Lower("sender_email"),
                distinct=True,
                filter=known & condition if condition else known,
            )

        answered = Q(first_answered_at__isnull=False)
        # Due: answered, or still open past the promise. Closed without a reply needed none;
        # open and younger than the promise is not late yet.
        # The cut-off moves with the clock: the statement holds figures.MOMENT in its place
        # and is compiled once (figures.aggregate).
        due = answered | (~Q(status=InquiryStatus.CLOSED) & Q(received_at__lt=MOMENT))
        on_time = in_time(promise, first, last_answer_day)
        # One grouping by sender (case-insensitive), then the groups counted per period and
        # condition: one sort or hash of the addresses instead of one per distinct count.
        # Each count is of one period's rows (its condition first: the promise is worked
        # out only for the rows of the period).
        by_sender = inquiries.values(_sender=Lower("sender_email")).annotate(
            **per_condition(
                {
                    "_n": Count("pk"),
                    # The rows the median reads (both ends set): counted here, not by a
                    # query of its own.
                    "_answered": Count("pk", filter=answered & Q(received_at__isnull=False)),
                    "_due": Count("pk", filter=due),
                    "_in_time": Count("pk", filter=due & on_time),
                },
                period_conditions(periods, "received_at"),
            )
        )
        known = ~Q(_sender="")
        sums = {}
        for i in range(len(periods)):
            sums |= {
                f"received_p{i}": Sum(f"_n_p{i}"),
                f"received_people_p{i}": Count("_sender", filter=known & Q(**{f"_n_p{i}__gt": 0})),
                f"answered_people_p{i}": Count(
                    "_sender", filter=known & Q(**{f"_answered_p{i}__gt": 0})
                ),
                f"answered_p{i}": Sum(f"_answered_p{i}"),
                f"due_p{i}": Sum(f"_due_p{i}"),
                f"due_people_p{i}": Count("_sender", filter=known & Q(**{f"_due_p{i}__gt": 0})),
                f"in_time_p{i}": Sum(f"_in_time_p{i}"),
            }
        cutoff = unanswered_cutoff(now or timezone.now())
        totals = {
            name: value or 0 for name, value in aggregate(by_sender, sums, moment=cutoff).items()
        }
        per_topic = annotate_per_period(
            inquiries.values("topic_id", "topic__name"),
            {"n": Count("pk"), "p": senders()},
            periods,
            "received_at",
            period_first=True,  # on SQLite not by walking the topic's index (issue #22)
        )
        return [
            self._figures(
                of_period(totals, i),
                per_topic[i],
                self.received(period, filters),
                promise,
            )
            for i, period in enumerate(periods)
        ]

    def _figures(self, totals, per_topic, received, promise) -> list[Figure]:
        span, _answered = median_duration(
            received, "received_at", "first_answered_at", count=totals["answered"]
        )
        promise_text = ngettext(
            "The promise: an answer within %(days)s working day.",
            "The promise: an answer within %(days)s working days.",
            promise,
        ) % {"days": promise}
        return [
            Figure(
                "henvendelser.inquiries",
                str(_("Inquiries received")),
                totals["received"],
                people=totals["received_people"],
                rows=rows_from_counts(
                    {r["topic_id"]: r["n"] for r in per_topic},
                    {r["topic_id"]: r["topic__name"] for r in per_topic},
                    {r["topic_id"]: r["p"] for r in per_topic},
                ),
                help_text=str(_("By topic; spam is left out.")),
            ),
            Figure(
                "henvendelser.first_answer_hours",
                str(_("Median time to the first answer")),
                hours(span),
                unit=str(_("hours")),
                people=totals["answered_people"],
                decimals=1,
                additive=False,
                help_text=str(_("From the inquiry's arrival to the first reply from staff.")),
            ),
            Figure(
                "henvendelser.answered_in_time",
                str(_("Answered within the promised time")),
                share(totals["in_time"], totals["due"]),
                unit="%",
                people=totals["due_people"],
                decimals=1,
                additive=False,
                help_text=" ".join(
                    (
                        promise_text,
                        str(
                            _(
                                "Out of the inquiries answered or still waiting past the promise; "
                                "closed without a reply, and not yet due, are left out."
                            )
                        ),
                    )
                ),
            ),
        ]
