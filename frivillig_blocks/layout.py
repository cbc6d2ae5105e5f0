"""What every page's layout shows (the main menu, the municipality's details) computed once
and cached per site and language, so a page costs little more than its own content.

The cache holds plain data (titles, URLs, strings), never model instances (the section
pages' rows, ``section_row``, are kept in each process alone). Any change to a page, a site
or the municipality's settings bumps one version number, which retires every cached layout
at once (see receivers.py)."""

from __future__ import annotations

import copy
import hashlib

from django.utils import translation
from wagtail.models import Page, Site

from .cache import VersionedNamespace
from .conf import app_settings

NAMESPACE = VersionedNamespace("frivillig:layout")
TIMEOUT = 60 * 60


def bump_version() -> None:
    NAMESPACE.bump()


def version() -> int:
    """Changes whenever a page, a site or the settings change (for template fragment keys)."""
    return NAMESPACE.version()


def digest(text: str) -> str:
    """A short fixed-length name for ``text`` in a key."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _key(name: str, site: Site) -> str:
    return NAMESPACE.key(name, site.pk, translation.get_language())


def site_for(request) -> Site | None:
    """The request's site; without a request (mail from a task), the default site."""
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)


def children(page) -> dict[str, tuple[int, int]]:
    """``slug -> (content type id, pk)`` of a page's children, cached per page (any change
    to a page retires it). A hint for ``routing.DirectChildRoutingMixin``, which checks what
    it reads against the row, so a stale entry can never route wrongly."""

    def build():
        return {
            slug: (content_type_id, pk)
            for slug, content_type_id, pk in page.get_children().values_list(
                "slug", "content_type_id", "pk"
            )
        }

    return NAMESPACE.remembered(NAMESPACE.key("children", page.pk), build, TIMEOUT)


def section_row(model, pk: int):
    """A copy of the page ``pk`` of ``model`` as read from the database, or None: kept in
    this process (never in the shared cache) per layout version (any page saved, published, moved or deleted) and content version (any
    committed change a public page can show, so a row read while a change was being
    committed is never kept past it). For the few pages that route to others (the hub, the
    sections with routes of their own): routing through them reads no row (issue #22).
    Each request gets its own copy, so what a request sets on its page stays its own."""
    from . import pagecache

    row = NAMESPACE.kept_here(
        NAMESPACE.key("section-row", pk, pagecache.version()),
        lambda: model.objects.filter(pk=pk).first(),
        TIMEOUT,
    )
    return copy.copy(row) if row is not None else None


def main_menu(request) -> list[dict]:
    """The main menu: the editors' items (Settings → Main menu) that are live, or, when
    they chose none, the site root's live children that are in the menu. Title, url and
    tree path (the path marks the item of the page one is on)."""
    from .models import MainMenuSettings

    site = site_for(request)
    if site is None:
        return []

    def build():
        # Read, never made here (``for_site`` would save a row, and a write retires the
        # page cache).
        menu = MainMenuSettings.objects.filter(site=site).first()
        chosen = [
            (item.value["page"], item.value["title"])
            for item in (menu.items if menu else ())
            if item.value["page"] is not None
        ]
        if chosen:
            live = Page.objects.live().in_bulk([page.pk for page, _title in chosen])
            pages = [(live[page.pk], title) for page, title in chosen if page.pk in live]
        else:
            root = Page.objects.only("path", "depth").get(pk=site.root_page_id)
            children = root.get_children().live().in_menu()
            pages = [
                (child, "") for child in children.only("id", "title", "url_path", "path", "depth")
            ]
        return [
            {"title": title or page.title, "url": page.get_url(request), "path": page.path}
            for page, title in pages
        ]

    return NAMESPACE.remembered(_key("menu", site), build, TIMEOUT)


def breadcrumbs(request, page) -> list[dict]:
    """Title and url of the site's root page and every live ancestor down to ``page``
    (cached per page: titles change only with a publish, which retires the layout)."""
    site = site_for(request)
    if site is None:
        return []

    def build():
        root = Page.objects.only("path", "depth").get(pk=site.root_page_id)
        if not page.path.startswith(root.path):
            return []
        trail = (
            Page.objects.ancestor_of(page, inclusive=True)
            .filter(depth__gte=root.depth)
            .only("id", "title", "url_path", "path", "depth", "live")
            .order_by("depth")
        )
        return [
            {"title": p.title, "url": p.get_url(request)}
            for p in trail
            if p.live or p.pk == page.pk
        ]

    return NAMESPACE.remembered(_key(f"crumbs:{page.pk}", site), build, TIMEOUT)


def section_url(request, model) -> str:
    """The URL of ``model``'s section page (its first live page in the tree, see
    ``links.section_page``) as ``page.get_url(request)`` gives it, or ``""`` while there is
    none; cached per site and language, so the site search links its hits into a section
    without reading the section's page (any page change retires it with the layout)."""
    from .links import section_page

    def build():
        page = section_page(model)
        return (page.get_url(request) or "") if page is not None else ""

    site = site_for(request)
    if site is None:
        return build()
    return NAMESPACE.remembered(_key(f"section:{model._meta.label_lower}", site), build, TIMEOUT)


WHATS_ON_SECONDS = 5 * 60


def whats_on(request, limit: int) -> list:
    """The panels of "what is on now" (``hooks.WHATS_ON``), cached per site, language and
    content version (any committed change a public page can show retires them, see
    pagecache.py) and for at most five minutes, as the next event moves with the clock."""
    from . import hooks, pagecache

    site = site_for(request)
    if site is None:
        return []
    return NAMESPACE.remembered(
        _key(f"whats_on:{limit}:{pagecache.version()}", site),
        lambda: hooks.whats_on(request, limit),
        WHATS_ON_SECONDS,
    )


def home_url(request) -> str:
    site = site_for(request)
    if site is None:
        return "/"
    return NAMESPACE.remembered(
        _key("home", site),
        lambda: Page.objects.get(pk=site.root_page_id).get_url(request) or "/",
        TIMEOUT,
    )


def municipality(request) -> dict:
    """The municipality's details from its site settings, with the accessibility statement's
    URL resolved."""
    from .models import MunicipalitySettings

    site = site_for(request)
    if site is None:
        return {}

    def build():
        settings_ = MunicipalitySettings.for_site(site)
        statement = settings_.accessibility_statement
        return {
            "name": settings_.name,
            "address": settings_.address,
            "phone": settings_.phone,
            # The one volunteer address (FRIVILLIG_EMAIL), as on the contact page: its mail
            # reaches the inbox; one setting, so the footer and that page never disagree.
            "email": app_settings.EMAIL,
            "opening_hours": settings_.opening_hours,
            "website": settings_.website,
            "accessibility_statement_url": statement.get_url(request)
            if statement and statement.live
            else "",
            "logo_url": settings_.logo.get_rendition("height-96").url if settings_.logo else "",
            "has_colours": bool(settings_.stylesheet()),
        }

    return NAMESPACE.remembered(_key("municipality", site), build, TIMEOUT)
