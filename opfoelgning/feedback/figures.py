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
    annotate_per_period,
    covering,
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
        # One statement for all the periods (the report's and the year before): the answers
        # per service, whose sums are the totals (counts, no distinct people).
        qs = Feedback.objects.filter(covering(periods, "created_at"))
        per_service = annotate_per_period(
            qs.values("service"),
            {
                "n": Count("pk"),
                "yes": Count("pk", filter=Q(found=True)),
                "comments": Count("pk", filter=~Q(comment="")),
            },
            periods,
            "created_at",
            period_first=True,  # on SQLite not by walking the service's index (issue #22)
        )
        return [self._figures(rows) for rows in per_service]

    def _figures(self, per_service) -> list[Figure]:
        totals = {
            "answers": sum(r["n"] for r in per_service),
            "yes": sum(r["yes"] for r in per_service),
            "comments": sum(r["comments"] for r in per_service),
        }
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
