"""Helpers every app's tests share: what a page shows and what a mail said."""

from __future__ import annotations

from django.core import mail


def html_of(response, status: int | None = None) -> str:
    """The page's HTML as text; with ``status``, the response must have it."""
    if status is not None:
        assert response.status_code == status, response.status_code
    return response.content.decode()


def last_mail_to(address: str):
    """The newest mail in the outbox to ``address``."""
    for message in reversed(mail.outbox):
        if address in message.to:
            return message
    raise AssertionError(f"no mail to {address} in the outbox: {[m.to for m in mail.outbox]}")


def danish(msgid: str) -> str:
    """``msgid`` as a Danish page shows it: its translation in our catalogues (the msgid
    itself while the catalogue does not have it yet)."""
    from django.utils import translation

    with translation.override("da"):
        return translation.gettext(msgid)


def error_summary_of(html: str) -> str:
    """The error summary of a failed form's page (frivillig_blocks/includes/error_summary.html):
    it must be there, first in <main>, and the <title> must start with "Fejl:"."""
    import re

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith(danish("Error:") + " "), title
    main = html[html.index('<main id="main"') :]
    start = main.index('<div class="error-summary')
    assert "<h1" not in main[:start] and "<form" not in main[:start], "the summary is not first"
    return main[start : main.index("</div>", start)]  # the summary holds no <div>


def assert_tagged_pdf(content: bytes, *, title: str, lang: str = "da") -> None:
    """A PDF tagged for accessibility (PDF/UA), read with pypdf: a structure tree, marked
    content, the document's language, and a title shown in the viewer's window."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot" and tree.get("/K") is not None
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == lang
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert title and title in (reader.metadata.title or "")
