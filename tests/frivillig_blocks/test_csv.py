"""The one safe CSV writer (``frivillig_blocks.spreadsheets``) and Wagtail's list exports
plugged into it (``frivillig_blocks.admin_viewsets``), issue #18 item 6: the Danish dialect
(``;``, every field quoted, CRLF, UTF-8 with a byte order mark), no cell a spreadsheet would
run as a formula, in CSV and XLSX, and numbers that stay numbers. The exports of the apps
are tested in their own folders (tests/kurser/test_exports.py,
tests/initiativpris/test_exports.py, the report in test_report.py); here the writer, the
base's exports (feedback, grant applications) and a walk over every registered viewset."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets

from frivillig_blocks import roles, spreadsheets
from frivillig_blocks.admin_viewsets import SafeSpreadsheetExportMixin
from frivillig_blocks.models import Grant, GrantApplication

from ..conftest import requires_apps
from ..exports import (
    PAYLOADS,
    assert_no_formula_in_csv,
    assert_payloads_defused,
    body,
    csv_rows,
    xlsx_cells,
)
from ..factories import UserFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUR_APPS = {
    "frivillig_blocks",
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
    "opfoelgning",
}


class Download:
    """A response-like object around bytes, so the writer's output goes through the same
    checks as the admin's downloads."""

    streaming = False
    status_code = 200

    def __init__(self, content: bytes, content_type: str):
        self.content = content
        self._headers = {"Content-Type": content_type}

    def __getitem__(self, name):
        return self._headers[name]


# -- the writer ----------------------------------------------------------------------------


def test_the_writer_speaks_the_danish_dialect_and_defuses_every_payload():
    rows = [[payload, 1] for payload in PAYLOADS]
    content = spreadsheets.csv_bytes(["Navn", "Antal"], rows)
    assert content.startswith("\ufeff".encode()) and content.endswith(b"\r\n")
    assert content.splitlines()[0] == '\ufeff"Navn";"Antal"'.encode()
    read = csv_rows(Download(content, "text/csv; charset=utf-8"))
    assert read[0] == ["Navn", "Antal"]
    assert len(read) == len(PAYLOADS) + 1, "a ; or CR inside a field split a row"
    assert all(len(row) == 2 for row in read)
    assert_no_formula_in_csv(read)
    assert_payloads_defused(row[0] for row in read)


def test_anna_stays_in_one_cell():
    """The issue's case: comma-separated and unquoted, ``Anna;=1+2;`` is three cells in
    Danish Excel, the middle one a formula."""
    read = csv_rows(
        Download(spreadsheets.csv_bytes(["Navn"], [["Anna;=1+2;"]]), "text/csv; charset=utf-8")
    )
    assert read == [["Navn"], ["Anna;=1+2;"]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (3, "3"),
        (-3, "-3"),  # a number: Excel reads it as minus three, nothing runs
        (2.0, "2"),
        (1234.5, "1234,5"),
        (Decimal("4000.00"), "4000,00"),
        (None, ""),
        (True, "Ja"),
        (False, "Nej"),
        ("-3", "'-3"),  # text that a spreadsheet would compute
        ("Dragør Roklub", "Dragør Roklub"),
        ("a - b", "a - b"),
        ("'=already", "'=already"),
        ("\x00=1+2", "'\x00=1+2"),
        (dt.date(2026, 12, 2), "2026-12-02"),
    ],
)
def test_a_cell_is_text_or_a_danish_number(value, cell):
    assert spreadsheets.csv_cell(value) == cell


def test_a_time_is_written_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Copenhagen"
    moment = dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC)
    assert spreadsheets.csv_cell(moment) == "2026-07-01 12:30:00"
    assert spreadsheets.xlsx_cell(moment) == dt.datetime(2026, 7, 1, 12, 30)


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    content = spreadsheets.xlsx_bytes(
        ["Navn", "Beløb", "Tal"],
        [[payload, Decimal("4000.50"), -2] for payload in PAYLOADS] + [["ok\x0bay", 1, 2.5]],
        title="Deltagere: [alle]",
    )
    cells = xlsx_cells(Download(content, ""))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Deltagere   alle "
    numbers = [c.value for c in cells if c.column > 1 and c.row > 1]
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers)
    assert -2 in numbers and 4000.5 in numbers and 2.5 in numbers
    texts = [c.value for c in cells if c.column == 1]
    assert "okay" in texts  # a control character openpyxl refuses is dropped, not a 500
    assert_payloads_defused(texts, xlsx=True)


def test_a_formula_typed_by_openpyxl_rules_never_stays_a_formula():
    from openpyxl import Workbook

    sheet = Workbook().active
    spreadsheets.append_row(sheet, ["=1+2", "x"])
    assert [c.data_type for c in sheet[1]] == ["s", "s"]
    assert sheet["A1"].value == "'=1+2"


# -- every list export goes through the writer ---------------------------------------------


def test_every_registered_viewset_exports_through_the_safe_writer(client):
    """Walks Wagtail's registry (not a hand list): a viewset of ours whose index view can
    export must derive from the base's classes (``frivillig_blocks.admin_viewsets``)."""
    client.get(reverse("wagtailadmin_home"))  # the admin's URLs register the viewsets
    ours = [
        vs
        for vs in viewsets.viewsets
        if not type(vs).__module__.startswith("wagtail.")
        or (
            getattr(getattr(vs, "model", None), "_meta", None) is not None
            and vs.model._meta.app_label in OUR_APPS
        )
    ]
    assert len(ours) > 10
    exporting = [
        vs
        for vs in ours
        if issubclass(getattr(vs, "index_view_class", object), SpreadsheetExportMixin)
    ]
    unsafe = [
        type(vs).__qualname__
        for vs in exporting
        if not issubclass(vs.index_view_class, SafeSpreadsheetExportMixin)
    ]
    assert exporting and not unsafe
    with_export = {type(vs).__name__ for vs in exporting if vs.list_export}
    assert "GrantApplicationViewSet" in with_export
    assert ("FeedbackViewSet" in with_export) is apps.is_installed("opfoelgning")


def test_no_module_of_ours_writes_csv_by_itself():
    """The two half-solutions are gone and no third appears: only the writer calls the
    csv module's writers."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    found = [
        str(path.relative_to(ROOT))
        for package in sorted(OUR_APPS)
        if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py")
        if writers.search(path.read_text(encoding="utf-8"))
    ]
    assert sorted(found) == [
        "frivillig_blocks/admin_viewsets.py",
        "frivillig_blocks/spreadsheets.py",
    ]


# -- the base's list exports through the real admin URLs -----------------------------------


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


@requires_apps("opfoelgning")
@pytest.mark.django_db
def test_feedback_export_defuses_what_visitors_wrote(client, coordinator):
    from opfoelgning.models import Feedback

    for payload in PAYLOADS:
        Feedback.objects.create(found=False, comment=payload, path="/frivillig/", service="x")
    Feedback.objects.create(found=True, comment="tak\x0b", path=PAYLOADS[0], service="x")
    client.force_login(coordinator)

    rows = csv_rows(client.get("/admin/feedback/", {"export": "csv"}))
    assert len(rows) == len(PAYLOADS) + 2
    assert_no_formula_in_csv(rows)
    comment = rows[0].index("Kommentar")
    assert_payloads_defused(row[comment] for row in rows[1:])
    found = rows[0].index("Fandt det, de søgte")
    assert {row[found] for row in rows[1:]} == {"Ja", "Nej"}

    cells = xlsx_cells(client.get("/admin/feedback/", {"export": "xlsx"}))
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + PAYLOADS[0] in texts and "'" + PAYLOADS[1] in texts and "tak" in texts


@pytest.fixture
def grant(db):
    return Grant.objects.create(
        name="Frivilligpuljen",
        slug="frivilligpuljen",
        summary="Støtte.",
        who_may_apply="Foreninger.",
        amount="op til 25.000 kr.",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        rolling=False,
        legal_basis=Grant.LegalBasis.MUNICIPAL,
        live=True,
    )


@pytest.mark.django_db
def test_grant_application_export_defuses_every_field_and_keeps_the_amount_a_number(
    client, coordinator, grant
):
    for n, payload in enumerate(PAYLOADS):
        GrantApplication.objects.create(
            grant=grant,
            reference=f"P-{n}",
            applicant_name=payload,
            email=f"a{n}@example.org",
            phone="+45 12 34 56 78",
            association_name=payload,
            project_title=payload,
            description=payload,
            amount_requested=15000 + n,
            budget=payload,
        )
    client.force_login(coordinator)

    response = client.get("/admin/grant-applications/", {"export": "csv"})
    assert 'filename="ansoegninger.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == len(PAYLOADS) + 1
    assert_no_formula_in_csv(rows)
    header = rows[0]
    for column in ("Ansøger", "Forening", "Projekttitel", "Beskrivelse", "Budget"):
        assert_payloads_defused(row[header.index(column)] for row in rows[1:])
    assert {row[header.index("Telefon")] for row in rows[1:]} == {"'+45 12 34 56 78"}
    amounts = [row[header.index("Ansøgt beløb (kr.)")] for row in rows[1:]]
    assert sorted(amounts) == [str(15000 + n) for n in range(len(PAYLOADS))]

    cells = xlsx_cells(client.get("/admin/grant-applications/", {"export": "xlsx"}))
    amount = next(c.column for c in cells if c.value == "Ansøgt beløb (kr.)")
    assert sorted(c.value for c in cells if c.column == amount and c.row > 1) == [
        15000 + n for n in range(len(PAYLOADS))
    ]
    title = next(c.column for c in cells if c.value == "Projekttitel")
    assert_payloads_defused((c.value for c in cells if c.column == title), xlsx=True)


@pytest.mark.django_db
def test_the_export_is_refused_to_staff_without_the_permission(client, grant):
    urls = ["/admin/grant-applications/"]
    if apps.is_installed("opfoelgning"):
        from opfoelgning.models import Feedback

        Feedback.objects.create(found=False, comment=PAYLOADS[0], path="/frivillig/", service="x")
        urls.append("/admin/feedback/")
    client.force_login(UserFactory(groups=[roles.INSTITUTIONSLEDERE]))
    for url in urls:
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code in (302, 403)
            assert PAYLOADS[0].encode() not in body(response)
