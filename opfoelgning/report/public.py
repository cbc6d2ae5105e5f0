""" "Frivilligheden i tal" (/frivillig/i-tal/): the report's figures for the last
twelve months against the twelve before, for everyone, worked out once a day
(``todays_report``). Aggregated and anonymised: a figure that describes fewer than five
people is not shown, and the small rows of a breakdown are merged until no group under five
remains (``figures.public``)."""

from __future__ import annotations

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from frivillig_blocks import figures

from .charts import bar_chart


def public_sections(report: figures.Report):
    sections = []
    for section in report.sections:
        items = []
        for comparison in section.comparisons:
            shown = figures.public(comparison.figure)
            previous = (
                figures.public(comparison.previous) if comparison.previous is not None else None
            )
            previous_shown = previous is not None and previous.shown
            # The year before's rows pass the same test on their own: a row shown now may
            # have been a small group then. A merged "Other" row is not compared.
            before = {r.label: r.value for r in previous.rows} if previous_shown else {}
            had = (
                {r.label for r in comparison.previous.rows}
                if comparison.previous is not None
                else set()
            )
            rows = [
                (
                    row,
                    None if row.merged else before.get(row.label),
                    # there was such a row a year before, but it was a small group
                    not row.merged and row.label in had and row.label not in before,
                )
                for row in shown.rows
            ]
            items.append(
                {
                    "figure": comparison.figure,
                    "shown": shown.shown,
                    "previous": comparison.previous.value if previous_shown else None,
                    "previous_withheld": comparison.previous is not None and not previous_shown,
                    "rows": rows,
                    "chart": bar_chart(
                        comparison.figure,
                        chart_id=f"public-{comparison.figure.key.replace('.', '-')}",
                        rows=shown.rows,
                    )
                    if shown.shown
                    else "",
                }
            )
        sections.append({"section": section, "items": items})
    return sections


def key_figures(sections) -> list[dict]:
    """What the page opens with: each section's first figure that may be shown, with the
    section it leads to."""
    keys = []
    for entry in sections:
        for item in entry["items"]:
            if item["shown"] and item["figure"].value is not None:
                keys.append({**item, "section": entry["section"]})
                break
    return keys


def todays_report() -> figures.Report:
    """The report of the last twelve months as of today, in the active language: read from
    ``PublicFigures`` when it was worked out today, else worked out and kept there (a
    concurrent first visit of the day keeps the same figures)."""
    from ..models import PublicFigures

    today = timezone.localdate()
    language = get_language() or settings.LANGUAGE_CODE
    stored = (
        PublicFigures.objects.filter(language=language, day=today)
        .values_list("report", flat=True)
        .first()
    )
    if stored is not None:
        try:
            return figures.report_from_data(stored)
        except (KeyError, TypeError, ValueError):
            pass  # kept by an older version in another shape: worked out again below
    report = figures.compute(figures.Period.last_twelve_months(today))
    PublicFigures.objects.update_or_create(
        language=language, defaults={"day": today, "report": figures.report_to_data(report)}
    )
    return report


def figures_view(request, page):
    report = todays_report()
    sections = public_sections(report)
    return TemplateResponse(
        request,
        "opfoelgning/figures_page.html",
        {
            "page": page,
            "self": page,
            "report": report,
            "sections": sections,
            "key_figures": key_figures(sections),
            "minimum": figures.PUBLIC_MINIMUM,
        },
    )
