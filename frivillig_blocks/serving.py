"""What Wagtail asks the database on every page it serves, answered from values kept per
content version (issue #22): the request's site (one query a request in Wagtail, which
keeps it on the request only) and the page's view restrictions (two queries a page, on a
site that has none or none above this page).

Both are kept with ``pagecache.kept``: the page cache's content version, which every
committed write to a site, a page or a view restriction moves (``pagecache.BASE_MODELS``),
so a new site or hostname, a published or moved page and a new restriction count from the
first request after the commit, as they do for the page cache itself. What is kept is plain
data (a site's and its root page's column values, page paths), never model instances; the
cache being down asks Wagtail every time.
"""

from __future__ import annotations

import functools

from django.db import router
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.views import serve as wagtail_serve

from . import pagecache
from .routing import DirectChildRoutingMixin

KEPT_SECONDS = 60 * 60
# The hostnames asked for are the visitor's Host header: a cap on the copies kept per
# window (ALLOWED_HOSTS refuses the others before this middleware in practice).
SITE_COPIES = 50


@functools.cache
def _fields(model) -> tuple[str, ...]:
    """The column values a row of ``model`` is made from, in ``from_db``'s order."""
    return tuple(f.attname for f in model._meta.concrete_fields)


def _site_row(hostname: str, port: int) -> tuple:
    """Wagtail's own answer for (hostname, port) as column values: (site, root page), or
    () for no site."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return ()
    page = site.root_page
    return (
        tuple(getattr(site, name) for name in _fields(Site)),
        tuple(getattr(page, name) for name in _fields(Page)),
    )


def find_site(request) -> Site | None:
    """``Site.find_for_request`` from the kept answer of ``get_site_for_hostname`` (the
    same function Wagtail calls, so the same site), with its root page read as Wagtail
    reads it (``select_related``): new instances each request."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    row = pagecache.kept(
        ("wagtail-site", hostname, port),
        lambda: _site_row(hostname, port),
        KEPT_SECONDS,
        group="wagtail-sites",
        group_limit=SITE_COPIES,
    )
    if not row:
        return None
    site_values, page_values = row
    site = Site.from_db(router.db_for_read(Site), _fields(Site), site_values)
    root = Page.from_db(router.db_for_read(Page), _fields(Page), page_values)
    # Wagtail routes from ``root_page.specific``, a query for the root's own row; routing
    # below the root needs only what the kept row holds, so the specific page is made
    # with its own fields deferred (``get_specific(deferred=True)``, no query), and reads
    # its row when it is the page served (``DirectChildRoutingMixin.route``).
    specific_class = root.specific_class
    if specific_class is not None and issubclass(specific_class, DirectChildRoutingMixin):
        root.specific = root.get_specific(deferred=True)
    site.root_page = root
    return site


class SiteMiddleware:
    """Sets ``request._wagtail_site`` (where ``Site.find_for_request`` keeps its answer)
    from ``find_site`` for the requests Wagtail serves as pages (``wagtail.views.serve``),
    once the URL is resolved: the other views (health checks, the admin, the forms) ask
    Wagtail as before, and never read the cache or the database for it. Install after
    CommonMiddleware (the host is checked against ALLOWED_HOSTS there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = find_site(request)


def _restrictions_known() -> tuple[tuple[str, ...], bool]:
    return (
        tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct()),
        Page.objects.filter(alias_of__isnull=False).exists(),
    )


class KeptRestrictionsMixin:
    """A page whose view restrictions are known to be none without asking: when no
    restricted page is this page or above it, and no page of the tree is an alias (an
    alias takes its source's restrictions, wherever the source is), Wagtail's two queries
    (the ancestors, then their restrictions) are skipped; otherwise Wagtail asks, so a
    restricted page is always checked as Wagtail checks it."""

    def get_view_restrictions(self):
        paths, any_alias = pagecache.kept(("view-restrictions",), _restrictions_known, KEPT_SECONDS)
        if not any_alias and not any(self.path.startswith(path) for path in paths):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
