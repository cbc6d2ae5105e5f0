"""The volunteers' feedback in the council's follow-up: how many answered "Fandt du det, du
søgte?", the share of yes, the comments and the answers per service. Each answer is one
person (answers are anonymous, so one person answering twice counts twice)."""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..figures import Figure, FigureSource, Filters, Period, Row, share
from ..models import Feedback

DEMO_MARKER = "da-x-demo"  # the language field of the rows history() makes (private use)


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
    baseline_model = Feedback
    baseline_date_field = "created_at"

    def figures(self, period: Period, filters: Filters) -> list[Figure]:
        qs = Feedback.objects.filter(period.q("created_at"))
        totals = qs.aggregate(
            answers=Count("pk"),
            yes=Count("pk", filter=Q(found=True)),
            comments=Count("pk", filter=~Q(comment="")),
        )
        per_service = qs.values("service").annotate(
            n=Count("pk"), yes=Count("pk", filter=Q(found=True))
        )
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

    def history(self, *, today: dt.date, months: int = 24, scale: int = 1) -> int:
        if Feedback.objects.filter(language=DEMO_MARKER).exists():
            return 0
        from wagtail.models import Page

        from . import services

        pages = [
            (page, services.service_of(page), page.get_url() or page.url_path)
            for page in Page.objects.live().filter(depth__gte=3).order_by("path")[:50]
            if services.in_volunteer_section(page)
        ] or [(None, "frivillig_blocks", "/frivillig/")]
        rng = random.Random(11)
        comments = [
            "Svært at finde åbningstiderne.",
            "Fint overblik.",
            "Jeg savnede en telefonliste.",
            "Let at booke lokalet.",
            "",
        ]
        rows = []
        for month in range(months):
            for _i in range(rng.randint(8, 16) * scale):
                day = today - dt.timedelta(days=month * 30 + rng.randint(0, 29))
                page, service, url = rng.choice(pages)
                found = rng.random() < 0.78
                rows.append(
                    Feedback(
                        found=found,
                        comment=rng.choice(comments) if rng.random() < 0.3 else "",
                        path=url[:300],
                        page=page,
                        service=service,
                        language=DEMO_MARKER,
                    )
                )
                rows[-1]._day = day
        created = Feedback.objects.bulk_create(rows, batch_size=1000)
        # created_at is auto_now_add: put the past dates in afterwards, grouped by day.
        by_day: dict[dt.date, list[int]] = {}
        for row in created:
            by_day.setdefault(row._day, []).append(row.pk)
        for day, pks in by_day.items():
            Feedback.objects.filter(pk__in=pks).update(
                created_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
            )
        return len(created)
