"""Closing with "did you find someone?", saved searches and their digest with a no-login
unsubscribe link, expiry reminders with one-click renewal, retention, Mine sider, the data
download and account deletion."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from boers import tasks
from boers.models import (
    Conversation,
    Message,
    OutcomeTally,
    Post,
    PostStatus,
    SavedSearch,
)
from frivillig_blocks import personal_data
from frivillig_blocks.accounts import services as account_services
from tests.helpers import last_mail_to

from .conftest import URL, PostFactory


def test_closing_asks_did_you_find_someone_and_counts(client, exchange, citizen, other):
    post = PostFactory(author=citizen, side="offer", kind="recurring")
    client.force_login(other)
    assert client.get(f"{URL}{post.pk}/luk/").status_code == 404
    client.force_login(citizen)
    html = client.get(f"{URL}{post.pk}/luk/").content.decode()
    assert "Fandt du nogen?" in html
    response = client.post(f"{URL}{post.pk}/luk/", {"outcome": ""})
    assert response.status_code == 400
    client.post(f"{URL}{post.pk}/luk/", {"outcome": "yes"})
    post.refresh_from_db()
    assert post.status == PostStatus.CLOSED and post.outcome == "yes"
    tally = OutcomeTally.objects.get()
    assert (tally.side, tally.kind, tally.outcome, tally.count) == ("offer", "recurring", "yes", 1)
    # Closing twice counts once.
    client.post(f"{URL}{post.pk}/luk/", {"outcome": "yes"})
    assert OutcomeTally.objects.get().count == 1


def save(client, user, **filters):
    client.force_login(user)
    return client.post(f"{URL}soegninger/gem/", {**filters, "name": "Gåture", "frequency": "daily"})


def test_a_saved_search_gets_a_digest_with_a_no_login_unsubscribe(client, exchange, citizen, other):
    response = save(client, other, q="gå", side="offer")
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert saved.query == {"q": "gå", "side": "offer"}
    PostFactory(author=citizen, title="Gåmakker tirsdage", side="offer")
    PostFactory(author=citizen, title="Cykeltur", side="offer", body="Cykling på Amager.")
    PostFactory(author=citizen, title="Søger gåmakker", side="need")
    mail.outbox.clear()
    assert tasks.send_digests.call() == 1
    digest = last_mail_to(other.email)
    assert "Gåmakker tirsdage" in digest.body
    assert "Cykeltur" not in digest.body and "Søger gåmakker" not in digest.body
    assert citizen.email not in digest.body
    assert "/afmeld/" in digest.extra_headers["List-Unsubscribe"]
    # Nothing new: no mail the next time.
    mail.outbox.clear()
    assert tasks.send_digests.call() == 0 and not mail.outbox
    unsubscribe = next(line for line in digest.body.splitlines() if "/afmeld/" in line).strip()
    client.logout()
    path = unsubscribe.replace("http://testserver", "")
    # No login; the confirmation is a normal form with its CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.get(path)
    html = response.content.decode()
    assert "Vil du stoppe mails om den gemte søgning »Gåture«?" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(path, {"csrfmiddlewaretoken": token})
    assert "Du får ikke flere mails om denne søgning." in response.content.decode()
    assert not SavedSearch.objects.exists()
    assert client.get(path[:-5] + "xxxx/").status_code == 200  # forged: nothing to stop


def test_weekly_searches_wait_a_week(exchange, citizen, other):
    saved = SavedSearch.objects.create(
        user=other,
        name="Ugentlig",
        query={"side": "offer"},
        frequency="weekly",
        checked_until=timezone.now() - timedelta(days=1),
    )
    PostFactory(author=citizen, side="offer")
    assert tasks.send_digests.call() == 0
    SavedSearch.objects.filter(pk=saved.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert tasks.send_digests.call() == 1


def test_saving_a_search_needs_a_filter_and_a_name(client, exchange, other):
    client.force_login(other)
    client.post(f"{URL}soegninger/gem/", {"name": "Alt", "frequency": "daily"})
    response = client.post(f"{URL}soegninger/gem/", {"q": "gå", "name": "", "frequency": "daily"})
    assert response.status_code == 400 and "Giv søgningen et navn." in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_reminder_before_expiry_and_one_click_renewal(client, exchange, citizen):
    post = PostFactory(
        author=citizen, title="Udløber snart", expires_at=timezone.now() + timedelta(days=6)
    )
    PostFactory(author=citizen, expires_at=timezone.now() + timedelta(days=20))
    assert tasks.send_expiry_reminders.call() == 1
    assert tasks.send_expiry_reminders.call() == 0  # once
    reminder = last_mail_to(citizen.email)
    assert reminder.subject == "Dit opslag »Udløber snart« udløber snart"
    renew = next(line for line in reminder.body.splitlines() if "/forny/" in line).strip()
    path = renew.replace("http://testserver", "")
    client.logout()
    html = client.get(path).content.decode()
    assert "Opslaget er fornyet" in html
    post.refresh_from_db()
    assert (post.expires_at - timezone.now()).days >= 59 and post.reminder_sent_at is None
    # The same link does not renew again; a forged one is refused.
    assert client.get(path).status_code == 404
    assert client.get(f"{URL}forny/forfalsket/").status_code == 404


def test_expiry_and_retention(exchange, citizen, other, settings):
    settings.BOERS_RETENTION_DAYS = 365
    now = timezone.now()
    old = PostFactory(author=citizen, expires_at=now - timedelta(days=1))
    conversation = Conversation.objects.create(post=old, starter=other)
    Message.objects.create(conversation=conversation, sender=other, body="Hej")
    assert tasks.expire_posts.call() == 1
    old.refresh_from_db()
    assert old.status == PostStatus.EXPIRED
    assert OutcomeTally.objects.get(outcome="unanswered").count == 1
    assert personal_data.expire(now=timezone.now())["boers.posts"] == 0
    Post.objects.filter(pk=old.pk).update(closed_at=now - timedelta(days=366))
    closed = PostFactory(
        author=citizen, status=PostStatus.CLOSED, closed_at=now - timedelta(days=400)
    )
    recent = PostFactory(
        author=citizen, status=PostStatus.CLOSED, closed_at=now - timedelta(days=10)
    )
    assert personal_data.expire(now=timezone.now())["boers.posts"] == 2
    assert list(Post.objects.all()) == [recent]
    assert not Message.objects.exists() and not Conversation.objects.exists()
    assert not Post.objects.filter(pk=closed.pk).exists()
    assert OutcomeTally.objects.exists()  # the counts stay


def test_mine_sider_export_and_account_deletion(client, exchange, citizen, other):
    mine = PostFactory(author=citizen, title="Mit opslag")
    theirs = PostFactory(author=other, title="Andres opslag")
    client.force_login(citizen)
    client.post(f"{URL}{theirs.pk}/svar/", {"body": "Jeg skriver til dig"})
    client.force_login(other)
    client.post(f"{URL}{mine.pk}/svar/", {"body": "Og jeg til dig"})
    save(client, citizen, q="gå")
    client.force_login(citizen)
    html = client.get("/mine-sider/").content.decode()
    assert "Frivilligbørsen" in html and "Mit opslag" in html and "Andres opslag" in html
    assert "Gåture" in html
    data = account_services.export_personal_data(citizen)
    assert data["boers.posts"][0]["title"] == "Mit opslag"
    texts = [m["text"] for c in data["boers.conversations"] for m in c["messages"]]
    assert "Jeg skriver til dig" in texts
    assert data["boers.saved_searches"][0]["name"] == "Gåture"
    account_services.delete_account(citizen)
    assert not Post.objects.filter(title="Mit opslag").exists()
    assert not Message.objects.filter(body__in=["Jeg skriver til dig", "Og jeg til dig"]).exists()
    assert not SavedSearch.objects.exists()
    assert Post.objects.filter(title="Andres opslag").exists()
