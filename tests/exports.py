"""Checks every spreadsheet export's test uses (issue #18, item 6): the payloads of the issue,
and a reading of a CSV or XLSX download as Danish Excel would read it.

The checks are written out here on purpose, not imported from the code under test: the
formula characters, the dialect's rules and the number format are restated."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

#: What a citizen may type into any field that ends up in an export (issue #18, item 6).
PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "Anna;=1+2;",
    "-2+3",
    "+1",
    "\t=1+2",
    "\r=1+2",
    " =1+2",
)

#: Each payload as its cell must read: behind an apostrophe where it starts like a formula;
#: ``Anna;=1+2;`` starts like a name and stays whole, in one cell.
DEFUSED = {payload: payload if payload[0].isalpha() else "'" + payload for payload in PAYLOADS}

#: The first characters that make Excel, LibreOffice or Google Sheets start a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A number as the writer gives it (decimal comma, no thousands separator): a negative
#: number starts with "-" but is a number, not a formula.
NUMBER = re.compile(r"-?\d+(,\d+)?")


class ReadAsDanishExcel(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_ALL


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    """The download's rows as Danish Excel splits them, after checking the dialect: UTF-8
    with a byte order mark, ``;``, every field quoted, CRLF (written back with those rules,
    the rows give the very same text)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect=ReadAsDanishExcel))
    again = io.StringIO(newline="")
    csv.writer(again, dialect=ReadAsDanishExcel).writerows(rows)
    assert again.getvalue() == text, "not ';', quoted and CRLF throughout"
    return rows


def assert_no_formula_in_csv(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if NUMBER.fullmatch(cell):
                continue
            assert not cell.startswith(FORMULA_STARTS), (cell, row)
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS), (cell, row)


def assert_payloads_defused(cells, payloads=PAYLOADS, *, xlsx=False) -> None:
    """Each payload is there, whole, in one cell, behind an apostrophe where it starts like a
    formula: the export did write it (the checks above are not vacuous) and a spreadsheet
    shows it as text."""
    cells = set(cells)
    for payload in payloads:
        expected = DEFUSED[payload]
        if xlsx:  # XML reads a carriage return in text back as a line feed
            expected = expected.replace("\r", "\n")
        assert expected in cells, (payload, sorted(c for c in cells if c)[:50])


def xlsx_cells(response) -> list:
    """The download's cells, after checking none of them is a formula and no text starts
    like one."""
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.lstrip(" ").startswith(FORMULA_STARTS), cell.value
    return cells
