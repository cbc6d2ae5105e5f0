"""Issue #18, item 3: a post, an answer and a message of the exchange sent 8 times at once
(the same page, the same form) store one row, and every duplicate gets the same result page.
Real concurrent connections (PostgreSQL)."""

import uuid

import pytest
from django.test import Client

from boers.models import Conversation, Message, Post, PostStatus
from tests.races import ON_POSTGRES, key_of, one_result, same_post

from .conftest import URL, PostFactory
from .test_posts import form_data


def page_key(url, client=None):
    return key_of(client.get(url)) if client else str(uuid.uuid4())


pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_eight_identical_posts_store_one(exchange, areas, citizen, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "boers_post": "100/h/user"}
    one_result(same_post(f"{URL}opret/", form_data(submission_key="samme-side"), user=citizen))
    assert Post.objects.count() == 1


def test_eight_identical_answers_and_messages_store_one_each(exchange, citizen, other):
    """Before #18 the rate limit counted each duplicate, so 6 of 8 got a 429 page."""
    post = PostFactory(author=other, status=PostStatus.PUBLISHED)
    client = Client()
    client.force_login(citizen)
    answer = f"{URL}{post.pk}/svar/"
    body = {
        "body": "Hej, jeg vil gerne gå med på tirsdag.",
        "submission_key": page_key(answer, client),
    }
    one_result(same_post(answer, body, user=citizen))
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 1
    thread = f"{URL}samtaler/{Conversation.objects.get().pk}/"
    again = {"body": "Hvor mødes vi?", "submission_key": page_key(thread, client)}
    one_result(same_post(thread, again, user=citizen))
    assert Message.objects.count() == 2
