"""The safe CSV writer, and its XLSX twin: every spreadsheet export of ours goes through here
(the report, a session's participants, and Wagtail's list exports through
``frivillig_blocks.admin_viewsets``).

Two promises:

* **The Danish dialect**: fields separated by ``;`` (Danish Excel uses the comma for
  decimals), every field quoted, lines ended by CRLF, UTF-8 with a byte order mark (without
  it Excel reads ``æøå`` as Latin-1). Numbers are written with a decimal comma.
* **No formula injection** (CSV injection, OWASP): text that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is what a spreadsheet runs as a formula (or as the
  start of one, after trimming), so such text gets a leading apostrophe, in CSV and in XLSX
  alike. Quoting does not help: Excel unquotes a field before it looks at it. The type
  decides, not the text: a number (``int``, ``float``, ``Decimal``) stays a number, also a
  negative one (a number cannot run anything); a text that looks like a sum (``-2+3``) is
  text and is defused. XLSX string cells are always stored as strings, never as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: The first characters that make a spreadsheet treat a cell as a formula (OWASP; ASVS 1.2.10
#: adds the null character).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
#: Characters some spreadsheets skip before they look for a formula.
_BLANKS = " \n\u00a0"
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DanishExcel(csv.Dialect):
    """What Danish Excel (and LibreOffice with Danish settings) opens without a wizard."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_ALL


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: a leading apostrophe when it
    starts like a formula, also after blanks (`` =1+2``)."""
    return "'" + text if text.lstrip(_BLANKS).startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def danish_number(value: int | float | Decimal) -> str:
    """A number with a decimal comma and no thousands separator: ``1234,5``."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        return format(value, "f").replace(".", ",")
    return str(value)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value) -> str:
    """One value as the text of a CSV field: numbers the Danish way, times in local time,
    ``None`` empty, yes/no in words, and any text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if _is_number(value):
        return danish_number(value)
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return safe_text(force_str(value))


def xlsx_cell(value):
    """One value for an XLSX cell: numbers, booleans and dates stay what they are (times in
    local time, without a zone, as Excel wants them); everything else is defused text."""
    if value is None or isinstance(value, bool) or _is_number(value):
        return value
    if isinstance(value, dt.datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, (dt.date, dt.time)):
        return value
    # openpyxl refuses control characters (a vertical tab in a citizen's comment would
    # break the whole export): they go, before the text is defused.
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", force_str(value)))


def csv_writer(out) -> csv.writer:
    """A ``csv.writer`` in the Danish dialect; write rows of :func:`csv_cell` values."""
    return csv.writer(out, dialect=DanishExcel)


def csv_row(values: Iterable) -> list[str]:
    return [csv_cell(value) for value in values]


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole file as text, the byte order mark first."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(row))
    return BOM + out.getvalue()


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def csv_response(header: Iterable, rows: Iterable[Iterable], *, filename: str) -> HttpResponse:
    """A download of ``filename``.csv (give the name without the extension)."""
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def append_row(sheet, values: Iterable) -> None:
    """Append one row to an openpyxl worksheet (not a write-only one), defused, and make
    sure no cell of it is a formula."""
    sheet.append([xlsx_cell(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def xlsx_bytes(header: Iterable, rows: Iterable[Iterable], *, title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = _sheet_title(title)
    append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(
    header: Iterable, rows: Iterable[Iterable], *, filename: str, title: str = ""
) -> HttpResponse:
    """A download of ``filename``.xlsx (give the name without the extension)."""
    response = HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and more than 31 of any.
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet1"
