"""The prize's figures for the council's follow-up (``frivillig_blocks.figures``).

- nominations received in the period (confirmed, sent by citizens: the jury's own
  candidates are not "received"), by what the nominee is; people = distinct nominators;
- voters: confirmed votes in the period (one per voter and round), online and on paper;
- turnout against the previous round: the round whose public vote closed in the period, the
  round with a public vote before it, and the change in per cent.

Nominations and votes are not tied to an association, an age group or a topic: no filters.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.figures import (
    Figure,
    FigureSource,
    Filters,
    Period,
    aggregate_per_period,
    annotate_per_period,
    covering,
    of_period,
    rows,
    rows_from_counts,
)

from .models import Nomination, NomineeKind, PrizeModel, PrizeRound, Vote

CONFIRMED = Q(votes__confirmed_at__isnull=False)


class PrizeFigures(FigureSource):
    key = "initiativpris"
    title = _("The initiative prize")
    order = 40
    filters = frozenset()

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # The nominations and the votes of all the periods (the report's and the year
        # before) in one statement each; the rounds are looked up per period.
        return [
            [nominations, voters, *self._turnout(period)]
            for period, nominations, voters in zip(
                periods, self._nominations(periods), self._voters(periods), strict=True
            )
        ]

    def _nominations(self, periods) -> list[Figure]:
        received = (
            Nomination.objects.confirmed()
            .filter(covering(periods, "created_at"))
            .exclude(nominator_key="")
        )
        counted = {"n": Count("pk"), "people": Count("nominator_key", distinct=True)}
        totals = aggregate_per_period(received, counted, periods, "created_at")
        groups = annotate_per_period(
            received.values("nominee_kind"), counted, periods, "created_at"
        )
        return [
            self._nomination_figure(of_period(totals, i), groups[i]) for i in range(len(periods))
        ]

    def _nomination_figure(self, total, groups) -> Figure:
        counts, people = {}, {}
        for row in groups:
            counts[row["nominee_kind"]] = row["n"]
            people[row["nominee_kind"]] = row["people"]
        return Figure(
            key="initiativpris.nominations",
            label=str(_("Nominations received")),
            value=total["n"],
            people=total["people"],
            rows=rows_from_counts(counts, dict(NomineeKind.choices), people),
            help_text=str(
                _(
                    "Confirmed nominations sent in the period; the jury's own candidates not included."
                )
            ),
        )

    def _voters(self, periods) -> list[Figure]:
        votes = Vote.objects.filter(covering(periods, "confirmed_at"))
        groups = annotate_per_period(
            votes.values("source"), {"n": Count("pk")}, periods, "confirmed_at"
        )
        return [
            self._voters_figure({row["source"]: row["n"] for row in groups[i]})
            for i in range(len(periods))
        ]

    def _voters_figure(self, counts) -> Figure:
        total = sum(counts.values())
        return Figure(
            key="initiativpris.voters",
            label=str(_("Voters")),
            value=total,
            # One counted vote per person and round (the voters' identifiers are deleted
            # after the result, so the votes are what is left to count them by).
            people=total,
            rows=rows_from_counts(counts, dict(Vote.Source.choices), counts),
            help_text=str(_("Votes confirmed in the period, online and on paper.")),
        )

    def _turnout(self, period: Period) -> list[Figure]:
        """One query: the two latest rounds with a public vote that closed before the period
        ended, with their voters; the first of them counts if its vote closed in the period."""
        rounds = rows(
            PrizeRound.objects.live()
            .exclude(decision_model=PrizeModel.JURY)
            .filter(vote_close__isnull=False, vote_close__lt=period.until)
            .values("pk", "prize_name", "year", "vote_close")  # each round its own group
            .annotate(voters=Count("votes", filter=CONFIRMED))
            .order_by("-vote_close", "-pk"),
            limit=2,
        )
        current = rounds[0] if rounds and rounds[0]["vote_close"] >= period.since else None
        previous = rounds[1] if current is not None and len(rounds) > 1 else None
        now = current["voters"] if current else None
        before = previous["voters"] if previous else None
        current_name = PrizeRound.name_of(current["prize_name"], current["year"]) if current else ""
        previous_name = (
            PrizeRound.name_of(previous["prize_name"], previous["year"]) if previous else ""
        )
        change = None
        if now is not None and before:
            change = round(100 * (now - before) / before, 1)
        return [
            Figure(
                key="initiativpris.round_voters",
                label=str(_("Voters in the round whose vote closed in the period")),
                value=now,
                people=now or 0,
                help_text=current_name,
            ),
            Figure(
                key="initiativpris.previous_round_voters",
                label=str(_("Voters in the round before it")),
                value=before,
                people=before or 0,
                help_text=previous_name,
            ),
            Figure(
                key="initiativpris.turnout_change",
                label=str(_("Change in voters from the round before")),
                value=change,
                unit="%",
                # Both rounds are behind the change, and the smaller could be worked out
                # from it and the larger: the figure is as private as the smaller round.
                people=min(now or 0, before or 0),
                decimals=1,
                additive=False,
                help_text=f"{current_name} / {previous_name}" if current and previous else "",
            ),
        ]
