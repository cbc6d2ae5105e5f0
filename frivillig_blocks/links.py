"""Absolute links to a section's page (a calendar, the course list, the exchange), for mails,
feeds and the API, where there may be no request.

``section_page(Model)`` is the first live page of that type; ``section_url(Model, route,
*args)`` its absolute URL, or that of one of its routes (a routable page's sub-URL), and
``""`` while the section has no live page. A page outside every site (no URL of its own)
and a relative URL are made absolute with ``WAGTAILADMIN_BASE_URL``.

Inside ``one_lookup_per_section()`` each section's page is read once (the site search asks
for the same section for several kinds of hits); outside it, every call reads the
database."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_looked_up: ContextVar[dict | None] = ContextVar("section_pages", default=None)


@contextmanager
def one_lookup_per_section(looked_up: dict | None = None):
    """Within the block, ``section_page(model)`` reads each model's page once (into
    ``looked_up`` when given, so that several blocks can share the pages read)."""
    token = _looked_up.set({} if looked_up is None else looked_up)
    try:
        yield
    finally:
        _looked_up.reset(token)


def section_page(model):
    """The live page of ``model`` first in the tree, or None."""
    looked_up = _looked_up.get()
    if looked_up is not None and model in looked_up:
        return looked_up[model]
    page = model.objects.live().order_by("path").first()
    if looked_up is not None:
        looked_up[model] = page
    return page


def absolute(url: str | None) -> str:
    """``url`` with scheme and host: a relative one under ``WAGTAILADMIN_BASE_URL``."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def page_url(page, route: str | None = None, *args, request=None) -> str:
    """The absolute URL of ``page`` (or of its ``route`` with ``args``)."""
    url = page.get_full_url(request) or absolute(page.get_url(request))
    if route:
        url = url.rstrip("/") + "/" + page.reverse_subpage(route, args=list(args)).lstrip("/")
    return url


def section_url(model, route: str | None = None, *args, request=None, page=None) -> str:
    """The absolute URL of the section's page (``page`` when the caller has it), or ``""``."""
    page = page or section_page(model)
    if page is None:
        return ""
    return page_url(page, route, *args, request=request)
