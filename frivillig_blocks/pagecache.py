"""A page cache for anonymous visitors that stays correct.

Public pages are served from the cache (Redis in production) to visitors who carry no
session, so a newsletter's rush costs one cache lookup per request instead of the page's
queries. Correctness comes from one *content version*: every committed write to a model that
can show on a public page bumps it, and
the version is part of every key, so a published change is served on the very next request.
Writes that bypass signals (``QuerySet.update``) are bounded by the timeout.

The cache is opt-in per model: pages, site settings, snippets, images and documents always
count; every other model counts when its app registers it with the ``PAGE_CACHE_MODELS``
hook (hooks.py), in its ``wagtail_hooks.py``. A model nobody registers (a feedback answer, an
inbound mail, a session) never empties the cache. An app that shows a model on a public page
and forgets to register it serves that page stale for up to the timeout.

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

The key holds only the query parameters the page *read* (issue #18): the middleware hands
the view a ``request.GET`` that notes every parameter the view or its template looks up, the
names are kept per path, and a request's key is its path plus the values of exactly those
names. A parameter no page reads (``?utm_source=…``, ``?x=<random>``) therefore does not make
a new copy; it cannot bypass the cache or grow it. A page that reads the whole query (iterates
it, copies it, ``urlencode()``) is keyed on the whole query. Why this is correct: a stored copy
is found only by a request that agrees with it on every parameter its rendering read, so the
view, run again, would take the same path and read the same values.

Bounded use of the cache: each path keeps at most ``FRIVILLIG_PAGE_CACHE_VARIANTS`` copies
with a query string per window of ``FRIVILLIG_PAGE_CACHE_SECONDS``, and the whole cache at
most ``FRIVILLIG_PAGE_CACHE_MAX_ENTRIES`` new copies per window (so at most twice that is
alive at any time: the entries expire one window after they are written). Beyond a cap the
page is served uncached. Other cost-bounded caches (the calendar's PDF programme) store
through ``store()`` and share the same cap.

Settings: ``FRIVILLIG_PAGE_CACHE_SECONDS`` (0 turns the cache off; production sets 300),
``FRIVILLIG_PAGE_CACHE_EXCLUDE`` (path prefixes never cached),
``FRIVILLIG_PAGE_CACHE_VARIANTS`` (copies per path with a query string; 50) and
``FRIVILLIG_PAGE_CACHE_MAX_ENTRIES`` (new copies per window in all; 5000).
"""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import QueryDict
from django.utils.http import http_date

from .cache import _MISSING, VersionedNamespace, local_copies
from .conf import app_settings

logger = logging.getLogger(__name__)

PREFIX = "frivillig:pagecache"
NAMESPACE = VersionedNamespace(PREFIX)
#: The base's own models that public pages show, and Wagtail's (pages, site settings and
#: snippets are recognised by their class, images and documents through Wagtail's getters).
#: Registered through ``hooks.PAGE_CACHE_MODELS`` like every app's (wagtail_hooks.py).
BASE_MODELS = (
    "frivillig_blocks.Association",
    "frivillig_blocks.AssociationMembership",
    "frivillig_blocks.ContactPerson",
    "frivillig_blocks.Grant",
    "frivillig_blocks.Idea",
    "frivillig_blocks.Initiative",
    "frivillig_blocks.Place",
    "frivillig_blocks.AgeGroup",
    "frivillig_blocks.Theme",
    "frivillig_blocks.Topic",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.Collection",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "taggit",
)


def base_models() -> list:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    return [*BASE_MODELS, get_image_model(), get_document_model()]


@functools.cache
def _registered() -> frozenset[str]:
    """Lower-case labels ("app_label.model") and whole apps ("app_label") whose writes
    retire the cache: what the installed apps registered, and every snippet."""
    from wagtail import hooks as wagtail_hooks
    from wagtail.snippets.models import get_snippet_models

    from .hooks import PAGE_CACHE_MODELS

    found = set()
    for fn in wagtail_hooks.get_hooks(PAGE_CACHE_MODELS):
        for entry in fn() or ():
            found.add(entry._meta.label_lower if hasattr(entry, "_meta") else str(entry).lower())
    found.update(model._meta.label_lower for model in get_snippet_models())
    return frozenset(found)


def shows_on_public_pages(model) -> bool:
    """Whether a write to ``model`` can change a public page: a page, a site setting, a
    snippet, or a model an installed app registered (an automatic many-to-many table
    follows its model)."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page

    owner = model._meta.auto_created or model
    if issubclass(owner, (Page, BaseSiteSetting, BaseGenericSetting)):
        return True
    meta = owner._meta
    registered = _registered()
    return meta.label_lower in registered or meta.app_label in registered


def timeout() -> int:
    return app_settings.PAGE_CACHE_SECONDS


def version() -> int:
    return NAMESPACE.version()


def _bump() -> None:
    NAMESPACE.bump()


def content_changed(sender=None, **kwargs) -> None:
    """Retire every cached page once the current transaction commits (once per transaction),
    when the write can show on a public page (``shows_on_public_pages``)."""
    if sender is not None and hasattr(sender, "_meta") and not shows_on_public_pages(sender):
        return
    if any(entry[1] is _bump for entry in connection.run_on_commit):
        return  # already retiring them when this transaction commits
    transaction.on_commit(_bump)


def _excluded(path: str) -> bool:
    prefixes = app_settings.PAGE_CACHE_EXCLUDE
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


# What a rendering read of the query: parameter names, and two pseudo-names for "is there any
# parameter" (bool) and "how many" (len); ALL when it read the query as a whole.
ANY = "\x00any"
COUNT = "\x00count"
ALL = "\x00all"


class ReadingQueryDict(QueryDict):
    """``request.GET`` as the view sees it: a QueryDict that notes what is read. A copy
    (forms copy their data to clean it) is mutable and notes into the same set."""

    def __init__(self, source: QueryDict, reads: set, *, mutable: bool = False):
        super().__init__(mutable=True, encoding=source.encoding)
        for name, values in dict.items(source):
            super().setlist(name, list(values))
        self._mutable = mutable
        self.reads = reads

    def _read(self, name):
        self.reads.add(name if isinstance(name, str) else ALL)

    def _read_all(self):
        self.reads.add(ALL)

    def __getitem__(self, key):
        self._read(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._read(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._read(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._read(key)
        return super().getlist(key, default)

    def __bool__(self):
        self.reads.add(ANY)
        return super().__len__() > 0

    def __len__(self):
        self.reads.add(COUNT)
        return super().__len__()

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def values(self):
        self._read_all()
        return super().values()

    def items(self):
        self._read_all()
        return super().items()

    def lists(self):
        self._read_all()
        return super().lists()

    def dict(self):
        self._read_all()
        return super().dict()

    def urlencode(self, safe=None):
        self._read_all()
        return QueryDict.urlencode(self, safe)

    def copy(self):
        return ReadingQueryDict(self, self.reads, mutable=True)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        self._read_all()
        return (QueryDict, (QueryDict.urlencode(self),))


def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _path_id(request) -> str:
    return _hash(request.get_host(), request.path)


def _reads_key(request, content_version: int) -> str:
    return NAMESPACE.key("reads", _path_id(request), version=content_version)


def _query(request) -> QueryDict:
    return QueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)


def _key(request, content_version: int, reads=None) -> str:
    """The copy's key: the path alone without a query string (nothing to read), else the
    path, the names read and the request's values of them."""
    query = _query(request)
    if not query:
        return NAMESPACE.key(_path_id(request), version=content_version)
    reads = frozenset(reads or ())
    if ALL in reads:
        parts = [f"{name}={value}" for name, values in sorted(query.lists()) for value in values]
        parts.insert(0, ALL)
    else:
        parts = []
        for name in sorted(reads):
            if name == ANY:
                parts.append(f"{ANY}={bool(query)}")
            elif name == COUNT:
                parts.append(f"{COUNT}={len(query)}")
            else:
                parts.append(f"{name}={query.getlist(name)!r}")
    return NAMESPACE.key(_path_id(request), _hash(*parts), version=content_version)


def _known_reads(request, content_version: int) -> frozenset:
    try:
        return frozenset(cache.get(_reads_key(request, content_version)) or ())
    except Exception:
        logger.exception("page cache: lookup failed")
        return frozenset()


def _admit(counter: str, limit: int, seconds: int) -> bool:
    """Count one more entry in a window of ``seconds``; False once ``limit`` is reached (and
    a warning, once per window, when it is)."""
    cache.add(counter, 0, seconds)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr: a new window
        cache.add(counter, 1, seconds)
        return True
    if count == limit + 1:
        logger.warning("page cache: %s reached its limit of %d in this window", counter, limit)
    return count <= limit


def store(key: str, value, seconds: int, *, group: str = "", group_limit: int = 0) -> bool:
    """Store one entry for ``seconds`` under the cache-wide cap of new entries per window of
    the page cache (used by the page cache and by other caches of rendered output, such as
    the calendar's PDF programme and its feed). With ``group``, the entry also counts
    against that group's own cap: ``group_limit`` (else ``FRIVILLIG_PAGE_CACHE_VARIANTS``)
    new entries per ``seconds``, so at most twice that many of the group are alive at any
    time however long they live (the copies of one feed with different filters)."""
    limit = app_settings.PAGE_CACHE_MAX_ENTRIES
    try:
        if group and not _admit(
            f"{PREFIX}:variants:{group}",
            group_limit or app_settings.PAGE_CACHE_VARIANTS,
            seconds,
        ):
            return False
        if not _admit(f"{PREFIX}:entries", limit, timeout() or seconds):
            return False
        cache.set(key, value, seconds)
        return True
    except Exception:
        logger.exception("page cache: store failed")
        return False


def kept(parts: tuple, build, seconds: int, *, group: str = "", group_limit: int = 0):
    """A value built from what public pages show, kept until the content version moves
    (issue #22): the same version as the page cache's, so it is never older than the data,
    whether the page cache is on or off. ``parts`` name the value (what it depends on
    besides the content: the page, the language, the parsed filters); ``build()`` makes it
    when this version has none yet, and it is stored through ``store()`` under the same caps
    (``group``: a page's own cap of copies), and copied in the process as the layout's
    values are (``cache.VersionedNamespace.remembered``). The cache being down builds it
    every time."""
    digest = _hash(repr(tuple(parts)))
    try:
        key = NAMESPACE.key("kept", digest)
        value = local_copies.get(key)
        if value is not _MISSING:
            return value
        value = cache.get(key)
    except Exception:  # the cache being down must not take the page down
        logger.exception("page cache: lookup of a kept value failed")
        return build()
    if value is None:
        value = build()
        if not store(key, value, seconds, group=group, group_limit=group_limit):
            return value  # over a cap: for this request only
    local_copies.set(key, value, seconds)
    return value


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
        content_version = version()
        has_query = bool(request.META.get("QUERY_STRING"))
        known = _known_reads(request, content_version) if has_query else frozenset()
        key = _key(request, content_version, known)
        try:
            cached = cache.get(key)
        except Exception:
            logger.exception("page cache: lookup failed")
            cached = None
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return _without_body_for_head(request, cached)
        reads: set = set()
        request.GET = ReadingQueryDict(_query(request), reads)
        response = self.get_response(request)
        if not _cacheable_response(response):
            return response
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if has_query:
            # Keyed on every name any rendering of this path read (the union only grows
            # within a content version), and counted against the path's cap of variants.
            reads = known | reads
            key = _key(request, content_version, reads)
            variants = app_settings.PAGE_CACHE_VARIANTS
            if reads != known and not store(
                _reads_key(request, content_version), sorted(reads), seconds
            ):
                return response
            try:
                admitted = _admit(f"{PREFIX}:variants:{_path_id(request)}", variants, seconds)
            except Exception:
                logger.exception("page cache: store failed")
                admitted = False
            if not admitted:
                return response
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        response.setdefault("Last-Modified", http_date())
        response["Cache-Control"] = "no-cache"
        if store(key, response, seconds):
            response["X-Page-Cache"] = "miss"
        return _without_body_for_head(request, response)
