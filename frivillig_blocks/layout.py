"""What every page's layout shows (the main menu, the municipality's details) computed once
and cached per site and language, so a page costs little more than its own content.

The cache holds plain data (titles, URLs, strings), never model instances. Any change to a
page, a site or the municipality's settings bumps one version number, which retires every
cached layout at once (see receivers.py)."""

from __future__ import annotations

from django.core.cache import cache
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


def _key(name: str, site: Site) -> str:
    return NAMESPACE.key(name, site.pk, translation.get_language())


def site_for(request) -> Site | None:
    """The request's site; without a request (mail from a task), the default site."""
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)


def main_menu(request) -> list[dict]:
    """The site root's live children that are in the menu: title, url and tree path."""
    site = site_for(request)
    if site is None:
        return []
    key = _key("menu", site)
    items = cache.get(key)
    if items is None:
        root = Page.objects.only("path", "depth").get(pk=site.root_page_id)
        children = (
            root.get_children().live().in_menu().only("id", "title", "url_path", "path", "depth")
        )
        items = [
            {"title": child.title, "url": child.get_url(request), "path": child.path}
            for child in children
        ]
        cache.set(key, items, TIMEOUT)
    return items


def home_url(request) -> str:
    site = site_for(request)
    if site is None:
        return "/"
    key = _key("home", site)
    url = cache.get(key)
    if url is None:
        url = Page.objects.get(pk=site.root_page_id).get_url(request) or "/"
        cache.set(key, url, TIMEOUT)
    return url


def municipality(request) -> dict:
    """The municipality's details from its site settings, with the accessibility statement's
    URL resolved."""
    from .models import MunicipalitySettings

    site = site_for(request)
    if site is None:
        return {}
    key = _key("municipality", site)
    details = cache.get(key)
    if details is None:
        settings_ = MunicipalitySettings.for_site(site)
        statement = settings_.accessibility_statement
        details = {
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
        }
        cache.set(key, details, TIMEOUT)
    return details
