"""The exchange in the personal data registry (#17, findings 8, 9 and 10): the data download
holds a person's posts, conversations and messages, reports, saved searches and block;
"Slet konto" leaves no personal datum of theirs in the exchange's tables nor in the stored
mails about them, while other people's posts stand; the retention deletes ended posts (with
their relayed mails) and settled reports once old, and keeps what is young."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.utils import timezone

from boers import services, tasks
from boers.models import (
    Block,
    Conversation,
    Message,
    OutcomeTally,
    Post,
    PostStatus,
    Report,
    SavedSearch,
)
from frivillig_blocks import personal_data
from frivillig_blocks.models import InboundMessage, OutboundMessage
from frivillig_blocks.personal_data import related_key
from tests.helpers import last_mail_to

from ..factories import UserFactory
from .conftest import URL, PostFactory, post_reply

pytestmark = pytest.mark.django_db

PHONE = "22 33 44 55"


def _text_values() -> list[tuple[str, str, str]]:
    """Every value of every text, char and JSON column of the exchange's models."""
    found = []
    for model in apps.get_app_config("boers").get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if value:
                    found.append((model.__name__, name, json.dumps(value, ensure_ascii=False)))
    return found


def _mentions(values, needles):
    return [(m, f, v) for m, f, v in values for n in needles if n.lower() in v.lower()]


class World:
    pass


@pytest.fixture
def world(client, exchange):
    """Anna with a post (her phone in it) that Bent answered and she answered by mail, an
    answer of hers to Bent's post, a report of Carl's post, a saved search with a digest,
    a renewal reminder; Carl and Bent with posts and a conversation of their own."""
    w = World()
    w.anna = UserFactory(
        username="anna", email="anna@example.org", first_name="Anna", last_name="Andersen"
    )
    w.bent = UserFactory(username="bent", email="bent@example.org", first_name="Bent")
    w.carl = UserFactory(username="carl", email="carl@example.org", first_name="Carl")
    w.mine = PostFactory(
        author=w.anna,
        title="Annas gåtur",
        body=f"Ring til Anna Andersen på {PHONE}.",
        expires_at=timezone.now() + timedelta(days=3),
    )
    w.bents = PostFactory(author=w.bent, title="Bents have", body="Hjælp til hækken.")
    client.force_login(w.bent)
    client.post(f"{URL}{w.mine.pk}/svar/", {"body": "Jeg går gerne med."})
    w.on_mine = Conversation.objects.get(post=w.mine)
    post_reply(
        client,
        sender=f"Anna <{w.anna.email}>",
        to=last_mail_to(w.anna.email).reply_to[0],
        body=f"Dejligt, ring på {PHONE}. Hilsen Anna Andersen",
    )
    assert Message.objects.filter(via=Message.Via.MAIL, sender=w.anna).exists()
    client.force_login(w.anna)
    client.post(f"{URL}{w.bents.pk}/svar/", {"body": f"Jeg klipper gerne. Ring {PHONE}"})
    w.on_bents = Conversation.objects.get(post=w.bents)
    client.post(
        f"{URL}soegninger/gem/", {"q": "cykel", "name": "Annas cykelsøgning", "frequency": "daily"}
    )
    w.saved = SavedSearch.objects.get(user=w.anna)
    SavedSearch.objects.filter(pk=w.saved.pk).update(
        checked_until=timezone.now() - timedelta(hours=1)
    )
    w.carls = PostFactory(author=w.carl, title="Carls cykeltur", body="Cykel rundt om Amager.")
    client.post(
        f"{URL}{w.carls.pk}/anmeld/",
        {"reason": "scam", "text": "Jeg, Anna Andersen, tror det er reklame."},
    )
    assert tasks.send_digest.call(w.saved.pk) == 1
    assert tasks.send_expiry_reminders.call() == 1
    client.force_login(w.carl)
    client.post(f"{URL}{w.bents.pk}/svar/", {"body": "Carl her, jeg kan også."})
    w.carl_bent = Conversation.objects.get(post=w.bents, starter=w.carl)
    client.logout()
    return w


def test_download_holds_every_post_message_report_and_search(client, world, coordinator):
    Block.objects.create(user=world.anna, reason="Reklame for egen virksomhed")
    client.force_login(world.anna)
    response = client.get("/mine-sider/data/")
    assert response.status_code == 200
    data = json.loads(response.content)
    posts = data["boers.posts"]
    assert [p["title"] for p in posts] == ["Annas gåtur"]
    assert PHONE in posts[0]["text"] and posts[0]["expires"]
    conversations = {c["post"]: c for c in data["boers.conversations"]}
    assert set(conversations) == {"Annas gåtur", "Bents have"}
    on_mine = conversations["Annas gåtur"]
    assert on_mine["your_role"] == "author" and on_mine["other_person"] == "Bent"
    texts = [(m["from"], m["text"], m["via"]) for m in on_mine["messages"]]
    assert ("other_person", "Jeg går gerne med.", "web") in texts
    assert ("you", f"Dejligt, ring på {PHONE}. Hilsen Anna Andersen", "mail") in texts
    on_bents = conversations["Bents have"]
    assert on_bents["your_role"] == "answered"
    assert on_bents["messages"][0]["text"] == f"Jeg klipper gerne. Ring {PHONE}"
    # Carl's conversation on Bent's post is not Anna's.
    assert "Carl her" not in json.dumps(data, ensure_ascii=False)
    report = data["boers.reports"][0]
    assert report["post"] == "Carls cykeltur" and report["reason"] == "scam"
    assert "Anna Andersen" in report["text"]
    assert data["boers.saved_searches"][0]["name"] == "Annas cykelsøgning"
    assert data["boers.saved_searches"][0]["filters"] == {"q": "cykel"}
    assert data["boers.blocks"][0]["reason"] == "Reklame for egen virksomhed"


def test_delete_account_leaves_no_personal_datum_in_the_exchange(client, world):
    Block.objects.create(user=world.anna, reason="Skrev til Anna Andersen om reklame")
    keys = [
        related_key(world.mine),
        related_key(world.on_mine),
        related_key(world.on_bents),
        related_key(world.saved),
    ]
    assert OutboundMessage.objects.filter(related__in=keys).count() >= 4
    needles = ["Anna Andersen", "anna@example.org", PHONE, "Annas gåtur", "Annas cykelsøgning"]
    assert _mentions(_text_values(), needles)
    inbound = Message.objects.get(via=Message.Via.MAIL).inbound_message_id

    client.force_login(world.anna)
    response = client.post("/mine-sider/slet-konto/", {"email": "anna@example.org"})
    assert response.status_code == 302

    assert _mentions(_text_values(), needles) == []
    # The stored mails about her post, both conversations and her search are scrubbed:
    # the relayed copies of the messages too, and her reply that came in by mail.
    assert not OutboundMessage.objects.filter(related__in=keys).exists()
    assert not OutboundMessage.objects.filter(body_text__contains=PHONE).exists()
    assert not InboundMessage.objects.filter(pk=inbound).exists()
    assert not Conversation.objects.filter(pk__in=[world.on_mine.pk, world.on_bents.pk]).exists()
    # Her report stays for the moderators, without her.
    report = Report.objects.get(post=world.carls)
    assert report.reporter is None and report.text == "Jeg, […], tror det er reklame."
    assert not Block.objects.exists() and not SavedSearch.objects.exists()
    # Other people's posts and their conversation stand.
    assert set(Post.objects.values_list("title", flat=True)) == {"Bents have", "Carls cykeltur"}
    assert Message.objects.filter(conversation=world.carl_bent, body="Carl her, jeg kan også.")


def test_reminder_mail_keeps_its_renewal_link_from_staff(client, world):
    stored = OutboundMessage.objects.get(purpose="boers_expiry_reminder")
    sent = [m for m in mail.outbox if m.subject == stored.subject][-1]
    link = next(line for line in sent.body.splitlines() if "/forny/" in line).strip()
    assert "/forny/" not in stored.body_text and "/forny/" not in stored.body_html
    assert "[…]" in stored.body_text
    # The link the mail carried works.
    assert client.get(urlsplit(link).path).status_code == 200


def test_unsubscribing_scrubs_the_digest_mails(client, world):
    key = related_key(world.saved)
    assert OutboundMessage.objects.filter(related=key).exists()
    client.force_login(world.anna)
    response = client.post(f"{URL}soegninger/{world.saved.pk}/slet/")
    assert response.status_code == 302
    assert not OutboundMessage.objects.filter(related=key).exists()


def test_retention_deletes_old_posts_and_reports_and_keeps_young_ones(
    exchange, coordinator, settings
):
    settings.BOERS_RETENTION_DAYS = 365
    now = timezone.now()
    anna = UserFactory(username="anna", first_name="Anna")
    bent = UserFactory(username="bent", first_name="Bent")
    old = PostFactory(author=anna, status=PostStatus.CLOSED, closed_at=now - timedelta(days=400))
    conversation = Conversation.objects.create(post=old, starter=bent)
    message = Message.objects.create(conversation=conversation, sender=bent, body="Hej")
    from boers.relay import relay_message

    relay_message(message)
    mail_key = related_key(conversation)
    assert OutboundMessage.objects.filter(related=mail_key).exists()
    young = PostFactory(author=anna, status=PostStatus.CLOSED, closed_at=now - timedelta(days=10))
    hidden = PostFactory(
        author=anna, status=PostStatus.HIDDEN, expires_at=now - timedelta(days=400)
    )
    open_post = PostFactory(author=bent, title="Bents åbne opslag")
    old_report = services.report_post(post=open_post, user=anna, reason="scam", text="Gammel")
    services.dismiss_report(report=old_report, user=coordinator)
    Report.objects.filter(pk=old_report.pk).update(resolved_at=now - timedelta(days=400))
    young_report = services.report_post(post=open_post, user=anna, reason="scam", text="Ny")
    services.dismiss_report(report=young_report, user=coordinator)
    open_report = services.report_post(post=open_post, user=bent, reason="other", text="Åben")
    Report.objects.filter(pk=open_report.pk).update(created_at=now - timedelta(days=400))
    services.count_outcome(old, "yes")

    done = personal_data.expire(now=now)
    assert done["boers.posts"] == 2 and done["boers.reports"] == 1
    assert set(Post.objects.all()) == {young, open_post}
    assert not Conversation.objects.exists() and not Message.objects.exists()
    assert not OutboundMessage.objects.filter(related=mail_key).exists()
    assert not Post.objects.filter(pk=hidden.pk).exists()
    assert set(Report.objects.all()) == {young_report, open_report}
    assert OutcomeTally.objects.exists()  # the counts stay
    # Once: a second run finds nothing.
    again = personal_data.expire(now=now)
    assert again["boers.posts"] == 0 and again["boers.reports"] == 0


def test_the_old_retention_task_is_gone_from_the_schedule():
    from boers.schedule import PERIODIC_TASKS

    assert not hasattr(tasks, "delete_old_posts")
    assert all("delete_old_posts" not in t["task"] for t in PERIODIC_TASKS)
    keys = {s.key for s in personal_data.sources()}
    assert {
        "boers.posts",
        "boers.conversations",
        "boers.reports",
        "boers.saved_searches",
        "boers.blocks",
    } <= keys
