"""The staff inbox in the Wagtail admin: permissions, the thread, and the staff actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from frivillig_blocks.models import ContactPerson, OutboundMessage
from henvendelser import staff
from henvendelser.models import Attachment, Inquiry, InquiryMessage, InquiryStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/henvendelser/"


def contact_group():
    """How a contact person gets into the admin: a group with access_admin only."""
    group, _ = Group.objects.get_or_create(name="Kontaktpersoner")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


@pytest.fixture
def coordinator():
    return UserFactory(username="koordinator", first_name="Karin", groups=["Frivilligkoordinator"])


@pytest.fixture
def contact_user():
    user = UserFactory(username="kontakt", first_name="Kim")
    user.groups.add(contact_group())
    ContactPerson.objects.create(
        name="Kim Kontakt", role="Idræt", email="kim@dragoer.test", user=user
    )
    return user


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == "/admin/" or location.startswith("/admin/login/")
    )


def make_inquiry(**kwargs) -> Inquiry:
    kwargs.setdefault("sender_email", "borger@example.org")
    kwargs.setdefault("sender_name", "Bo Borger")
    kwargs.setdefault("subject", "Spørgsmål om foreningsstøtte")
    inquiry = Inquiry.objects.create(**kwargs)
    InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.INCOMING,
        message_id=f"<{inquiry.token}@example.org>",
        sender=inquiry.sender_email,
        body_text=kwargs.get("body_text", "Hej, hvordan søger vi? <script>alert(1)</script>"),
    )
    return inquiry


def with_attachment(inquiry) -> Attachment:
    message = inquiry.messages.first()
    item = Attachment(
        message=message, filename="ansøgning.pdf", content_type="application/pdf", size=5
    )
    item.file.save("x", ContentFile(b"%PDF-"), save=False)
    item.save()
    return item


# --- Permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["Institutionsledere", "Kommunikatører"])
def test_staff_outside_the_inbox_roles_see_nothing(client, group):
    inquiry = make_inquiry()
    item = with_attachment(inquiry)
    client.force_login(UserFactory(groups=[group]))
    # Wagtail turns a refusal into a redirect to the dashboard with an error message.
    for response in [
        client.get(INDEX),
        client.get(f"{INDEX}{inquiry.pk}/"),
        client.get(reverse("henvendelser_admin:attachment", args=[item.pk])),
    ] + [
        client.post(f"{INDEX}{inquiry.pk}/{action}/", {"reply-text": "x", "note-text": "x"})
        for action in ["reply", "note", "close", "spam", "hand-over"]
    ]:
        assert refused(response)
    assert not OutboundMessage.objects.exists()
    assert inquiry.messages.count() == 1
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW and not inquiry.is_spam
    # …and the menu does not offer the inbox
    assert INDEX not in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_login(client):
    inquiry = make_inquiry()
    response = client.get(f"{INDEX}{inquiry.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_coordinator_sees_all_with_counts(client, coordinator):
    make_inquiry(subject="Første")
    make_inquiry(subject="Anden", status=InquiryStatus.WAITING)
    make_inquiry(subject="Spam-tilbud", is_spam=True)
    client.force_login(coordinator)
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Første" in html and "Anden" in html and "Spam-tilbud" not in html
    assert 'data-count="new">1<' in html and 'data-count="waiting">1<' in html
    assert 'data-count="spam">1<' in html
    assert "Venter på borgeren" in html
    spam = client.get(INDEX + "?spam=on").content.decode()
    assert "Spam-tilbud" in spam and "Første" not in spam


def test_contact_person_sees_only_what_is_assigned(client, contact_user):
    person = contact_user.contact_persons.get()
    mine = make_inquiry(subject="Til Kim", contact_person=person)
    assigned = make_inquiry(subject="Tildelt Kim", assignee=contact_user)
    other = make_inquiry(subject="Til en anden")
    item = with_attachment(other)
    client.force_login(contact_user)
    html = client.get(INDEX).content.decode()
    assert "Til Kim" in html and "Tildelt Kim" in html and "Til en anden" not in html
    assert client.get(f"{INDEX}{mine.pk}/").status_code == 200
    assert client.get(f"{INDEX}{assigned.pk}/").status_code == 200
    assert client.get(f"{INDEX}{other.pk}/").status_code == 404
    assert client.get(reverse("henvendelser_admin:attachment", args=[item.pk])).status_code == 404
    assert client.post(f"{INDEX}{other.pk}/close/").status_code == 404
    other.refresh_from_db()
    assert other.status == InquiryStatus.NEW


def test_contact_person_without_admin_access_sees_nothing(client):
    user = UserFactory()
    ContactPerson.objects.create(name="Uden adgang", role="x", email="u@dragoer.test", user=user)
    inquiry = make_inquiry(assignee=user)
    client.force_login(user)
    assert refused(client.get(f"{INDEX}{inquiry.pk}/"))
    assert not staff.visible_inquiries(user).exists()


def test_filters_and_mine(client, coordinator, contact_user):
    make_inquiry(subject="Koordinators", assignee=coordinator, status=InquiryStatus.ASSIGNED)
    make_inquiry(subject="Kims", assignee=contact_user, status=InquiryStatus.ASSIGNED)
    make_inquiry(subject="Lukket sag", status=InquiryStatus.CLOSED)
    client.force_login(coordinator)
    html = client.get(INDEX + "?mine=on").content.decode()
    assert "Koordinators" in html and "Kims" not in html
    html = client.get(INDEX + f"?assignee={contact_user.pk}").content.decode()
    assert "Kims" in html and "Koordinators" not in html
    html = client.get(INDEX + "?status=closed").content.decode()
    assert "Lukket sag" in html and "Kims" not in html
    # hostile query strings never 500
    for query in ["?status=x'--", "?assignee=abc", "?topic=999999", "?p=-1", "?p=<script>"]:
        assert client.get(INDEX + query).status_code == 200


def test_list_query_count_does_not_grow(client, coordinator, django_assert_max_num_queries):
    for n in range(3):
        make_inquiry(subject=f"S{n}", assignee=coordinator)
    client.force_login(coordinator)
    client.get(INDEX)
    with django_assert_max_num_queries(30) as small:
        client.get(INDEX)
    for n in range(20):
        make_inquiry(subject=f"T{n}", assignee=coordinator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(INDEX)


def test_unanswered_too_long_is_flagged(client, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    old = make_inquiry(subject="Gammel sag")
    Inquiry.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=6))
    make_inquiry(subject="Ny sag")
    client.force_login(coordinator)
    html = client.get(INDEX).content.decode()
    assert html.count("Ubesvaret for længe") == 1


# --- The thread and the actions ----------------------------------------------------------


def test_thread_is_shown_escaped_with_attachment(client, coordinator):
    inquiry = make_inquiry()
    item = with_attachment(inquiry)
    client.force_login(coordinator)
    html = client.get(f"{INDEX}{inquiry.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "ansøgning.pdf" in html
    url = reverse("henvendelser_admin:attachment", args=[item.pk])
    assert url in html and "/media/" not in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-"
    assert "attachment" in response["Content-Disposition"]


def test_reply_sends_mail_from_the_one_address(client, coordinator, settings):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    response = client.post(f"{INDEX}{inquiry.pk}/reply/", {"reply-text": "Tak for din mail. Æøå."})
    assert response.status_code == 302 and response["Location"] == f"{INDEX}{inquiry.pk}/"
    reply = inquiry.messages.get(kind=InquiryMessage.Kind.REPLY)
    outbound = reply.outbound_message
    assert reply.message_id == outbound.message_id and reply.author == coordinator
    assert outbound.from_email == settings.FRIVILLIG_EMAIL == "frivillig@dragoer.test"
    assert outbound.reply_to == [f"frivillig+{inquiry.token}@dragoer.test"]
    assert outbound.subject == f"Re: Spørgsmål om foreningsstøtte [{inquiry.reference}]"
    assert outbound.headers["In-Reply-To"] == f"<{inquiry.token}@example.org>"
    sent = mail.outbox[-1]
    assert sent.to == ["borger@example.org"] and "Æøå" in sent.body
    assert sent.extra_headers["Message-ID"] == outbound.message_id
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.WAITING and inquiry.first_answered_at
    page = client.get(f"{INDEX}{inquiry.pk}/").content.decode()
    assert "Svaret er sendt." in page and "Tak for din mail." in page
    assert "Svar sendt til borgeren" in page  # the history
    entry = ModelLogEntry.objects.for_instance(inquiry).get()
    assert entry.action == "henvendelser.reply" and entry.user == coordinator


def test_double_submit_makes_one_reply(client, coordinator):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    for _ in range(2):
        client.post(f"{INDEX}{inquiry.pk}/reply/", {"reply-text": "Samme svar"})
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.REPLY).count() == 1
    assert OutboundMessage.objects.filter(purpose="inquiry_reply").count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 60_000])
def test_bad_reply_text_gets_a_danish_message(client, coordinator, text):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    response = client.post(f"{INDEX}{inquiry.pk}/reply/", {"reply-text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv en tekst." in html or "Teksten er for lang." in html
    assert not OutboundMessage.objects.exists()
    assert inquiry.messages.count() == 1


def test_get_on_an_action_is_refused(client, coordinator):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    assert client.get(f"{INDEX}{inquiry.pk}/close/").status_code == 405
    assert client.post(f"{INDEX}{inquiry.pk}/nonsense/").status_code == 404


def test_csrf_is_required(coordinator):
    from django.test import Client

    inquiry = make_inquiry()
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post(f"{INDEX}{inquiry.pk}/close/").status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_note_close_reopen_spam_are_logged(client, coordinator):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    client.post(f"{INDEX}{inquiry.pk}/note/", {"note-text": "Ring til foreningen <b>først</b>"})
    client.post(f"{INDEX}{inquiry.pk}/close/")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at
    client.post(f"{INDEX}{inquiry.pk}/reopen/")
    client.post(f"{INDEX}{inquiry.pk}/spam/")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW and inquiry.is_spam
    client.post(f"{INDEX}{inquiry.pk}/not-spam/")
    actions = list(
        ModelLogEntry.objects.for_instance(inquiry).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "henvendelser.note",
        "henvendelser.close",
        "henvendelser.reopen",
        "henvendelser.mark_spam",
        "henvendelser.unmark_spam",
    ]
    assert not mail.outbox  # a note is never mailed
    html = client.get(f"{INDEX}{inquiry.pk}/").content.decode()
    assert "Intern note" in html and "&lt;b&gt;først&lt;/b&gt;" in html
    assert "Henvendelsen er lukket" in html and "Henvendelsen er genåbnet" in html


def test_hand_over_mails_the_colleague_in_danish(client, coordinator, contact_user):
    inquiry = make_inquiry()
    client.force_login(coordinator)
    response = client.post(
        f"{INDEX}{inquiry.pk}/hand-over/",
        {"handover-colleague": contact_user.pk, "handover-note": "Kan du tage denne?"},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.assignee == contact_user and inquiry.status == InquiryStatus.ASSIGNED
    sent = mail.outbox[-1]
    assert sent.to == [contact_user.email]
    assert inquiry.reference in sent.subject and "overdraget" in sent.subject
    assert "Kan du tage denne?" in sent.body
    assert f"http://testserver{INDEX}{inquiry.pk}/" in sent.body
    assert inquiry.messages.filter(kind=InquiryMessage.Kind.NOTE).count() == 1
    entry = ModelLogEntry.objects.for_instance(inquiry).get()
    assert entry.action == "henvendelser.hand_over" and entry.data["to"] == contact_user.pk
    # the contact person now sees it
    client.force_login(contact_user)
    assert client.get(f"{INDEX}{inquiry.pk}/").status_code == 200


def test_hand_over_to_a_forged_or_outside_user_is_refused(client, coordinator):
    inquiry = make_inquiry()
    outsider = UserFactory(groups=["Institutionsledere"])
    client.force_login(coordinator)
    for value in [outsider.pk, 999999, "abc"]:
        response = client.post(f"{INDEX}{inquiry.pk}/hand-over/", {"handover-colleague": value})
        assert response.status_code == 400
        assert "Vælg en kollega, der arbejder med indbakken." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.assignee is None and not mail.outbox


def test_routing_rules_admin_for_the_coordinator_only(client, coordinator):
    client.force_login(coordinator)
    url = reverse("henvendelser_routingrule:index")
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("henvendelser_routingrule:add"),
        {"name": "Idræt", "priority": 10, "active": "on", "keywords": "fodbold, håndbold"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(UserFactory(groups=["Kommunikatører"]))
    assert refused(client.get(url))
