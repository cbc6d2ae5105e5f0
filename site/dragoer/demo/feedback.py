"""Past answers to "Fandt du det, du søgte?" for the follow-up's figures: a year and more
of feedback on the live pages of the volunteer section. Deterministic; marked by their
language field, so a second call creates nothing."""

from __future__ import annotations

import datetime as dt
import random

from opfoelgning.models import Feedback

DEMO_MARKER = "da-x-demo"  # the language field of the rows history() makes (private use)


def history(*, today: dt.date, months: int = 24, scale: int = 1) -> int:
    if Feedback.objects.filter(language=DEMO_MARKER).exists():
        return 0
    from wagtail.models import Page

    from opfoelgning.feedback import services

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
