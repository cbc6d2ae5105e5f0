"""Safety and moderation: reports and their threshold, review in the Wagtail admin by the
Frivilligkoordinator group, blocking, first posts waiting for approval, verified badge,
actions logged."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from wagtail.models import ModelLogEntry

from boers.models import Block, Conversation, Message, Post, PostStatus, Report, VerifiedAssociation
from tests.helpers import last_mail_to

from ..factories import AssociationFactory, MembershipFactory, UserFactory
from .conftest import URL, PostFactory
from .test_posts import form_data

ADMIN = "/admin/boers/"


def report(client, user, post, reason="scam"):
    client.force_login(user)
    return client.post(f"{URL}{post.pk}/anmeld/", {"reason": reason, "text": "Mistænkeligt"})


def test_three_reports_hide_a_post_until_reviewed(client, exchange, coordinator):
    post = PostFactory(title="Billige solbriller")
    reporters = UserFactory.create_batch(3)
    for user in reporters[:2]:
        assert report(client, user, post).status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.report_count == 2
    # The same person twice counts once.
    response = report(client, reporters[0], post)
    assert response.status_code == 400
    assert "Du har allerede anmeldt dette." in response.content.decode()
    report(client, reporters[2], post)
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    assert "Billige solbriller" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{post.pk}/").status_code == 404
    # The coordinator sees it in the admin and shows it again.
    client.force_login(coordinator)
    html = client.get(ADMIN).content.decode()
    assert "Billige solbriller" in html and "Mistænkeligt" in html
    client.post(f"{ADMIN}opslag/{post.pk}/approve/")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.report_count == 0
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert ModelLogEntry.objects.filter(action="boers.restore", user=coordinator).exists()
    assert ModelLogEntry.objects.filter(action="boers.hidden_by_reports").exists()


def test_reporting_needs_a_reason(client, exchange, other):
    post = PostFactory()
    client.force_login(other)
    response = client.post(f"{URL}{post.pk}/anmeld/", {"reason": "", "text": ""})
    assert response.status_code == 400 and "Vælg en grund." in response.content.decode()
    assert not Report.objects.exists()


def test_a_first_post_waits_for_approval(client, exchange, citizen, coordinator, settings):
    settings.BOERS_FIRST_POST_NEEDS_APPROVAL = True
    client.force_login(citizen)
    response = client.post(f"{URL}opret/", form_data(title="Mit første opslag"))
    post = Post.objects.get()
    assert post.status == PostStatus.PENDING
    html = client.get(response["Location"]).content.decode()
    assert "ser en moderator på det, før det vises for andre" in html
    assert "Mit første opslag" not in client.get(URL).content.decode()
    client.logout()
    assert client.get(f"{URL}{post.pk}/").status_code == 404
    client.force_login(coordinator)
    client.post(f"{ADMIN}opslag/{post.pk}/approve/")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at
    assert ModelLogEntry.objects.filter(action="boers.approve").exists()
    told = last_mail_to(citizen.email)
    assert told.subject == "Dit opslag »Mit første opslag« er offentliggjort"
    assert f"/frivillig/boers/{post.pk}/" in told.body
    assert "Mit første opslag" in client.get(URL).content.decode()
    # The second post of the same person is published at once.
    client.force_login(citizen)
    client.post(f"{URL}opret/", form_data(title="Mit andet opslag", submission_key="k2"))
    assert Post.objects.get(title="Mit andet opslag").status == PostStatus.PUBLISHED


def test_a_blocked_person_can_neither_post_nor_message(
    client, exchange, citizen, other, coordinator
):
    own = PostFactory(author=other, title="Blokeret persons opslag")
    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Hej"})
    conversation = Conversation.objects.get()
    client.force_login(coordinator)
    client.post(f"{ADMIN}opslag/{own.pk}/block/")
    assert Block.objects.filter(user=other).exists()
    assert ModelLogEntry.objects.filter(action="boers.block").exists()
    own.refresh_from_db()
    assert own.status == PostStatus.HIDDEN
    client.force_login(other)
    response = client.get(f"{URL}opret/")
    assert response.status_code == 403
    assert "Du kan ikke oprette opslag eller sende beskeder" in response.content.decode()
    response = client.post(f"{URL}opret/", form_data())
    assert response.status_code == 403
    response = client.post(f"{URL}samtaler/{conversation.pk}/", {"body": "Stadig her"})
    assert response.status_code == 400
    assert "Du kan ikke oprette opslag eller sende beskeder" in response.content.decode()
    other_post = PostFactory()
    response = client.post(f"{URL}{other_post.pk}/svar/", {"body": "Hej"})
    assert response.status_code == 400
    assert Message.objects.count() == 1 and Post.objects.filter(author=other).count() == 1


def test_a_reported_message_is_reviewed_and_hidden(client, exchange, citizen, other, coordinator):
    post = PostFactory(author=citizen)
    client.force_login(other)
    client.post(f"{URL}{post.pk}/svar/", {"body": "Grimme ord"})
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    # The sender cannot report their own message; a stranger cannot report at all.
    assert client.get(f"{URL}samtaler/{conversation.pk}/anmeld/{message.pk}/").status_code == 404
    client.force_login(citizen)
    response = client.post(
        f"{URL}samtaler/{conversation.pk}/anmeld/{message.pk}/", {"reason": "offensive"}
    )
    assert response.status_code == 302
    report_ = Report.objects.get(message=message)
    client.force_login(coordinator)
    assert "Grimme ord" in client.get(ADMIN).content.decode()
    client.post(f"{ADMIN}anmeldelse/{report_.pk}/hide/")
    message.refresh_from_db()
    assert message.hidden
    client.force_login(citizen)
    assert "Grimme ord" not in client.get(f"{URL}samtaler/{conversation.pk}/").content.decode()


def test_moderation_is_for_coordinators_only(client, exchange, citizen):
    post = PostFactory(status=PostStatus.PENDING, published_at=None)
    client.force_login(citizen)
    assert client.get(ADMIN).status_code in (302, 403)
    client.post(f"{ADMIN}opslag/{post.pk}/approve/")
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="access_admin")
    )
    client.force_login(staff)
    assert client.get(ADMIN).status_code in (302, 403)


def test_verified_associations_carry_a_badge(client, exchange, citizen, coordinator):
    association = AssociationFactory(name="Dragør Gangklub")
    MembershipFactory(user=citizen, association=association)
    post = PostFactory(author=citizen, association=association, title="Gåtur med klubben")
    html = client.get(f"{URL}{post.pk}/").content.decode()
    assert "Verificeret forening" not in html
    client.force_login(coordinator)
    response = client.post(
        "/admin/boers-verificerede/new/",
        {"association": association.pk, "note": "CVR tjekket"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert VerifiedAssociation.objects.filter(association=association).exists()
    html = client.get(f"{URL}{post.pk}/").content.decode()
    assert "Verificeret forening" in html
    assert "Verificeret forening" in client.get(URL).content.decode()


def test_the_admin_lists_and_dashboard_work(client, exchange, coordinator):
    PostFactory(title="Et opslag i admin")
    PostFactory(status=PostStatus.PENDING, published_at=None)
    client.force_login(coordinator)
    for url in [
        "/admin/",
        "/admin/boers-opslag/",
        "/admin/boers-omraader/",
        "/admin/boers-blokeringer/",
        "/admin/boers-udfald/",
        ADMIN,
    ]:
        assert client.get(url).status_code == 200, url
    assert "opslag i børsen venter" in client.get("/admin/").content.decode()


def test_a_rejected_first_post_is_told_to_its_author(client, exchange, citizen, coordinator):
    post = PostFactory(
        author=citizen, status=PostStatus.PENDING, published_at=None, title="Køb billige ure"
    )
    client.force_login(coordinator)
    client.post(f"{ADMIN}opslag/{post.pk}/reject/")
    post.refresh_from_db()
    assert post.status == PostStatus.REJECTED
    assert ModelLogEntry.objects.filter(action="boers.reject", user=coordinator).exists()
    told = last_mail_to(citizen.email)
    assert "besluttet ikke at offentliggøre dit opslag »Køb billige ure«" in told.body
    client.force_login(citizen)
    assert client.get(f"{URL}{post.pk}/").status_code == 200  # the author still sees it
    client.logout()
    assert client.get(f"{URL}{post.pk}/").status_code == 404


def test_blocking_hides_the_persons_open_posts_with_an_entry_in_each_posts_history(
    client, exchange, citizen, other, coordinator
):
    own = PostFactory(author=other, title="Blokeret persons opslag")
    waiting = PostFactory(author=other, status=PostStatus.PENDING, published_at=None)
    rejected = PostFactory(author=other, status=PostStatus.REJECTED)
    client.force_login(coordinator)
    client.post(f"{ADMIN}opslag/{own.pk}/block/")
    for post in (own, waiting):
        post.refresh_from_db()
        assert post.status == PostStatus.HIDDEN
        entry = ModelLogEntry.objects.for_instance(post).get(action="boers.hidden_by_block")
        assert entry.user == coordinator
    rejected.refresh_from_db()
    assert rejected.status == PostStatus.REJECTED
    assert not ModelLogEntry.objects.for_instance(rejected).exists()
    # The action is registered, so the admin's history names it.
    from wagtail.log_actions import registry

    assert registry.action_exists("boers.hidden_by_block")


def test_a_block_made_in_the_admins_list_goes_through_the_service(
    client, exchange, other, coordinator
):
    own = PostFactory(author=other, title="Opslag fra en der blokeres")
    client.force_login(coordinator)
    response = client.post("/admin/boers-blokeringer/new/", {"user": other.pk, "reason": "Reklame"})
    assert response.status_code == 302, response.content.decode()[:2000]
    block = Block.objects.get(user=other)
    assert (block.created_by, block.reason) == (coordinator, "Reklame")
    assert ModelLogEntry.objects.for_instance(block).get(action="boers.block").user == coordinator
    own.refresh_from_db()
    assert own.status == PostStatus.HIDDEN
    entry = ModelLogEntry.objects.for_instance(own).get(action="boers.hidden_by_block")
    assert entry.user == coordinator
    # Saving a record without the service hides nothing: the decision is the service's.
    later = PostFactory(author=other)
    block.reason = "Reklame og spam"
    block.save()
    later.refresh_from_db()
    assert later.status == PostStatus.PUBLISHED


def test_the_queue_shows_the_oldest_twenty_and_the_next_comes_in_on_a_decision(
    client, exchange, coordinator
):
    """A long queue is worked from the oldest: the page holds 20 posts, says how many wait,
    and a decision brings the 21st in."""
    start = timezone.now() - timedelta(days=30)
    posts = [
        PostFactory(
            title=f"Venter {n:02d}",
            status=PostStatus.PENDING,
            published_at=None,
            created_at=start + timedelta(hours=n),
        )
        for n in range(22)
    ]
    client.force_login(coordinator)
    html = client.get(ADMIN).content.decode()
    assert "Viser de 20 ældste af 22." in html
    shown = re.findall(r"<strong>(Venter \d\d)</strong>", html)
    assert shown == [f"Venter {n:02d}" for n in range(20)]
    client.post(f"{ADMIN}opslag/{posts[0].pk}/reject/")
    html = client.get(ADMIN).content.decode()
    assert "Viser de 20 ældste af 21." in html
    shown = re.findall(r"<strong>(Venter \d\d)</strong>", html)
    assert shown == [f"Venter {n:02d}" for n in range(1, 21)]
    client.post(f"{ADMIN}opslag/{posts[1].pk}/approve/")
    html = client.get(ADMIN).content.decode()
    assert "ældste af" not in html
    assert len(re.findall(r"<strong>Venter \d\d</strong>", html)) == 20
