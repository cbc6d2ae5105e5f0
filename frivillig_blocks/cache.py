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


class VersionedNamespace:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.version_key = f"{prefix}:version"

    def version(self) -> int:
        memo = _memo()
        if memo is not None and self.version_key in memo:
            return memo[self.version_key]
        try:
            current = cache.get_or_set(self.version_key, 1, None)
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
        except ValueError:  # no version yet (or evicted): start above the default
            cache.set(self.version_key, 2, None)
        except Exception:
            logger.exception("cache %s: could not retire the entries", self.prefix)
