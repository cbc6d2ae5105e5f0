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
