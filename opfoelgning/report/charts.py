"""Bar charts drawn on the server as SVG: no chart script, nothing from outside. Each chart
is an image with a title and a text description (``role="img"``, ``<title>``, ``<desc>``)
and is always shown beside a table of the same data, which is what a screen reader user
reads; the chart itself adds nothing the table does not say."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frivillig_blocks.figures import Figure, format_value

#: Colours with at least 3:1 contrast against white and against each other's text labels
#: (WCAG 1.4.11): this period in the municipality's dark blue, the year before in grey.
CURRENT = "#1d4f7c"
PREVIOUS = "#6b6b6b"

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 70
BAR_HEIGHT = 14
GAP = 10
MAX_ROWS = 15


def bar_chart(
    figure: Figure, previous: Figure | None = None, *, chart_id: str = "", rows=None
) -> SafeString:
    """A horizontal bar per row of the figure's breakdown; with ``previous``, a second,
    thinner bar per row for the same period a year before. ``rows`` overrides the figure's
    own (the public page passes its anonymised rows)."""
    rows = list(figure.rows if rows is None else rows)[:MAX_ROWS]
    if not rows:
        return mark_safe("")
    before = {row.label: row.value for row in previous.rows} if previous is not None else {}
    compare = bool(before)
    values = [row.value or 0 for row in rows] + [before.get(row.label) or 0 for row in rows]
    top = max(values) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    step = BAR_HEIGHT * (2 if compare else 1) + GAP + (4 if compare else 0)
    height = len(rows) * step + GAP + (24 if compare else 0)
    chart_id = chart_id or f"chart-{figure.key.replace('.', '-')}"
    unit = f" {figure.unit}" if figure.unit else ""

    title = _("Bar chart: %(label)s") % {"label": figure.label}
    this_period, year_before = _("This period"), _("A year before")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(figure, rows, before))}</desc>',
    ]
    y = GAP
    for row in rows:
        value = row.value or 0
        width = round(span * value / top, 1)
        label = _truncate(row.label, 30)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 3}" text-anchor="end" font-size="12" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{CURRENT}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR_HEIGHT - 3}" font-size="12" fill="#1a1a1a">'
            f"{escape(format_value(row.value, figure.decimals))}{escape(unit)}</text>"
        )
        if compare:
            y += BAR_HEIGHT + 2
            old = before.get(row.label)
            old_width = round(span * (old or 0) / top, 1)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{old_width}" height="{BAR_HEIGHT - 4}" fill="{PREVIOUS}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + old_width + 4}" y="{y + BAR_HEIGHT - 5}" font-size="11" fill="#4a4a4a">'
                f"{escape(format_value(old, figure.decimals))}</text>"
            )
        y += step - (BAR_HEIGHT + 2 if compare else 0)
    if compare:
        legend_y = height - 12
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="10" height="10" fill="{CURRENT}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + 14}" y="{legend_y}" font-size="11" fill="#1a1a1a">{escape(this_period)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH + 120}" y="{legend_y - 9}" width="10" height="10" fill="{PREVIOUS}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + 134}" y="{legend_y}" font-size="11" fill="#1a1a1a">'
            f"{escape(year_before)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 – every text above is escaped


def describe(figure: Figure, rows, before: dict) -> str:
    """The chart's text alternative: what it shows and its biggest rows."""
    unit = f" {figure.unit}" if figure.unit else ""
    shown = ", ".join(
        f"{row.label}: {format_value(row.value, figure.decimals)}{unit}" for row in rows[:5]
    )
    text = ngettext(
        "%(count)s row: %(rows)s.", "%(count)s rows; the largest: %(rows)s.", len(rows)
    ) % {"count": len(rows), "rows": shown}
    if before:
        text += " " + _("The table beside the chart also shows the same period a year before.")
    return text


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
