"""A versioned cache namespace: every key carries the namespace's current version, so one
``bump()`` retires all of its entries at once (no key listing, no delete loop).

The version lives in the cache itself with no expiry. The cache being down never takes
a page down: ``version()`` then answers 0 and ``bump()`` logs and gives up."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


class VersionedNamespace:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.version_key = f"{prefix}:version"

    def version(self) -> int:
        try:
            return cache.get_or_set(self.version_key, 1, None)
        except Exception:  # the cache being down must not take the site down
            logger.exception("cache %s: version unavailable", self.prefix)
            return 0

    def key(self, *parts: object, version: int | None = None) -> str:
        """``<prefix>:<version>:<parts joined by :>``; ``version`` when the caller already
        read it (one read per request)."""
        current = self.version() if version is None else version
        return ":".join([self.prefix, str(current), *(str(p) for p in parts)])

    def bump(self) -> None:
        """Retire every entry of the namespace."""
        try:
            cache.incr(self.version_key)
        except ValueError:  # no version yet (or evicted): start above the default
            cache.set(self.version_key, 2, None)
        except Exception:
            logger.exception("cache %s: could not retire the entries", self.prefix)
