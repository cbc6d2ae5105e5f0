"""The shared versioned cache namespace (used by the layout and the page cache)."""

from django.core.cache import cache

from frivillig_blocks import layout, pagecache
from frivillig_blocks.cache import VersionedNamespace


def test_a_bump_retires_every_key_of_the_namespace_and_no_other():
    menus, other = VersionedNamespace("t:menus"), VersionedNamespace("t:other")
    cache.set(menus.key("menu", 1, "da"), ["Forside"])
    cache.set(other.key("x"), "bliver")
    assert cache.get(menus.key("menu", 1, "da")) == ["Forside"]
    menus.bump()
    assert cache.get(menus.key("menu", 1, "da")) is None
    assert cache.get(other.key("x")) == "bliver"
    assert menus.key("a", 2, version=7) == "t:menus:7:a:2"


def test_a_bump_after_the_version_was_evicted_still_retires_the_old_keys():
    ns = VersionedNamespace("t:evicted")
    old = ns.key("side")
    cache.set(old, "gammel")
    cache.delete(ns.version_key)
    ns.bump()
    assert ns.key("side") != old


def test_layout_and_page_cache_each_have_their_own_namespace():
    before_layout, before_pages = layout.version(), pagecache.version()
    layout.bump_version()
    assert layout.version() == before_layout + 1
    assert pagecache.version() == before_pages
    pagecache._bump()
    assert pagecache.version() == before_pages + 1


def test_a_request_reads_each_version_once_and_sees_its_own_bump():
    from frivillig_blocks import cache as versioned

    ns = VersionedNamespace("t:memo")
    versioned._open_memo()  # what request_started does
    try:
        first = ns.version()
        cache.incr(ns.version_key)  # another process's change during the request
        assert ns.version() == first  # read once per request
        ns.bump()  # this request's own change is seen at once
        assert ns.version() == first + 2
    finally:
        versioned._close_memo()  # what request_finished does
    assert ns.version() == first + 2  # outside a request, every call reads the cache
    cache.incr(ns.version_key)
    assert ns.version() == first + 3


def test_a_page_asks_the_cache_for_each_version_once(client, site_tree, monkeypatch):
    """Issue #22: the layout's fragments each read the layout's version; within a request
    the cache is asked once per namespace."""
    asked = []
    original = cache.get_or_set

    def counting(key, *args, **kwargs):
        asked.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_or_set", counting)
    for path in ("/", "/frivillig/"):
        asked.clear()
        assert client.get(path).status_code == 200
        versions = [key for key in asked if key.endswith(":version")]
        assert versions and len(versions) == len(set(versions)), (path, versions)
