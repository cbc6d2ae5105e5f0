"""What the shared base gives the site search: its pages and its published snippets
(associations and initiatives, grants, ideas, contact persons)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction, Site

from .. import layout
from .sources import Entry, Hit, SearchSource
from .text import summary as plain


def _pages():
    """Live pages no view restriction covers: Wagtail's ``live().public()``, with the
    restrictions read in the same query (a restricted page is the page itself or an
    ancestor: its tree path starts the page's) instead of one query more per search."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
    )
    return Page.objects.live().exclude(Exists(restricted))


def _specific(pages) -> dict:
    """The specific pages of ``pages`` by their id: one query per page type (the pages
    read already say their type)."""
    by_type: dict[int, list] = {}
    for page in pages:
        by_type.setdefault(page.content_type_id, []).append(page)
    specific = {}
    for type_id, of_type in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or model is Page:
            specific.update((page.pk, page) for page in of_type)
            continue
        found = model._default_manager.filter(pk__in=[page.pk for page in of_type])
        specific.update((page.pk, page) for page in found)
    return specific


def _page_summary(page) -> str:
    return page.search_description or plain(str(getattr(page, "intro", "") or ""))


def _page_boost(page) -> float:
    # The volunteer hub (depth 3) and its sections before their sub-pages; the home page,
    # which names everything in passing, gets no lift.
    return 0.0 if page.depth < 3 else max(0.0, 0.4 - 0.1 * (page.depth - 3))


def _page_entry(page) -> Entry:
    return Entry(page.title, _page_summary(page), _page_boost(page))


def _page_hits(request, pages):
    site = Site.find_for_request(request)
    specific = _specific(pages)
    hits = []
    for page in pages:
        page = specific.get(page.pk, page)
        if site is not None and not page.path.startswith(site.root_page.path):
            hits.append(None)
            continue
        url = page.get_url(request)
        hits.append(
            Hit(page.title, url, _page_summary(page), boost=_page_boost(page)) if url else None
        )
    return hits


def _page_entry_hits(request, pages, entries):
    """The hits of ``pages`` with their summaries and lifts from their stored entries: the
    specific pages are read only for those the index kept no entry of."""
    missing = [page for page, entry in zip(pages, entries, strict=True) if entry is None]
    made = dict(zip((page.pk for page in missing), _page_hits(request, missing), strict=True))
    site = Site.find_for_request(request)
    hits = []
    for page, entry in zip(pages, entries, strict=True):
        if entry is None:
            hits.append(made[page.pk])
            continue
        if site is not None and not page.path.startswith(site.root_page.path):
            hits.append(None)
            continue
        url = page.get_url(request)
        hits.append(Hit(page.title, url, entry.summary, boost=entry.boost) if url else None)
    return hits


def _snippet_hits(page_model, route, title, text):
    def hits(request, objects):
        # The section's URL from the layout's cache: the section's page is not read (its
        # routes are its class's).
        base = layout.section_url(request, page_model) if objects else ""
        if not base:
            return [None] * len(objects)
        result = []
        for obj in objects:
            url = base + page_model.get_resolver().reverse(route, obj.slug) if route else base
            result.append(Hit(getattr(obj, title), url, plain(str(getattr(obj, text) or ""))))
        return result

    return hits


def _snippet_entry(title, text):
    def entry(obj) -> Entry:
        return Entry(getattr(obj, title), plain(str(getattr(obj, text) or "")))

    return entry


def search_sources():
    from ..models import (
        Association,
        AssociationIndexPage,
        ContactPage,
        ContactPerson,
        Grant,
        GrantIndexPage,
        Idea,
        IdeaCatalogPage,
        Initiative,
    )

    return [
        SearchSource(
            "pages",
            _("Pages"),
            _pages,
            _page_hits,
            order=10,
            entry=_page_entry,
            entry_hits=_page_entry_hits,
        ),
        SearchSource(
            "associations",
            _("Associations"),
            lambda: Association.objects.filter(live=True),
            _snippet_hits(AssociationIndexPage, "association", "name", "purpose"),
            entry=_snippet_entry("name", "purpose"),
            order=20,
        ),
        SearchSource(
            "initiatives",
            _("Initiatives"),
            lambda: Initiative.objects.filter(live=True),
            _snippet_hits(AssociationIndexPage, "association", "name", "description"),
            entry=_snippet_entry("name", "description"),
            order=25,
        ),
        SearchSource(
            "grants",
            _("Grants"),
            lambda: Grant.objects.filter(live=True),
            _snippet_hits(GrantIndexPage, "grant", "name", "summary"),
            entry=_snippet_entry("name", "summary"),
            order=30,
        ),
        SearchSource(
            "ideas",
            _("Ideas"),
            lambda: Idea.objects.filter(live=True),
            _snippet_hits(IdeaCatalogPage, "idea", "title", "description"),
            entry=_snippet_entry("title", "description"),
            order=40,
        ),
        SearchSource(
            "contact_persons",
            _("Contact persons"),
            lambda: ContactPerson.objects.filter(live=True),
            _snippet_hits(ContactPage, None, "name", "role"),
            entry=_snippet_entry("name", "role"),
            order=90,
        ),
    ]
