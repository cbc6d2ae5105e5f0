"""The calendar's figures for the council's follow-up: events published (by organiser type
and by audience) and the clashes the organiser's form showed, with what became of them
("fewer double bookings", measured by :class:`~kalender.models.ClashNotice`).

Three aggregate queries for the period and the year before together, whatever the amount of
data. Events that arrived from an association's linked calendar (issue #23) and the clashes
caught when they came in are counted by the same queries (two more filtered counts). ``people`` counts distinct organisers: the person who holds the event
(``organiser_user``), or the association when no person does; for a clash whose event was
never saved, the person who was shown it.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, When
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
    share,
)

from .models import ClashKind, ClashNotice, ClashOutcome, EventDetails

# Organiser types (the municipality's own flag wins over an association, set by staff).
MUNICIPAL = Q(is_municipal=True)
ASSOCIATION = Q(is_municipal=False, association__isnull=False)
PRIVATE = Q(is_municipal=False, association__isnull=True)
ORGANISER_TYPES = (
    ("association", ASSOCIATION, _("Associations")),
    ("municipal", MUNICIPAL, _("The municipality's own")),
    ("private", PRIVATE, _("Private persons and others")),
)

# What became of a clash. A notice whose event was never saved counts as withdrawn.
NEVER_SAVED = Q(outcome=ClashOutcome.PENDING, details__isnull=True)
OUTCOMES = (
    ("moved", Q(outcome=ClashOutcome.MOVED), _("Moved (time or place changed)")),
    ("venue_agreed", Q(outcome=ClashOutcome.VENUE_AGREED), _("Confirmed with the venue's consent")),
    ("kept", Q(outcome=ClashOutcome.KEPT), _("Published anyway (soft clash)")),
    (
        "withdrawn",
        Q(outcome=ClashOutcome.WITHDRAWN) | NEVER_SAVED,
        _("Withdrawn or never saved"),
    ),
    (
        "pending",
        Q(outcome=ClashOutcome.PENDING, details__isnull=False),
        _("Not settled yet (draft or awaiting review)"),
    ),
)
# Came in from an association's linked calendar (issue #23); stays so after unlinking.
IMPORTED = Q(feed_key__gt="")
RESOLVED = Q(outcome__in=(ClashOutcome.MOVED, ClashOutcome.VENUE_AGREED))
KINDS = (
    ("hard", Q(kind=ClashKind.HARD), _("Hard clashes (the place was taken)")),
    ("soft", Q(kind=ClashKind.SOFT), _("Soft clashes (the same audience the same evening)")),
)


def organiser(prefix: str = "", fallback=None):
    """The organiser as one integer: the person's id, or minus the association's id."""
    return Case(
        When(
            **{f"{prefix}organiser_user__isnull": False},
            then=F(f"{prefix}organiser_user_id"),
        ),
        When(**{f"{prefix}association__isnull": False}, then=-F(f"{prefix}association_id")),
        default=fallback,
        output_field=IntegerField(),
    )


def _with_age_group(code: str):
    through = EventDetails.age_groups.through
    return through.objects.filter(agegroup__code=code).values("eventdetails_id")


class CalendarFigures(FigureSource):
    key = "kalender"
    title = _("The shared calendar")
    order = 20
    filters = frozenset({"association", "age_group"})

    # -- the data ------------------------------------------------------------------------

    def events(self, period: Period, filters: Filters):
        return self._events_in(period.q("published_at"), filters)

    def _events_in(self, when: Q, filters: Filters):
        qs = EventDetails.objects.filter(published_at__isnull=False).filter(when)
        if filters.association:
            qs = qs.filter(association_id=_int(filters.association))
        if filters.age_group:
            qs = qs.filter(pk__in=_with_age_group(filters.age_group))
        return qs

    def notices(self, period: Period, filters: Filters):
        return self._notices_in(period.q("shown_at"), filters)

    def _notices_in(self, when: Q, filters: Filters):
        qs = ClashNotice.objects.filter(when)
        if filters.association:
            qs = qs.filter(details__association_id=_int(filters.association))
        if filters.age_group:
            qs = qs.filter(details_id__in=_with_age_group(filters.age_group))
        return qs

    # -- the figures -----------------------------------------------------------------------

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # Each statement covers all the periods (the report's and the year before).
        events = self._events(periods, filters)
        clashes = self._clashes(periods, filters)
        return [[*e, *c] for e, c in zip(events, clashes, strict=True)]

    def _events(self, periods, filters) -> list[list[Figure]]:
        qs = self._events_in(covering(periods, "published_at"), filters)
        # The organiser is named once and each count refers to it: resolving the expression
        # for every count cost more than some of the statements took (issue #22).
        qs, who = qs.annotate(_who=organiser()), "_who"
        counts = {
            "total": Count("pk"),
            "people": Count(who, distinct=True),
            "from_feed": Count("pk", filter=IMPORTED),
            "from_feed_people": Count(who, filter=IMPORTED, distinct=True),
        }
        for name, q, _label in ORGANISER_TYPES:
            counts[f"n_{name}"] = Count("pk", filter=q)
            counts[f"{name}_people"] = Count(who, filter=q, distinct=True)
        totals = aggregate_per_period(qs, counts, periods, "published_at")
        groups = annotate_per_period(
            qs.order_by().values("age_groups__code", "age_groups__name", "age_groups__sort_order"),
            # An event is in an age group's rows once (the many-to-many table holds a pair
            # once, and an event without one is one row of the empty group): a plain count,
            # not a distinct one (issue #22).
            {"n": Count("pk"), "people": Count(who, distinct=True)},
            periods,
            "published_at",
        )
        return [self._event_figures(of_period(totals, i), groups[i]) for i in range(len(periods))]

    def _event_figures(self, agg, groups) -> list[Figure]:
        by_type = Figure(
            key="kalender.events_published",
            label=str(_("Events published in the calendar")),
            value=agg["total"],
            people=agg["people"],
            rows=tuple(
                Row(str(label), agg[f"n_{name}"], agg[f"{name}_people"])
                for name, _q, label in ORGANISER_TYPES
                if agg[f"n_{name}"]
            ),
            help_text=str(
                _(
                    "Events published in the period, by who holds them. People are the "
                    "organisers: the person who holds the event, or the association."
                )
            ),
        )
        rows = sorted(
            groups,
            key=lambda g: (
                g["age_groups__code"] is None,
                g["age_groups__sort_order"] or 0,
                g["age_groups__name"] or "",
            ),
        )
        by_audience = Figure(
            key="kalender.events_by_audience",
            label=str(_("Events published, by audience")),
            value=agg["total"],
            people=agg["people"],
            rows=tuple(
                Row(
                    g["age_groups__name"] or str(_("No age group given")),
                    g["n"],
                    g["people"],
                )
                for g in rows
                if g["n"]
            ),
            additive=False,
            help_text=str(
                _(
                    "An event for several age groups counts in each of them, so the rows "
                    "add up to more than the events published."
                )
            ),
        )
        imported = Figure(
            key="kalender.events_imported",
            label=str(_("Events published from the associations' own calendars")),
            value=agg["from_feed"],
            people=agg["from_feed_people"],
            help_text=str(
                _(
                    "Events of the period that came in from a calendar an association has "
                    "linked (each date counts once), rather than typed in the form."
                )
            ),
        )
        return [by_type, by_audience, imported]

    def _clashes(self, periods, filters) -> list[list[Figure]]:
        qs = self._notices_in(covering(periods, "shown_at"), filters)
        qs, who = qs.annotate(_who=organiser("details__", fallback=F("user_id"))), "_who"
        counts = {
            "total": Count("pk"),
            "people": Count(who, distinct=True),
            "resolved": Count("pk", filter=RESOLVED),
            "from_feed": Count("pk", filter=Q(imported=True)),
            "from_feed_people": Count(who, filter=Q(imported=True), distinct=True),
        }
        for name, q, _label in KINDS:
            counts[f"from_feed_{name}"] = Count("pk", filter=q & Q(imported=True))
            counts[f"from_feed_{name}_people"] = Count(
                who, filter=q & Q(imported=True), distinct=True
            )
        for name, q, _label in OUTCOMES:
            counts[f"n_{name}"] = Count("pk", filter=q)
            counts[f"{name}_people"] = Count(who, filter=q, distinct=True)
        for name, q, _label in KINDS:
            counts[f"n_{name}"] = Count("pk", filter=q)
            counts[f"{name}_people"] = Count(who, filter=q, distinct=True)
            counts[f"{name}_resolved"] = Count("pk", filter=q & RESOLVED)
        totals = aggregate_per_period(qs, counts, periods, "shown_at")
        return [self._clash_figures(of_period(totals, i)) for i in range(len(periods))]

    def _clash_figures(self, agg) -> list[Figure]:
        shown = Figure(
            key="kalender.clashes_shown",
            label=str(_("Clashes shown to organisers")),
            value=agg["total"],
            people=agg["people"],
            rows=tuple(
                Row(str(label), agg[f"n_{name}"], agg[f"{name}_people"])
                for name, _q, label in OUTCOMES
                if agg[f"n_{name}"]
            ),
            help_text=str(
                _(
                    "Each clash counts once per event, however often the form showed it: "
                    "another event in the same room at the same time (hard), or for the same "
                    "audience the same evening (soft), and what the organiser did about it."
                )
            ),
        )
        resolved = Figure(
            key="kalender.clashes_resolved",
            label=str(_("Clashes moved or agreed with the venue")),
            value=share(agg["resolved"], agg["total"]),
            unit="%",
            people=agg["people"],
            decimals=1,
            additive=False,
            rows=tuple(
                Row(
                    str(label),
                    share(agg[f"{name}_resolved"], agg[f"n_{name}"]),
                    agg[f"{name}_people"],
                )
                for name, _q, label in KINDS
                if agg[f"n_{name}"]
            ),
            help_text=str(
                _(
                    "The share of the clashes shown that the organiser moved away from, or "
                    "that the venue agreed to."
                )
            ),
        )
        on_import = Figure(
            key="kalender.clashes_on_import",
            label=str(_("Clashes caught when events came in from linked calendars")),
            value=agg["from_feed"],
            people=agg["from_feed_people"],
            rows=tuple(
                Row(str(label), agg[f"from_feed_{name}"], agg[f"from_feed_{name}_people"])
                for name, _q, label in KINDS
                if agg[f"from_feed_{name}"]
            ),
            help_text=str(
                _(
                    "Each clash counts once per event, however often the calendar was "
                    "fetched; the organiser was told by mail. They are also counted among "
                    "the clashes shown."
                )
            ),
        )
        return [shown, resolved, on_import]


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
