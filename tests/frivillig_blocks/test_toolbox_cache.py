"""The shared versioned cache namespace (used by the layout and the page cache)."""

from django.core.cache import cache

from frivillig_blocks import layout, pagecache
from frivillig_blocks.cache import VersionedNamespace


def keys_asked(monkeypatch, method: str) -> list:
    """The keys the cache is asked for through ``method`` from now on, in order."""
    asked = []
    original = getattr(cache, method)

    def counting(key, *args, **kwargs):
        asked.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, method, counting)
    return asked


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
    asked = keys_asked(monkeypatch, "get_or_set")
    for path in ("/", "/frivillig/"):
        asked.clear()
        assert client.get(path).status_code == 200
        versions = [key for key in asked if key.endswith(":version")]
        assert versions and len(versions) == len(set(versions)), (path, versions)


def test_a_remembered_value_is_read_from_the_process_copy_until_its_version_moves(monkeypatch):
    """Issue #22: the layout's values cost a dictionary lookup, not a cache round trip each;
    a change (a bump) is seen at once, as the key moves with the version."""
    ns = VersionedNamespace("t:remembered")
    built = []

    def build():
        built.append(1)
        return [f"menu {len(built)}"]

    assert ns.remembered(ns.key("menu"), build, 60) == ["menu 1"]
    asked = keys_asked(monkeypatch, "get")
    assert ns.remembered(ns.key("menu"), build, 60) == ["menu 1"]
    # The version is read (get_or_set reads through get); the value itself is never asked for.
    assert [key for key in asked if key != ns.version_key] == []
    ns.bump()
    assert ns.remembered(ns.key("menu"), build, 60) == ["menu 2"]
    assert len(built) == 2


def test_a_remembered_value_lives_no_longer_than_its_timeout(monkeypatch):
    from frivillig_blocks import cache as versioned

    ns = VersionedNamespace("t:timeout")
    values = iter(["første", "anden"])
    key = ns.key("hvad-sker-der")
    assert ns.remembered(key, lambda: next(values), 300) == "første"
    now = versioned.time.monotonic()
    monkeypatch.setattr(versioned.time, "monotonic", lambda: now + 301)
    cache.delete(key)  # the shared copy has expired too
    assert ns.remembered(key, lambda: next(values), 300) == "anden"


def test_a_lost_version_never_comes_back_as_a_number_a_process_still_holds():
    """A flushed or evicted version starts again at a random number, so the process's
    copies of the old keys are never read again."""
    ns = VersionedNamespace("t:flushed")
    old_key = ns.key("menu")
    assert ns.remembered(old_key, lambda: "gammel", 60) == "gammel"
    versions = set()
    for _ in range(5):
        cache.delete(ns.version_key)
        versions.add(ns.version())
    assert len(versions) == 5
    assert ns.key("menu") != old_key


def test_the_process_copies_are_bounded():
    from frivillig_blocks.cache import LOCAL_ENTRIES, local_copies

    ns = VersionedNamespace("t:bounded")
    for n in range(LOCAL_ENTRIES + 50):
        ns.remembered(ns.key(n), lambda n=n: n, 60)
    assert len(local_copies.entries) <= LOCAL_ENTRIES
    assert ns.remembered(ns.key(LOCAL_ENTRIES + 49), lambda: "ny", 60) == LOCAL_ENTRIES + 49


def test_a_page_asks_the_cache_for_its_layout_once_per_process(client, site_tree, monkeypatch):
    """Issue #22: after the first request, a page's layout (menu, breadcrumbs, the
    municipality's details, the home link) and the hub's own content are read from the
    process's copies: the cache is asked for the versions only, no fragment."""
    assert client.get("/frivillig/").status_code == 200
    asked = keys_asked(monkeypatch, "get")
    html = client.get("/frivillig/").content.decode()
    assert "<h1>Frivillig</h1>" in html
    versions = {layout.NAMESPACE.version_key, pagecache.NAMESPACE.version_key}
    assert [key for key in asked if key not in versions] == []


def test_a_kept_layout_fragment_lives_no_longer_than_its_timeout(rf, site_tree, monkeypatch):
    """``{% layout_fragment … timeout=N %}`` (the hub's content, which moves with the clock):
    read from the kept copy within N seconds, rendered afresh after them."""
    import pytest
    from django.template import Context, Template, TemplateSyntaxError

    from frivillig_blocks import cache as versioned

    template = Template(
        '{% load frivillig_tags %}{% layout_fragment "t-clock" timeout=300 %}{{ n }}'
        "{% endlayout_fragment %}"
    )
    request = rf.get("/frivillig/")

    def render(n):
        return template.render(Context({"request": request, "n": n}))

    assert render(1) == "1"
    assert render(2) == "1"
    now = versioned.time.monotonic()
    monkeypatch.setattr(versioned.time, "monotonic", lambda: now + 301)
    cache.clear()  # the shared copy has expired too (it was stored for 300 s)
    assert render(3) == "3"
    with pytest.raises(TemplateSyntaxError, match="whole seconds"):
        Template(
            '{% load frivillig_tags %}{% layout_fragment "x" timeout=soon %}{% endlayout_fragment %}'
        )
