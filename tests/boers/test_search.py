"""The exchange in the site search: open, approved posts only; moderating away, rejecting
and expiring change the next search; the poster is never searchable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from boers import services
from boers.models import Post, PostStatus
from frivillig_blocks.models import SearchWord
from frivillig_blocks.search import engine
from frivillig_blocks.search.sources import search_sources

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def search(query):
    """What the public finds for ``query`` among the posts: the site search's hits
    of that kind (frivillig_blocks.search.engine, the Danish backend and vocabulary)."""
    return engine.search(RequestFactory().get("/soeg/"), query, kind="posts").hits


def titles(query):
    return sorted(hit.title for hit in search(query))


def test_an_open_post_is_found_at_once_with_its_page(exchange, post_factory):
    post = post_factory(
        title="Gåtur med hunden",
        body="Jeg søger en makker til en gåtur langs stranden.",
        kind="equipment",
    )
    [hit] = search("hunden")
    assert hit.title == "Gåtur med hunden"
    assert hit.url == f"/frivillig/boers/{post.pk}/"
    assert hit.summary == "Jeg søger en makker til en gåtur langs stranden."
    assert search("stranden")  # the text
    assert search("udlån")  # the kind's words, in Danish ("Udstyr til udlån")


def test_pending_hidden_rejected_closed_and_expired_posts_are_not_found(exchange, post_factory):
    post_factory(title="Cykelhjælp åben")
    post_factory(title="Cykelhjælp afventer", status=PostStatus.PENDING, published_at=None)
    post_factory(title="Cykelhjælp skjult", status=PostStatus.HIDDEN)
    post_factory(title="Cykelhjælp afvist", status=PostStatus.REJECTED)
    post_factory(title="Cykelhjælp lukket", status=PostStatus.CLOSED)
    post_factory(title="Cykelhjælp udløbet", expires_at=timezone.now() - timedelta(minutes=1))
    assert titles("cykelhjælp") == ["Cykelhjælp åben"]


def test_moderation_and_expiry_change_the_next_search(exchange, post_factory, coordinator):
    pending = post_factory(title="Lektiehjælp", status=PostStatus.PENDING, published_at=None)
    assert search("lektiehjælp") == []
    services.approve_post(post=pending, user=coordinator)
    assert titles("lektiehjælp") == ["Lektiehjælp"]

    for reporter in UserFactory.create_batch(3):  # the report threshold hides it
        services.report_post(post=pending, user=reporter, reason="scam")
    assert Post.objects.get(pk=pending.pk).status == PostStatus.HIDDEN
    assert search("lektiehjælp") == []

    services.approve_post(post=pending, user=coordinator)  # restored
    assert titles("lektiehjælp") == ["Lektiehjælp"]
    services.reject_post(post=pending, user=coordinator)
    assert search("lektiehjælp") == []

    expiring = post_factory(title="Havearbejde")
    assert titles("havearbejde") == ["Havearbejde"]
    Post.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())
    assert search("havearbejde") == []


def test_an_edited_post_is_found_by_its_new_words(exchange, post_factory, citizen):
    post = post_factory(author=citizen, title="Strikning", body="Vi strikker sammen.")
    data = {
        "side": post.side,
        "kind": post.kind,
        "theme": post.theme,
        "title": "Hækling",
        "body": "Vi hækler sammen.",
        "when_kind": "flexible",
    }
    services.update_post(post=post, user=citizen, data=data)
    assert titles("hækling") == ["Hækling"]
    assert search("strikning") == []


def test_the_poster_is_never_searchable(exchange, post_factory):
    poster = UserFactory(
        username="grethe",
        email="grethe.gormsen@example.org",
        first_name="Grethe",
        last_name="Gormsen",
    )
    post_factory(author=poster, title="Hjælp til indkøb")
    assert titles("indkøb") == ["Hjælp til indkøb"]
    for detail in ("grethe.gormsen@example.org", "Gormsen", "Grethe", "grethe"):
        assert search(detail) == [], detail
    for word in ("grethe", "gormsen"):  # nor words of the vocabulary ("Mente du")
        assert not SearchWord.objects.filter(word=word).exists(), word


def test_hits_take_a_constant_number_of_queries(
    exchange, post_factory, areas, django_assert_max_num_queries
):
    source = next(source for source in search_sources() if source.key == "posts")
    request = RequestFactory().get("/soeg/")
    post_factory.create_batch(2, title="Besøgsven", area=areas["by"])
    objects = list(get_search_backend().search("besøgsven", source.queryset()))
    with django_assert_max_num_queries(4) as few:
        assert len(source.hits(request, objects)) == 2
    post_factory.create_batch(10, title="Besøgsven", area=areas["soevang"])
    objects = list(get_search_backend().search("besøgsven", source.queryset()))
    with django_assert_max_num_queries(len(few)):
        assert len(source.hits(request, objects)) == 12


def test_erasing_the_poster_leaves_nothing_of_the_post_in_the_index(exchange, post_factory):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from frivillig_blocks import personal_data

    poster = UserFactory(username="henning", email="henning@example.org")
    post = post_factory(author=poster, title="Kajakpadling", body="Kajakpadling i havnen.")
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), object_id=str(post.pk)
    )
    assert entries.exists()
    personal_data.erase(poster)
    assert search("kajakpadling") == []
    assert not entries.exists()
