"""Duplicate and concurrent input, the settings' system checks, replies by mail that are
HTML only or too many, and the inbox's own address still reaching the inbox."""

from __future__ import annotations

import threading

import pytest
from django.core.checks import run_checks
from django.db import close_old_connections, connection

from boers import relay, services
from boers.models import Conversation, Message, Post, PostStatus, Report
from frivillig_blocks.models import InboundMessage

from ..conftest import requires_apps
from ..factories import UserFactory
from .conftest import URL, PostFactory, post_reply
from .test_posts import form_data

ON_POSTGRES = connection.vendor == "postgresql"


def boers_errors():
    return [e for e in run_checks() if e.id.startswith("boers.")]


def test_settings_are_checked(settings):
    assert boers_errors() == []
    settings.BOERS_POST_LIFETIME_DAYS = 0
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = "yes"
    settings.BOERS_REPLY_LOCAL_PART = "Boers Svar"
    ids = {e.id for e in boers_errors()}
    assert ids == {"boers.E001", "boers.E002", "boers.E003", "boers.E004"}


def test_a_double_submitted_message_is_one_message(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Hej"})
    conversation = Conversation.objects.get()
    client.post(f"{URL}samtaler/{conversation.pk}/", {"body": "Samme besked"})
    client.post(f"{URL}samtaler/{conversation.pk}/", {"body": "Samme besked"})
    assert Message.objects.filter(body="Samme besked").count() == 1


def test_an_html_only_reply_by_mail_becomes_text(client, exchange, citizen, other):
    from email.message import EmailMessage
    from email.policy import SMTP

    from .conftest import WEBHOOK_AUTH, postmark_payload

    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Hej"})
    conversation = Conversation.objects.get()
    to = relay.reply_address(conversation, citizen)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = citizen.email
    msg["To"] = to
    msg["Subject"] = "Re: besked"
    msg["Message-ID"] = "<html-only@mail.example.org>"
    msg.set_content("<p>Ja tak, <b>gerne</b>!</p><script>x()</script>", subtype="html")
    import json

    response = client.post(
        "/anymail/postmark/inbound/",
        data=json.dumps(postmark_payload(msg.as_string(), recipient=to)),
        content_type="application/json",
        **WEBHOOK_AUTH,
    )
    assert response.status_code == 200
    message = Message.objects.get(via=Message.Via.MAIL)
    assert "Ja tak, gerne!" in message.body and "<b>" not in message.body


def test_replies_by_mail_are_rate_limited_too(client, exchange, citizen, other):
    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Hej"})
    conversation = Conversation.objects.get()
    to = relay.reply_address(conversation, citizen)
    for i in range(12):
        post_reply(client, sender=citizen.email, to=to, body=f"Svar nummer {i}")
    assert Message.objects.filter(via=Message.Via.MAIL).count() == 10


@requires_apps("henvendelser")
def test_mail_to_the_inbox_address_still_goes_to_the_inbox(client, exchange):
    post_reply(client, sender="karen@example.org", to="frivillig@dragoer.test", body="Et spørgsmål")
    post_reply(client, sender="karen@example.org", to="boers@dragoer.test", body="Uden token")
    assert InboundMessage.objects.get(recipients=["frivillig@dragoer.test"]).routed_to == (
        "henvendelser"
    )
    assert InboundMessage.objects.get(recipients=["boers@dragoer.test"]).routed_to == "boers"
    assert not Message.objects.exists()


def race(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            work(i)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_racing_answers_make_one_conversation_and_one_message():
    author, answerer = UserFactory(), UserFactory()
    post = PostFactory(author=author)
    errors = race(
        3, lambda i: services.start_conversation(post=post, user=answerer, body="Hej med dig")
    )
    assert not errors
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_racing_reports_are_all_counted_and_hide_the_post():
    post = PostFactory()
    reporters = UserFactory.create_batch(4)
    errors = race(4, lambda i: services.report_post(post=post, user=reporters[i], reason="scam"))
    assert not errors
    post.refresh_from_db()
    assert post.report_count == 4 == Report.objects.count()
    assert post.status == PostStatus.HIDDEN


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_racing_double_submits_make_one_post(settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = False
    person = UserFactory()
    from boers.forms import PostForm

    form = PostForm(form_data(submission_key="samme"), user=person)
    assert form.is_valid()
    errors = race(
        3,
        lambda i: services.create_post(user=person, data=form.cleaned_data, submission_key="samme"),
    )
    assert not errors
    assert Post.objects.count() == 1


def test_one_exchange_page_per_hub(site_tree, exchange):
    from boers.models import ExchangePage

    assert not ExchangePage.can_create_at(site_tree.hub.specific)
    assert not ExchangePage.can_create_at(site_tree.home.specific)


def test_conversation_query_count_does_not_grow_with_messages(
    client, exchange, citizen, other, django_assert_max_num_queries
):
    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Hej"})
    conversation = Conversation.objects.get()
    url = f"{URL}samtaler/{conversation.pk}/"
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for i in range(15):
        Message.objects.create(conversation=conversation, sender=citizen, body=f"Svar {i}")
        Message.objects.create(conversation=conversation, sender=other, body=f"Tak {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    client.force_login(citizen)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        assert client.get(f"{URL}{post.pk}/").status_code == 200
