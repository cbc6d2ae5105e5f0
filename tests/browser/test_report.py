"""The coordinator opens the follow-up report in a real Chromium, changes the period,
downloads the PDF for the council (its text holds the figures) and the XLSX (it opens with
openpyxl and holds them); axe passes on the public "i tal" page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from frivillig_blocks import figures, roles
from opfoelgning.models import FiguresPage

from ..factories import AssociationFactory, UserFactory
from ..opfoelgning.test_report import MembershipFigures, at, join

PASSWORD = "correct horse battery staple"


def with_members_source(monkeypatch):
    installed = figures.sources
    monkeypatch.setattr(figures, "sources", lambda: [MembershipFigures(), *installed()])


def test_the_coordinator_changes_the_period_and_downloads_pdf_and_xlsx(
    live_site, page, monkeypatch
):
    with_members_source(monkeypatch)
    roklub = AssociationFactory(name="Dragør Roklub")
    join(roklub, at(dt.date(2024, 5, 1)), n=7)  # in 2024 only
    join(roklub, at(dt.date(2023, 5, 1)), n=3)  # the year before 2024
    UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])

    page.goto("/admin/login/")
    page.locator("#id_username").fill("koordinator")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Opfølgning").first.click()
    page.wait_for_url("**/admin/opfoelgning/")
    row = page.locator('tr[data-figure="members.joined"]')
    expect(row.locator("td").first).to_have_text("0")

    page.get_by_label("Fra", exact=True).fill("2024-01-01")
    page.get_by_label("Til", exact=True).fill("2024-12-31")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**/admin/opfoelgning/?fra=2024-01-01&til=2024-12-31*")
    expect(row.locator("td")).to_have_text(["7", "3", "+4"])
    expect(page.get_by_role("img", name="Søjlediagram: Nye medlemskaber")).to_be_visible()

    note = page.get_by_label("Din tekst til kommunalbestyrelsen: Nye medlemmer")
    note.fill("Roklubben voksede.")
    note.locator("xpath=ancestor::form").get_by_role("button", name="Gem teksten").click()
    expect(page.get_by_text("Teksten er gemt.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF til kommunalbestyrelsen").click()
    assert download.value.suggested_filename == "opfoelgning-20240101-20241231.pdf"
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Opfølgning på aktivt medborgerskab" in text
    assert "Roklubben voksede." in text
    assert "Nye medlemskaber" in text and "+4" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Regneark (XLSX)").click()
    assert download.value.suggested_filename == "opfoelgning-20240101-20241231.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert ["Nye medlemmer", "Nye medlemskaber", None, 7, 3, 4] in [r[:6] for r in rows]
    assert ["Nye medlemmer", "Nye medlemskaber", "Dragør Roklub", 7, 3, 4] in [r[:6] for r in rows]


def test_the_public_figures_page_passes_axe(live_site, page, axe, monkeypatch):
    with_members_source(monkeypatch)
    _server, tree = live_site
    figures_page = FiguresPage(title="Frivilligheden i Dragør i tal", slug="i-tal")
    tree.hub.add_child(instance=figures_page)
    today = dt.date.today()
    for name, n in (("Dragør Roklub", 8), ("Dragør Søspejdere", 6), ("Lille Forening", 3)):
        join(AssociationFactory(name=name), at(today - dt.timedelta(days=30)), n=n)
    page.goto("/frivillig/i-tal/")
    expect(
        page.get_by_role("heading", name="Frivilligheden i Dragør i tal", level=1)
    ).to_be_visible()
    # The page opens with the key figures; a breakdown's chart unfolds on request.
    expect(page.locator(".figures-key").first).to_contain_text("Nye medlemskaber")
    chart = page.get_by_role("img", name="Søjlediagram: Nye medlemskaber")
    expect(chart).to_be_hidden()
    page.locator("details.figures-breakdown > summary").first.click()
    expect(chart).to_be_visible()
    assert page.get_by_text("Lille Forening").count() == 0
    axe(page)
