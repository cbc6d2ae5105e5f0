"""The courses' figures for the council's follow-up (frivillig_blocks.figures).

Sessions (hold) count in the period their first meeting starts in; their seats,
registrations, attendance and evaluations count with them. Competence needs count in the
period they were submitted. ``people`` is distinct registrants, respondents or submitters
by e-mail; a registration or need without an e-mail (anonymised after the retention period,
or a need sent without one) counts as one person of its own.

Filters: ``association`` (the association a registration or a need was made for). Seats
offered and sessions belong to no association and stay the whole offer under that filter.
Courses carry no age group, topic or institution, so those filters are not honoured (only
the needs form asks for an age group, and a filter that narrowed only the needs would
mislead).

Every figure is a fixed number of aggregate queries (eight in all), whatever the data.
"""

from __future__ import annotations

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.figures import (
    Figure,
    FigureSource,
    Filters,
    Period,
    Row,
    aggregate_per_period,
    annotate_per_period,
    covering,
    of_period,
    rows_from_counts,
    share,
)
from frivillig_blocks.parsers import parse_id

from .models import CompetenceNeed, Evaluation, Registration, Session

Status = Registration.Status

#: Went through the waiting list: never confirmed straight away (waiting, offered, expired,
#: left the list), offered a freed seat, or moved onto a seat by staff later.
VIA_WAITING_LIST = (
    Q(confirmed_at__isnull=True) | Q(offered_at__isnull=False) | Q(confirmed_at__gt=F("queued_at"))
)


def _people(prefix: str = "", condition: Q | None = None):
    """Distinct people by e-mail, each row without an e-mail counted as a person: returns
    the two aggregates to add up (``<name>_mail`` + ``<name>_blank``)."""
    email = f"{prefix}email"
    with_mail = ~Q(**{email: ""})
    blank = Q(**{email: ""})
    if condition is not None:
        with_mail &= condition
        blank &= condition
    return (
        Count(email, distinct=True, filter=with_mail),
        Count(f"{prefix}pk" if prefix else "pk", filter=blank),
    )


def _with_people(name: str, prefix: str = "", condition: Q | None = None) -> dict:
    mail, blank = _people(prefix, condition)
    return {f"{name}_mail": mail, f"{name}_blank": blank}


def _sum_people(row: dict, name: str) -> int:
    return (row.get(f"{name}_mail") or 0) + (row.get(f"{name}_blank") or 0)


def _avg(value) -> float | None:
    return None if value is None else round(float(value), 1)


class CourseFigures(FigureSource):
    key = "kurser"
    title = _("Courses that build competences")
    order = 50
    filters = frozenset({"association"})

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # Each statement covers all the periods (the report's and the year before): the
        # statements are grouped by the period (``aggregate_per_period``).
        association = filters.association
        if association and parse_id(association) is None:
            association = "0"  # an unknown association: nothing matches
        sessions = Session.objects.filter(covering(periods, "starts_at"))
        registrations = Registration.objects.filter(covering(periods, "session__starts_at"))
        evaluations = Evaluation.objects.filter(covering(periods, "session__starts_at"))
        needs = CompetenceNeed.objects.filter(covering(periods, "created_at"))
        if association:
            registrations = registrations.filter(association_id=association)
            evaluations = evaluations.filter(registration__association_id=association)
            needs = needs.filter(association_id=association)
        offers = self._offer(sessions, periods)
        return [
            [*offer, *registered, *evaluated, *needed]
            for (offer, _seats), registered, evaluated, needed in zip(
                offers,
                self._registrations(registrations, [seats for _offer, seats in offers], periods),
                self._evaluations(evaluations, periods),
                self._needs(needs, periods),
                strict=True,
            )
        ]

    def _offer(self, sessions, periods) -> list[tuple[list[Figure], int]]:
        # The sessions and seats per area, whose sums are the whole offer: one statement.
        by_area = annotate_per_period(
            sessions.values("course__competence_area__name"),
            {"n": Count("pk"), "seats": Sum("capacity")},
            periods,
            "starts_at",
        )
        return [self._offer_figures(rows) for rows in by_area]

    def _offer_figures(self, by_area) -> tuple[list[Figure], int]:
        area = "course__competence_area__name"
        total = {
            "n": sum(r["n"] for r in by_area),
            "seats": sum(r["seats"] or 0 for r in by_area),
        }
        return [
            Figure(
                key="kurser.sessions",
                label=str(_("Course sessions held")),
                value=total["n"],
                rows=rows_from_counts({r[area]: r["n"] for r in by_area}),
                help_text=str(_("Sessions whose first meeting is in the period.")),
            ),
            Figure(
                key="kurser.seats_offered",
                label=str(_("Seats offered")),
                value=total["seats"] or 0,
                rows=rows_from_counts({r[area]: r["seats"] for r in by_area}),
                help_text=str(_("The seats of the sessions in the period, whatever the filter.")),
            ),
        ], total["seats"] or 0

    def _registrations(self, registrations, seats: list[int], periods) -> list[list[Figure]]:
        confirmed = Q(status=Status.CONFIRMED)
        waiting = VIA_WAITING_LIST
        got_seat = waiting & Q(status=Status.CONFIRMED)
        no_seat = waiting & Q(status__in=[Status.WAITING, Status.OFFERED, Status.EXPIRED])
        left = waiting & Q(status=Status.CANCELLED)
        attended = confirmed & Q(attended=True)
        recorded = confirmed & Q(attended__isnull=False)
        when = "session__starts_at"
        totals = aggregate_per_period(
            registrations,
            dict(
                confirmed=Count("pk", filter=confirmed),
                **_with_people("confirmed", condition=confirmed),
                waiting=Count("pk", filter=waiting),
                **_with_people("waiting", condition=waiting),
                got_seat=Count("pk", filter=got_seat),
                **_with_people("got_seat", condition=got_seat),
                no_seat=Count("pk", filter=no_seat),
                **_with_people("no_seat", condition=no_seat),
                left=Count("pk", filter=left),
                **_with_people("left", condition=left),
                present=Count("pk", filter=attended),
                **_with_people("present", condition=attended),
                recorded=Count("pk", filter=recorded),
                **_with_people("recorded", condition=recorded),
            ),
            periods,
            when,
        )
        area = "session__course__competence_area__name"
        by_area = annotate_per_period(
            registrations.filter(confirmed).values(area),
            {"n": Count("pk"), **_with_people("p")},
            periods,
            when,
            period_first=True,  # measured faster on SQLite (issue #22)
        )
        return [
            self._registration_figures(of_period(totals, i), by_area[i], seats[i])
            for i in range(len(periods))
        ]

    def _registration_figures(self, total, by_area, seats: int) -> list[Figure]:
        area = "session__course__competence_area__name"
        return [
            Figure(
                key="kurser.seats_filled",
                label=str(_("Seats filled")),
                value=total["confirmed"],
                people=_sum_people(total, "confirmed"),
                rows=rows_from_counts(
                    {r[area]: r["n"] for r in by_area},
                    people={r[area]: _sum_people(r, "p") for r in by_area},
                ),
                help_text=str(_("Confirmed registrations on the sessions in the period.")),
            ),
            Figure(
                key="kurser.fill_rate",
                label=str(_("Share of the seats filled")),
                value=share(total["confirmed"], seats),
                unit="%",
                people=_sum_people(total, "confirmed"),
                decimals=1,
                additive=False,
                help_text=str(_("Seats filled out of the seats offered.")),
            ),
            Figure(
                key="kurser.waiting_list",
                label=str(_("On the waiting list")),
                value=total["waiting"],
                people=_sum_people(total, "waiting"),
                rows=tuple(
                    row
                    for row in (
                        Row(
                            str(_("Got a seat")), total["got_seat"], _sum_people(total, "got_seat")
                        ),
                        Row(
                            str(_("Did not get a seat")),
                            total["no_seat"],
                            _sum_people(total, "no_seat"),
                        ),
                        Row(
                            str(_("Left the waiting list")),
                            total["left"],
                            _sum_people(total, "left"),
                        ),
                    )
                    if row.value
                ),
                help_text=str(
                    _("Registrations that went on the waiting list, and what became of them.")
                ),
            ),
            Figure(
                key="kurser.attended",
                label=str(_("Attended")),
                value=total["present"],
                people=_sum_people(total, "present"),
                help_text=str(_("Participants marked as present at the session.")),
            ),
            Figure(
                key="kurser.attendance_rate",
                label=str(_("Attendance of those with a seat")),
                value=share(total["present"], total["recorded"]),
                unit="%",
                people=_sum_people(total, "recorded"),
                decimals=1,
                additive=False,
                help_text=str(_("Of the confirmed participants whose attendance was recorded.")),
            ),
        ]

    def _evaluations(self, evaluations, periods) -> list[list[Figure]]:
        respondents = _with_people("p", prefix="registration__")
        averages = {"avg_rating": Avg("rating"), "avg_usefulness": Avg("usefulness")}
        when = "session__starts_at"
        totals = aggregate_per_period(
            evaluations, {"n": Count("pk"), **averages, **respondents}, periods, when
        )
        area = "session__course__competence_area__name"
        by_area = annotate_per_period(
            evaluations.values(area), {**averages, **respondents}, periods, when
        )
        return [
            self._evaluation_figures(of_period(totals, i), by_area[i]) for i in range(len(periods))
        ]

    def _evaluation_figures(self, total, by_area) -> list[Figure]:
        area = "session__course__competence_area__name"
        people = _sum_people(total, "p")

        def rows(name: str) -> tuple[Row, ...]:
            found = [Row(r[area], _avg(r[name]), _sum_people(r, "p")) for r in by_area]
            return tuple(sorted(found, key=lambda r: (-(r.value or 0), r.label)))

        return [
            Figure(
                key="kurser.evaluation_rating",
                label=str(_("Overall rating in the evaluations")),
                value=_avg(total["avg_rating"]),
                unit=str(_("of 5")),
                people=people,
                rows=rows("avg_rating"),
                decimals=1,
                additive=False,
                help_text=str(_("The average answer, 1 to 5; people are the respondents.")),
            ),
            Figure(
                key="kurser.evaluation_usefulness",
                label=str(_("Usefulness in the evaluations")),
                value=_avg(total["avg_usefulness"]),
                unit=str(_("of 5")),
                people=people,
                rows=rows("avg_usefulness"),
                decimals=1,
                additive=False,
                help_text=str(_("How useful in their work, 1 to 5, on average.")),
            ),
        ]

    def _needs(self, needs, periods) -> list[list[Figure]]:
        # A need is answered when a published course in its area has a session starting
        # after it was submitted, i.e. before the area's latest session start. One small
        # query for the latest start per area (there are a handful of areas) instead of a
        # correlated subquery per need, which grew with both tables.
        latest = (
            Session.objects.filter(course__published=True, starts_at__isnull=False)
            .values_list("course__competence_area")
            .annotate(last=Max("starts_at"))
        )
        answered = Q(pk__isnull=True)  # false: no area has a session
        for area, last in latest:
            if area is not None:
                answered |= Q(competence_area=area, created_at__lt=last)
        counts = {
            "n": Count("pk"),
            **_with_people("p"),
            "n_answered": Count("pk", filter=answered),
            **_with_people("a", condition=answered),
        }
        totals = aggregate_per_period(needs, counts, periods, "created_at")
        by_area = annotate_per_period(
            needs.values("competence_area__name", "competence_area__sort_order").order_by(
                "competence_area__sort_order", "competence_area__name"
            ),
            counts,
            periods,
            "created_at",
            period_first=True,  # measured faster on SQLite (issue #22)
        )
        return [self._need_figures(of_period(totals, i), by_area[i]) for i in range(len(periods))]

    def _need_figures(self, total, by_area) -> list[Figure]:
        none = str(_("No area given"))

        def label(row):
            return row["competence_area__name"] or none

        answered_rows = tuple(
            Row(label(r), share(r["n_answered"], r["n"]), _sum_people(r, "p"))
            for r in by_area
            if r["competence_area__name"]
        )
        return [
            Figure(
                key="kurser.needs",
                label=str(_("Course needs submitted")),
                value=total["n"],
                people=_sum_people(total, "p"),
                rows=rows_from_counts(
                    {label(r): r["n"] for r in by_area},
                    people={label(r): _sum_people(r, "p") for r in by_area},
                ),
                help_text=str(_('Answers to "which course do you need?", by competence area.')),
            ),
            Figure(
                key="kurser.needs_answered",
                label=str(_("Needs answered by a course")),
                value=total["n_answered"],
                people=_sum_people(total, "a"),
                rows=rows_from_counts(
                    {label(r): r["n_answered"] for r in by_area},
                    people={label(r): _sum_people(r, "a") for r in by_area},
                ),
                help_text=str(
                    _(
                        "Needs in a competence area where a published course has a session "
                        "starting after the need was submitted."
                    )
                ),
            ),
            Figure(
                key="kurser.needs_answered_share",
                label=str(_("Share of needs answered by a course")),
                value=share(total["n_answered"], total["n"]),
                unit="%",
                people=_sum_people(total, "p"),
                rows=answered_rows,
                decimals=1,
                additive=False,
                help_text=str(_("Per competence area: how many of its needs a course answers.")),
            ),
        ]
