"""Periodic tasks (offer expiry, reminders, evaluation requests, retention) and what the
courses give the one door (Mine sider, the data download, account deletion, the calendar)."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from frivillig_blocks import hooks, personal_data
from frivillig_blocks.accounts import services as account_services
from frivillig_blocks.scheduling import registered
from kurser import services, tasks
from kurser.models import CompetenceNeed, Evaluation, Registration, Session
from kurser.tokens import make_token

Status = Registration.Status


def test_schedule_lists_the_tasks():
    names = {p.task for p in registered()}
    assert {
        "kurser.tasks.expire_offers",
        "kurser.tasks.send_session_reminders",
        "kurser.tasks.send_evaluation_requests",
    } <= names
    # Retention runs in the personal data registry's nightly task, not a task of its own.
    assert "kurser.tasks.anonymise_participants" not in names


def test_expire_offers_task_passes_the_seat_on(course_page, session_factory, user_factory):
    session = session_factory(capacity=1)
    people = [user_factory(username=n) for n in ("anne", "bo", "cai")]
    first = services.register(session_id=session.pk, user=people[0])
    for person in people[1:]:
        services.register(session_id=session.pk, user=person)
    services.cancel(token=make_token(first, "cancel"))
    assert tasks.expire_offers.enqueue().return_value == 0
    # Time moves 48 hours forward: the offer to Bo was made two days ago.
    two_days_ago = timezone.now() - datetime.timedelta(hours=48, seconds=1)
    Registration.objects.filter(status=Status.OFFERED).update(
        offered_at=two_days_ago, offer_expires_at=two_days_ago + datetime.timedelta(hours=48)
    )
    assert tasks.expire_offers.enqueue().return_value == 1
    assert Registration.objects.get(email="bo@example.org").status == Status.EXPIRED
    assert Registration.objects.get(email="cai@example.org").status == Status.OFFERED
    assert mail.outbox[-1].to == ["cai@example.org"]


def test_offer_hours_setting(course_page, session_factory, user_factory, settings):
    settings.KURSER_OFFER_HOURS = 12
    session = session_factory(capacity=1)
    first = services.register(session_id=session.pk, user=user_factory(username="anne"))
    services.register(session_id=session.pk, user=user_factory(username="bo"))
    services.cancel(token=make_token(first, "cancel"))
    offer = Registration.objects.get(status=Status.OFFERED)
    assert offer.offer_expires_at - offer.offered_at == datetime.timedelta(hours=12)


def test_reminder_two_days_before_once(course_page, session_factory, user_factory):
    now = timezone.now()
    soon = session_factory(
        starts_in=datetime.timedelta(days=2), deadline_in=datetime.timedelta(days=1)
    )
    later = session_factory(starts_in=datetime.timedelta(days=5))
    for session in (soon, later):
        services.register(session_id=session.pk, user=user_factory())
    mail.outbox.clear()
    assert tasks.send_reminders(now=now) == 1
    assert "Påmindelse" in mail.outbox[0].subject
    assert tasks.send_reminders(now=now) == 0
    assert Session.objects.get(pk=soon.pk).reminder_sent_at is not None


def test_evaluation_requests_after_the_course(course_page, session_factory, user_factory):
    session = session_factory()
    came = services.register(session_id=session.pk, user=user_factory(username="kom"))
    absent = services.register(session_id=session.pk, user=user_factory(username="fravaer"))
    Registration.objects.filter(pk=absent.pk).update(attended=False)
    mail.outbox.clear()
    assert tasks.send_evaluations(now=timezone.now()) == 0  # not over yet
    after = session.ends_at + datetime.timedelta(hours=1)
    assert tasks.send_evaluations(now=after) == 1
    assert mail.outbox[0].to == [came.email]
    assert "/frivillig/kurser/evaluering/" in mail.outbox[0].body
    assert tasks.send_evaluations(now=after) == 0


def test_retention_anonymises_after_the_period(
    course_page, session_factory, user_factory, settings
):
    settings.KURSER_RETENTION_DAYS = 730
    session = session_factory()
    registration = services.register(session_id=session.pk, user=user_factory(username="gammel"))
    Evaluation.objects.create(
        registration=registration, session=session, rating=4, usefulness=4, best="Navn Navnesen"
    )
    just_before = session.ends_at + datetime.timedelta(days=729)
    assert personal_data.expire(just_before)["kurser.registrations"] == 0
    after = session.ends_at + datetime.timedelta(days=731)
    assert personal_data.expire(after)["kurser.registrations"] == 1
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.user) == ("", "", None)
    assert registration.status == Status.CONFIRMED  # the counts stay
    assert Evaluation.objects.get().best == ""
    assert personal_data.expire(after)["kurser.registrations"] == 0  # once


def test_mine_sider_shows_history_and_certificate(client, course_page, session_factory, user):
    session = session_factory()
    registration = services.register(session_id=session.pk, user=user)
    client.force_login(user)
    body = client.get("/mine-sider/").content.decode()
    assert "Mine kurser" in body and session.course.title in body
    assert "/frivillig/kurser/afmeld/" in body
    assert "kursusbevis" not in body
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    body = client.get("/mine-sider/").content.decode()
    assert f"/frivillig/kurser/kursusbevis/{registration.pk}/" in body
    assert "Evaluér kurset" not in body  # not begun yet
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    body = client.get("/mine-sider/").content.decode()
    assert "/frivillig/kurser/evaluering/" in body and "Evaluér kurset" in body
    Evaluation.objects.create(registration=registration, session=session, rating=5, usefulness=5)
    assert "Evaluér kurset" not in client.get("/mine-sider/").content.decode()


def test_personal_data_and_account_deletion(course_page, session_factory, user_factory):
    person = user_factory(username="slet")
    session = session_factory(capacity=1)
    mine = services.register(session_id=session.pk, user=person)
    services.register(session_id=session.pk, user=user_factory(username="naeste"))
    CompetenceNeed.objects.create(description="Regnskab", audience="volunteers", email=person.email)
    data = json.loads(json.dumps(personal_data.export(person), default=str))
    assert data["kurser.registrations"][0]["course"] == session.course.title
    assert data["kurser.competence_needs"][0]["description"] == "Regnskab"
    account_services.delete_account(person)
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED and mine.email == "" and mine.user is None
    # The freed seat went to the next in line.
    assert Registration.objects.get(email="naeste@example.org").status == Status.OFFERED
    assert CompetenceNeed.objects.get().email == ""


def test_calendar_entries(course_page, session_factory):
    session = session_factory(meetings=2)
    hidden = session_factory()
    hidden.course.published = False
    hidden.course.save()
    start = timezone.now()
    entries = [
        e
        for e in hooks.calendar_entries(start, start + datetime.timedelta(days=30))
        if e.kind == "course"
    ]
    assert len(entries) == 2
    assert entries[0].title == session.course.title
    assert entries[0].url.endswith(f"/frivillig/kurser/{session.course.slug}/")
    assert entries[0].uid.startswith("kurser-meeting-")


@pytest.mark.parametrize("value", [0, -1, "48", True])
def test_settings_are_checked(settings, value):
    from kurser.checks import check_settings

    settings.KURSER_OFFER_HOURS = value
    errors = check_settings()
    assert [e.id for e in errors] == ["kurser.E001"]


def test_mine_sider_shows_the_place_in_line(client, course_page, session_factory, user_factory):
    session = session_factory(capacity=1)
    people = [user_factory(username=f"p{i}") for i in range(3)]
    for person in people:
        services.register(session_id=session.pk, user=person)
    client.force_login(people[2])
    body = client.get("/mine-sider/").content.decode()
    assert "På ventelisten (nr. 2 i køen)" in body


def test_a_participant_registered_by_the_association_sees_the_course(
    client, course_page, session_factory, user_factory, membership_factory
):
    chair = user_factory(username="formand")
    membership = membership_factory(user=chair)
    participant = user_factory(username="ole")
    session = session_factory()
    registration = services.register(
        session_id=session.pk,
        user=chair,
        association_id=membership.association_id,
        name="Ole Olsen",
        email="OLE@example.org",
    )
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    client.force_login(participant)
    body = client.get("/mine-sider/").content.decode()
    assert session.course.title in body
    response = client.get(f"/frivillig/kurser/kursusbevis/{registration.pk}/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    data = personal_data.export(participant)
    assert [r["name"] for r in data["kurser.registrations"]] == ["Ole Olsen"]
    assert [
        r["participant"] for r in personal_data.export(chair)["kurser.bookings_for_others"]
    ] == ["Ole Olsen"]
    client.force_login(user_factory(username="fremmed"))
    assert client.get(f"/frivillig/kurser/kursusbevis/{registration.pk}/").status_code == 404
