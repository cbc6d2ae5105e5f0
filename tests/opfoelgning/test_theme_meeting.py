"""The consent to invitations on Mine sider, the theme meeting in the admin, the invitations
with their .ics, and the meeting in the shared calendar."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from frivillig_blocks import roles
from frivillig_blocks.hooks import calendar_entries
from opfoelgning.models import ContactPreference, ThemeMeeting, ThemeMeetingInvitation

from ..conftest import requires_apps

MINE_SIDER = "/mine-sider/"
CONSENT = "/mine-sider/kontakt/"
ADMIN = "/admin/theme-meetings/"
START = dt.datetime(2026, 3, 10, 17, tzinfo=dt.UTC)  # 18:00 in Copenhagen


def denied(response):
    return response.status_code == 403 or (
        response.status_code == 302 and "/admin/" in response["Location"]
    )


@pytest.fixture
def meeting(db):
    return ThemeMeeting.objects.create(
        title="Temamøde om frivillighed",
        start=START,
        end=START + dt.timedelta(hours=2),
        location="Rådhuset, mødesal 1",
        description="Kom og fortæl os, hvad der virker.",
    )


def consenting(user_factory, n=2):
    people = [user_factory() for _ in range(n)]
    for person in people:
        ContactPreference.objects.create(user=person, invitations=True)
    return people


def checkbox(html: str) -> str:
    return re.search(r'<input[^>]*name="invitations"[^>]*>', html).group(0)


def coordinator(client, user_factory):
    user = user_factory(groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(user)
    return user


# -- the consent on Mine sider -----------------------------------------------------------------


def test_the_consent_is_off_until_the_person_turns_it_on(client, user, site_tree):
    client.force_login(user)
    html = client.get(MINE_SIDER).content.decode()
    assert "Ja, kommunen må invitere mig til møder om frivilligheden" in html
    assert "checked" not in checkbox(html)
    assert not ContactPreference.objects.filter(user=user, invitations=True).exists()

    response = client.post(CONSENT, {"invitations": "on"})
    assert response.status_code == 302
    assert ContactPreference.objects.get(user=user).invitations is True
    html = client.get(MINE_SIDER).content.decode()
    assert "Kommunen må nu invitere dig til møder." in html
    assert "checked" in checkbox(html)

    client.post(CONSENT, {})
    assert ContactPreference.objects.get(user=user).invitations is False


def test_the_consent_needs_a_login_and_a_post(client, user, site_tree):
    response = client.post(CONSENT, {"invitations": "on"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(user)
    assert client.get(CONSENT).status_code == 405
    assert not ContactPreference.objects.exists()


def test_the_consent_needs_the_csrf_token(user, site_tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(CONSENT, {"invitations": "on"}).status_code == 403
    assert not ContactPreference.objects.exists()


def test_the_consent_and_invitations_are_in_the_download_and_go_with_the_account(
    client, user, site_tree, meeting
):
    ContactPreference.objects.create(user=user, invitations=True)
    ThemeMeetingInvitation.objects.create(meeting=meeting, user=user, email=user.email)
    client.force_login(user)
    data = json.loads(client.get("/mine-sider/data/").content)
    assert data["frivillig_blocks.contact_preference"]["invitations"] is True
    invitations = data["frivillig_blocks.theme_meeting_invitations"]
    assert invitations[0]["meeting"] == "Temamøde om frivillighed"

    client.post("/mine-sider/slet-konto/", {"email": user.email})
    assert not ContactPreference.objects.exists()
    assert not ThemeMeetingInvitation.objects.exists()


# -- the meeting in the admin ----------------------------------------------------------------


def test_the_coordinator_creates_a_meeting(client, user_factory, site_tree):
    user = coordinator(client, user_factory)
    response = client.post(
        f"{ADMIN}new/",
        {
            "title": "Temamøde",
            "start": "2026-03-10 18:00",
            "end": "2026-03-10 20:00",
            "location": "Rådhuset",
            "description": "",
            "public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = ThemeMeeting.objects.get()
    assert meeting.created_by == user
    assert meeting.start == START


def test_only_consenting_people_are_offered_and_invited(
    client, user_factory, site_tree, meeting, anymail_backend
):
    yes = consenting(user_factory, 2)
    no = user_factory()
    ContactPreference.objects.create(user=user_factory(), invitations=False)
    coordinator(client, user_factory)
    html = client.get(f"{ADMIN}invite/{meeting.pk}/").content.decode()
    for person in yes:
        assert f'value="{person.pk}"' in html
    assert f'value="{no.pk}"' not in html

    # Someone who has not consented cannot be invited, even by a forged form.
    response = client.post(f"{ADMIN}invite/{meeting.pk}/", {"users": [yes[0].pk, no.pk]})
    assert response.status_code == 400
    assert "Du kan kun invitere personer, der har sagt ja til invitationer." in (
        response.content.decode()
    )
    assert not ThemeMeetingInvitation.objects.exists()
    assert not mail.outbox

    response = client.post(f"{ADMIN}invite/{meeting.pk}/", {"users": [p.pk for p in yes]})
    assert response.status_code == 302
    assert set(ThemeMeetingInvitation.objects.values_list("email", flat=True)) == {
        p.email for p in yes
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in yes)
    message = mail.outbox[0]
    assert message.subject == "Invitation: Temamøde om frivillighed"
    assert "inviterer dig til et møde om frivilligheden" in message.body
    assert "19:00" not in message.body and "18:00" in message.body  # Copenhagen time
    assert "Message-ID" in message.extra_headers or message.extra_headers.get("Message-ID")
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Temamøde om frivillighed"
    assert event.decoded("dtstart") == START
    assert "Rådhuset" in str(event["location"])

    # Sending again sends nothing twice.
    client.post(f"{ADMIN}invite/{meeting.pk}/", {"users": [p.pk for p in yes]})
    assert ThemeMeetingInvitation.objects.count() == 2
    assert len(mail.outbox) == 2

    entry = ModelLogEntry.objects.get(action="frivillig_blocks.invitations_sent")
    assert entry.object_id == str(meeting.pk)
    assert entry.data == {"count": 2}


def test_withdrawn_consent_is_respected_at_sending(
    client, user_factory, site_tree, meeting, anymail_backend
):
    from opfoelgning.feedback import services

    person, other = consenting(user_factory, 2)
    ContactPreference.objects.filter(user=person).update(invitations=False)
    by = user_factory(groups=[roles.FRIVILLIGKOORDINATOR])
    sent = services.invite(meeting=meeting, people=[person, other], by=by)
    assert [i.email for i in sent] == [other.email]
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_an_empty_choice_is_refused(client, user_factory, site_tree, meeting):
    consenting(user_factory, 1)
    coordinator(client, user_factory)
    response = client.post(f"{ADMIN}invite/{meeting.pk}/", {})
    assert response.status_code == 400
    assert "Vælg mindst én person." in response.content.decode()


@pytest.mark.parametrize(
    "group", [roles.INSTITUTIONSLEDERE, roles.KOMMUNIKATOERER, roles.KURSUSANSVARLIGE]
)
def test_other_staff_cannot_invite(client, user_factory, site_tree, meeting, group):
    person = consenting(user_factory, 1)[0]
    client.force_login(user_factory(groups=[group]))
    assert denied(client.get(f"{ADMIN}invite/{meeting.pk}/"))
    assert denied(client.post(f"{ADMIN}invite/{meeting.pk}/", {"users": [person.pk]}))
    assert not ThemeMeetingInvitation.objects.exists()


def test_institution_leaders_do_not_see_theme_meetings(client, user_factory, site_tree):
    client.force_login(user_factory(groups=[roles.INSTITUTIONSLEDERE]))
    assert denied(client.get(ADMIN))
    assert denied(client.get(f"{ADMIN}new/"))


def test_the_list_links_to_the_invitations(client, user_factory, site_tree, meeting):
    coordinator(client, user_factory)
    html = client.get(ADMIN).content.decode()
    assert f"{ADMIN}invite/{meeting.pk}/" in html


# -- the shared calendar ---------------------------------------------------------------------


def test_a_public_meeting_is_in_the_calendar(meeting):
    ThemeMeeting.objects.create(
        title="Internt møde", start=START, end=START + dt.timedelta(hours=1), public=False
    )
    entries = calendar_entries(START - dt.timedelta(days=1), START + dt.timedelta(days=1))
    meetings = [e for e in entries if e.kind == "meeting"]
    assert [e.title for e in meetings] == ["Temamøde om frivillighed"]
    assert meetings[0].location == "Rådhuset, mødesal 1"
    assert not calendar_entries(START + dt.timedelta(days=1), START + dt.timedelta(days=2))


@requires_apps("kalender")
def test_the_calendar_shows_an_entry_of_the_new_kind(meeting):
    from kalender.feeds import vevent_for_entry
    from kalender.queries import item_for_entry

    entry = next(
        e
        for e in calendar_entries(START - dt.timedelta(days=1), START + dt.timedelta(days=1))
        if e.kind == "meeting"
    )
    html = item_for_entry(entry).html  # the line the list, week and month show
    assert "Temamøde om frivillighed" in html and "calendar-item--meeting" in html
    assert b"Tem" in vevent_for_entry(entry).to_ical()
