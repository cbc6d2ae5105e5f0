"""A versioned cache namespace: every key carries the namespace's current version, so one
``bump()`` retires all of its entries at once (no key listing, no delete loop).

The version lives in the cache itself with no expiry. The cache being down never takes
a page down: ``version()`` then answers 0 and ``bump()`` logs and gives up.

Within one request a namespace's version is read from the cache once (issue #22: a page
asked Redis for the same versions six times, a round trip and a new client each): the
versions read are kept until the request finishes (``request_started`` and
``request_finished`` open and close the memo), and a ``bump()`` in the request drops its
namespace's. Outside a request (tasks, the shell) every call reads the cache. A change
committed by another process during a request shows from the next request on, as a
request reads its page's data once anyway."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)

_request = Local()


def _open_memo(**kwargs) -> None:
    _request.versions = {}


def _close_memo(**kwargs) -> None:
    _request.versions = None


request_started.connect(_open_memo, dispatch_uid="frivillig_blocks.cache.open_memo")
request_finished.connect(_close_memo, dispatch_uid="frivillig_blocks.cache.close_memo")


def _memo() -> dict | None:
    return getattr(_request, "versions", None)


def _first_version() -> int:
    """A new namespace's version: random, far below the 64-bit limit of Redis's INCR."""
    return secrets.randbelow(2**48) + 1


LOCAL_ENTRIES = 512
_MISSING = object()


class _LocalCopies:
    """The process's copies of versioned values: key -> (expires at, value), least recently
    used first out. Thread-safe (gunicorn's threads share it)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return _MISSING
            if found[0] < time.monotonic():
                del self.entries[key]
                return _MISSING
            self.entries.move_to_end(key)
            return found[1]

    def set(self, key: str, value, timeout: float) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + timeout, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local_copies = _LocalCopies(LOCAL_ENTRIES)


class VersionedNamespace:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.version_key = f"{prefix}:version"

    def version(self) -> int:
        memo = _memo()
        if memo is not None and self.version_key in memo:
            return memo[self.version_key]
        try:
            current = cache.get_or_set(self.version_key, _first_version, None)
        except Exception:  # the cache being down must not take the site down
            logger.exception("cache %s: version unavailable", self.prefix)
            return 0
        if memo is not None:
            memo[self.version_key] = current
        return current

    def key(self, *parts: object, version: int | None = None) -> str:
        """``<prefix>:<version>:<parts joined by :>``; ``version`` when the caller already
        read it (one read per request)."""
        current = self.version() if version is None else version
        return ":".join([self.prefix, str(current), *(str(p) for p in parts)])

    def bump(self) -> None:
        """Retire every entry of the namespace."""
        memo = _memo()
        if memo is not None:
            memo.pop(self.version_key, None)
        try:
            cache.incr(self.version_key)
        except ValueError:  # no version yet (or evicted): a new random one
            cache.set(self.version_key, _first_version(), None)
        except Exception:
            logger.exception("cache %s: could not retire the entries", self.prefix)

    def remembered(self, key: str, build, timeout: float):
        """The value under ``key`` (made with ``key()``): this process's copy, else the
        cache's (then copied), else ``build()`` stored in both for ``timeout`` seconds. A
        ``build()`` answering None is not kept. The cache being down builds it."""
        value = local_copies.get(key)
        if value is not _MISSING:
            return value
        try:
            value = cache.get(key)
        except Exception:  # the cache being down must not take the page down
            logger.exception("cache %s: lookup failed", self.prefix)
            return build()
        if value is None:
            value = build()
            if value is None:
                return None
            try:
                cache.set(key, value, timeout)
            except Exception:
                logger.exception("cache %s: store failed", self.prefix)
        local_copies.set(key, value, timeout)
        return value

    def kept_here(self, key: str, build, timeout: float):
        """The value under ``key`` from this process's copy, else ``build()`` kept there
        alone for ``timeout`` seconds: for what the shared cache must not hold (a model
        instance). A ``build()`` answering None is not kept."""
        value = local_copies.get(key)
        if value is _MISSING:
            value = build()
            if value is not None:
                local_copies.set(key, value, timeout)
        return value
