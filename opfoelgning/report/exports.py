"""The report as CSV (semicolons and decimal commas, as Danish Excel reads it), as XLSX
(openpyxl, numbers as numbers), both through the safe writer of ``frivillig_blocks.spreadsheets``,
and as the council's PDF (WeasyPrint)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from frivillig_blocks import spreadsheets
from frivillig_blocks.figures import Report
from frivillig_blocks.pdf import html_to_pdf


def table(report: Report) -> tuple[list[str], list[list]]:
    """One row per figure, then one per row of its breakdown: the same table in both
    exports. Values are numbers (``None`` when there is none)."""
    header = [
        _("Service"),
        _("Figure"),
        _("Breakdown"),
        _("This period"),
        _("A year before"),
        pgettext("figures", "Change"),
        _("Unit"),
        _("Key"),
    ]
    rows: list[list] = []
    for section in report.sections:
        for comparison in section.comparisons:
            figure = comparison.figure
            previous = comparison.previous.value if comparison.previous is not None else None
            rows.append(
                [
                    section.title,
                    str(figure.label),
                    "",
                    figure.value,
                    previous,
                    comparison.change,
                    str(figure.unit),
                    figure.key,
                ]
            )
            for row in figure.rows:
                old = comparison.previous_row(row.label)
                change = None if row.value is None or old is None else row.value - old
                rows.append(
                    [
                        section.title,
                        str(figure.label),
                        row.label,
                        row.value,
                        old,
                        change,
                        str(figure.unit),
                        figure.key,
                    ]
                )
    return header, rows


def _rounded(value):
    # The report shows one decimal; the writer adds the decimal comma.
    if isinstance(value, float) and not value.is_integer():
        return round(value, 1)
    return value


def as_csv(report: Report) -> bytes:
    header, rows = table(report)
    return spreadsheets.csv_bytes(header, ([_rounded(value) for value in row] for row in rows))


def as_xlsx(report: Report, filter_labels) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Follow-up")[:31]
    sheet.append([_("Follow-up on active citizenship")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Period"), f"{report.period.start:%d.%m.%Y}–{report.period.end:%d.%m.%Y}"])
    sheet.append(
        [
            _("Compared with"),
            f"{report.previous_period.start:%d.%m.%Y}–{report.previous_period.end:%d.%m.%Y}",
        ]
    )
    for label, value in filter_labels:
        spreadsheets.append_row(sheet, [str(label), str(value)])
    sheet.append([])
    header, rows = table(report)
    spreadsheets.append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        spreadsheets.append_row(sheet, row)
    for column, width in zip("ABCDEFGH", (28, 40, 30, 14, 14, 12, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_pdf(
    report: Report, sections, *, intro, municipality: str, filter_labels, misses=()
) -> bytes:
    html = render_to_string(
        "opfoelgning/report/pdf.html",
        {
            "report": report,
            "sections": sections,
            "intro": intro,
            "municipality": municipality,
            "filter_labels": filter_labels,
            "misses": misses,
            "made": timezone.localdate(),
        },
    )
    return html_to_pdf(html)
