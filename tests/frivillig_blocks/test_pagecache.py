"""The anonymous page cache keys only on the query parameters a page reads, and its use of
the cache (Redis in production) is bounded (issue #18, item 7: 200 requests with junk
parameters used to add 200 copies of one page)."""

import pathlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from frivillig_blocks import pagecache
from frivillig_blocks.models import AssociationIndexPage


@pytest.fixture
def page_cache(settings):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    return settings


@pytest.fixture
def directory(site_tree, association_factory):
    page = site_tree.hub.specific.add_child(
        instance=AssociationIndexPage(title="Foreninger", slug="foreninger")
    )
    association_factory(name="Strandens Venner")
    association_factory(name="Havnens Roklub")
    return page


def page_cache_keys() -> set:
    # The test settings use the local-memory cache; its keys are the made (prefixed) keys.
    return {key for key in cache._cache if "pagecache" in key and "version" not in key}


@pytest.mark.django_db
def test_200_requests_with_junk_parameters_add_a_bounded_number_of_keys(page_cache, site_tree):
    visitor = Client()
    assert visitor.get("/frivillig/om/")["X-Page-Cache"] == "miss"
    before = page_cache_keys()
    statuses = [
        visitor.get("/frivillig/om/", {f"junk{n}": "x" * 100, "utm_source": n}) for n in range(200)
    ]
    assert all(response.status_code == 200 for response in statuses)
    added = page_cache_keys() - before
    # One copy for "with a query string" and the cap's counters; not one per request.
    assert len(added) <= 4, sorted(added)
    assert sum(response.get("X-Page-Cache") == "hit" for response in statuses) >= 199


@pytest.mark.django_db
def test_junk_parameters_on_a_filtered_page_share_the_filters_copy(page_cache, directory):
    visitor = Client()
    strand = visitor.get("/frivillig/foreninger/", {"q": "Strand"})
    assert strand["X-Page-Cache"] == "miss"
    html = strand.content.decode()
    assert "Strandens Venner" in html and "Havnens Roklub" not in html
    before = page_cache_keys()
    for n in range(50):
        again = visitor.get("/frivillig/foreninger/", {"q": "Strand", f"x{n}": n})
        assert again["X-Page-Cache"] == "hit"
        assert again.content == strand.content
    assert page_cache_keys() == before


@pytest.mark.django_db
def test_a_real_filter_still_caches_per_filter(page_cache, directory):
    visitor = Client()
    strand = visitor.get("/frivillig/foreninger/", {"q": "Strand"})
    havn = visitor.get("/frivillig/foreninger/", {"q": "Havn"})
    assert strand["X-Page-Cache"] == havn["X-Page-Cache"] == "miss"
    assert "Havnens Roklub" in havn.content.decode()
    assert "Strandens Venner" not in havn.content.decode()
    assert visitor.get("/frivillig/foreninger/", {"q": "Havn"}).content == havn.content
    assert visitor.get("/frivillig/foreninger/", {"q": "Havn"})["X-Page-Cache"] == "hit"
    unfiltered = visitor.get("/frivillig/foreninger/")
    assert unfiltered["X-Page-Cache"] == "miss"
    html = unfiltered.content.decode()
    assert "Havnens Roklub" in html and "Strandens Venner" in html


@pytest.mark.django_db
def test_a_path_keeps_a_bounded_number_of_filtered_copies(page_cache, directory):
    page_cache.FRIVILLIG_PAGE_CACHE_VARIANTS = 5
    visitor = Client()
    visitor.get("/frivillig/foreninger/")
    before = page_cache_keys()
    responses = [visitor.get("/frivillig/foreninger/", {"q": f"søg {n}"}) for n in range(30)]
    assert all(response.status_code == 200 for response in responses)
    # Five copies, the names the page reads and the path's counter; and the directory's
    # kept results (views.py), bounded by the same number, with their own counter.
    added = page_cache_keys() - before
    kept = {key for key in added if ":kept:" in key or ":variants:directory:" in key}
    assert len(added - kept) <= 5 + 2
    assert len(kept) <= 5 + 1
    assert sum(r.get("X-Page-Cache") == "miss" for r in responses) == 5
    # Beyond the cap the page is still served, only not stored.
    assert "Strandens Venner" not in responses[-1].content.decode()


@pytest.mark.django_db
def test_the_cache_stores_a_bounded_number_of_entries_in_all(page_cache, site_tree):
    # Four: the first request keeps the site and the view restrictions for this content
    # version (frivillig_blocks.serving, issue #22), then two pages fit.
    page_cache.FRIVILLIG_PAGE_CACHE_MAX_ENTRIES = 4
    visitor = Client()
    for path in ("/frivillig/", "/frivillig/om/", "/", "/tilgaengelighedserklaering/"):
        assert visitor.get(path).status_code == 200
    stored = [
        key
        for key in page_cache_keys()
        if not key.endswith(":entries") and ":variants:" not in key  # counters
    ]
    assert len(stored) == 4
    assert visitor.get("/frivillig/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in visitor.get("/")


@pytest.mark.django_db
def test_a_page_that_reads_whether_there_is_a_query_is_keyed_on_that(page_cache, directory):
    """The filter form is bound to the query when there is one: the copy for "no query" is
    not served for "?junk" (which renders the bound form), and every junk query shares one."""
    visitor = Client()
    plain = visitor.get("/frivillig/foreninger/")
    junk = visitor.get("/frivillig/foreninger/", {"junk": "1"})
    assert plain["X-Page-Cache"] == "miss"
    assert junk["X-Page-Cache"] == "miss"
    assert visitor.get("/frivillig/foreninger/", {"other": "2"})["X-Page-Cache"] == "hit"


# -- opt-in: only writes to what public pages show retire the cache (issue #19) ----------


#: Real commits: the cache is retired when a transaction commits.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def served_from_cache(visitor) -> bool:
    return visitor.get("/frivillig/")["X-Page-Cache"] == "hit"


@TRANSACTIONAL
def test_saving_a_model_public_pages_show_retires_the_cached_pages(
    page_cache, site_tree, association_factory
):
    visitor = Client()
    visitor.get("/frivillig/")
    assert served_from_cache(visitor)
    association_factory(name="Strandens Venner")
    assert not served_from_cache(visitor)
    assert served_from_cache(visitor)


@TRANSACTIONAL
def test_saving_a_model_no_public_page_shows_leaves_the_cached_pages(page_cache, site_tree):
    from frivillig_blocks.models import InboundMessage, PeriodicRun

    visitor = Client()
    visitor.get("/frivillig/")
    InboundMessage.objects.create(esp_name="test", message_id="<a@b>", raw=b"x")
    PeriodicRun.objects.create(task="heartbeat", slot=timezone.now())
    assert served_from_cache(visitor)


def test_the_page_cache_names_no_app():
    """The base decides from what the apps register (PAGE_CACHE_MODELS), not from a list of
    them."""
    source = pathlib.Path(pagecache.__file__).read_text()
    apps = ("booking", "kalender", "boers", "initiativpris", "kurser", "henvendelser")
    assert [name for name in (*apps, "opfoelgning") if name in source] == []
