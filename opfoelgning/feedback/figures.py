"""The volunteers' feedback in the council's follow-up: how many answered "Fandt du det, du
søgte?", the share of yes, the comments and the answers per service. Each answer is one
person (answers are anonymous, so one person answering twice counts twice)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q
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

from ..models import Feedback


def service_label(label: str) -> str:
    if label == "frivillig_blocks":
        return str(_("The volunteer section"))
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


class FeedbackFigures(FigureSource):
    key = "feedback"
    title = _("Feedback from volunteers")
    order = 90
    filters = frozenset()

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # Two statements for all the periods (the report's and the year before).
        qs = Feedback.objects.filter(covering(periods, "created_at"))
        totals = aggregate_per_period(
            qs,
            {
                "answers": Count("pk"),
                "yes": Count("pk", filter=Q(found=True)),
                "comments": Count("pk", filter=~Q(comment="")),
            },
            periods,
            "created_at",
        )
        per_service = annotate_per_period(
            qs.values("service"),
            {"n": Count("pk"), "yes": Count("pk", filter=Q(found=True))},
            periods,
            "created_at",
        )
        return [self._figures(of_period(totals, i), per_service[i]) for i in range(len(periods))]

    def _figures(self, totals, per_service) -> list[Figure]:
        rows = tuple(
            sorted(
                (Row(service_label(r["service"]), r["n"], r["n"]) for r in per_service),
                key=lambda row: (-row.value, row.label),
            )
        )
        answers = totals["answers"]
        return [
            Figure(
                key="feedback.answers",
                label=str(_("Answers to “Did you find what you were looking for?”")),
                value=answers,
                people=answers,
                rows=rows,
            ),
            Figure(
                key="feedback.yes_share",
                label=str(_("Share who found what they were looking for")),
                value=share(totals["yes"], answers),
                unit="%",
                people=answers,
                decimals=1,
                additive=False,
                rows=tuple(
                    sorted(
                        (
                            Row(service_label(r["service"]), share(r["yes"], r["n"]), r["n"])
                            for r in per_service
                        ),
                        key=lambda row: (-(row.value or 0), row.label),
                    )
                ),
            ),
            Figure(
                key="feedback.comments",
                label=str(_("Comments")),
                value=totals["comments"],
                people=totals["comments"],
            ),
        ]
