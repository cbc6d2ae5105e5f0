"""PDFs from HTML (WeasyPrint), tagged for accessibility: PDF/UA-1, with the document's
language (``<html lang>``), its title (``<title>``, shown as the window title) and the
structure tree of its headings, paragraphs, lists and tables, so a screen reader reads the
council's report, the calendar's programme and a course certificate as it reads the page."""

from __future__ import annotations

import logging


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    # WeasyPrint logs every rendering step at INFO; keep the site's log for what matters.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
