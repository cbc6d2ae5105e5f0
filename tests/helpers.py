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
