"""A page cache for anonymous visitors that stays correct.

Public pages are served from the cache (Redis in production) to visitors who carry no
session, so a newsletter's rush costs one cache lookup per request instead of the page's
queries. Correctness comes from one *content version*: every committed write to a model that
can show on a public page (pages, snippets, images, the apps' data, settings) bumps it, and
the version is part of every key, so a published change is served on the very next request.
Writes that bypass signals (``QuerySet.update``) are bounded by the timeout.

What is cached: GET and HEAD answered 200, for a request without a session or messages
cookie, outside the paths that are personal or operational, when the response sets no cookie
(a page with a form sets the CSRF cookie and is therefore never cached), is not streamed and
does not say ``private``/``no-store``. Cached responses carry an ETag and a Last-Modified and
``Cache-Control: no-cache``, so browsers and proxies revalidate and get a 304 when nothing
changed (``django.middleware.http.ConditionalGetMiddleware`` answers that).

Why our own and not wagtail-cache: wagtail-cache sends the server-side timeout as the
browser's ``max-age`` (a visitor would keep a stale page after a publish), clears by
flushing the whole cache database (rate limits and sessions with it) and invalidates on
page publish only, not on the apps' data that public pages list.

Settings: ``FRIVILLIG_PAGE_CACHE_SECONDS`` (0 turns the cache off; production sets 300) and
``FRIVILLIG_PAGE_CACHE_EXCLUDE`` (path prefixes never cached).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.http import http_date

logger = logging.getLogger(__name__)

VERSION_KEY = "frivillig:pagecache:version"
DEFAULT_EXCLUDE = (
    "/admin/",
    "/konto/",
    "/mine-sider/",
    "/anymail/",
    "/healthz",
    "/readyz",
    "/i18n/",
    "/en/konto/",
    "/en/mine-sider/",
)
# Apps whose rows never show on a public page: writing them must not retire the cache.
UNCACHED_APPS = frozenset(
    {
        "sessions",
        "admin",
        "contenttypes",
        "django_tasks_database",
        "account",
        "socialaccount",
        "wagtailsearch",
        "henvendelser",
    }
)
UNCACHED_MODELS = frozenset(
    {
        "frivillig_blocks.outboundmessage",
        "frivillig_blocks.inboundmessage",
        "frivillig_blocks.periodicrun",
        # The follow-up's records that no public page shows (the figures page reads them
        # only through aggregates, and answers must not empty the cache one by one).
        "frivillig_blocks.feedback",
        "frivillig_blocks.contactpreference",
        "frivillig_blocks.thememeetinginvitation",
        "frivillig_blocks.followupnote",
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.taskstate",
        "wagtailcore.workflowstate",
        "auth.user",
    }
)


def timeout() -> int:
    return settings.FRIVILLIG_PAGE_CACHE_SECONDS


def version() -> int:
    try:
        return cache.get_or_set(VERSION_KEY, 1, None)
    except Exception:  # the cache being down must not take the site down
        logger.exception("page cache: version unavailable")
        return 0


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    except Exception:
        logger.exception("page cache: could not retire the cached pages")


def content_changed(sender=None, **kwargs) -> None:
    """Retire every cached page once the current transaction commits (once per transaction)."""
    if sender is not None and hasattr(sender, "_meta"):
        meta = sender._meta
        if meta.app_label in UNCACHED_APPS or meta.label_lower in UNCACHED_MODELS:
            return
    if any(entry[1] is _bump for entry in connection.run_on_commit):
        return  # already retiring them when this transaction commits
    transaction.on_commit(_bump)


def _excluded(path: str) -> bool:
    prefixes = settings.FRIVILLIG_PAGE_CACHE_EXCLUDE
    return any(path.startswith(prefix) for prefix in prefixes)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or _excluded(request.path):
        return False
    personal = (settings.SESSION_COOKIE_NAME, "messages")
    return not any(name in request.COOKIES for name in personal)


def _cacheable_response(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _key(request, content_version: int) -> str:
    host = request.get_host()
    digest = hashlib.sha256(f"{host}|{request.get_full_path()}".encode()).hexdigest()
    return f"frivillig:pagecache:{content_version}:{digest}"


def _without_body_for_head(request, response):
    """A HEAD answer carries the GET's headers and no body (the stored copy keeps its body)."""
    if request.method == "HEAD":
        response.content = b""
    return response


class PageCacheMiddleware:
    """Place it after the session-free middleware (security, WhiteNoise) and before
    SessionMiddleware; ``ConditionalGetMiddleware`` above it answers revalidations with 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = timeout()
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, version())
        try:
            cached = cache.get(key)
        except Exception:
            logger.exception("page cache: lookup failed")
            cached = None
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return _without_body_for_head(request, cached)
        response = self.get_response(request)
        if not _cacheable_response(response):
            return response
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        response.setdefault("Last-Modified", http_date())
        response["Cache-Control"] = "no-cache"
        try:
            cache.set(key, response, seconds)
        except Exception:
            logger.exception("page cache: store failed")
        response["X-Page-Cache"] = "miss"
        return _without_body_for_head(request, response)
