"""Registering, cancelling, the waiting list, offers and promotion: the seats and the mails."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kurser import exceptions, services
from kurser.models import Registration
from kurser.tokens import make_token
from tests.helpers import last_mail_to

Status = Registration.Status


@pytest.fixture
def people(user_factory):
    return [
        user_factory(username=name, first_name=name.title())
        for name in ["anne", "bo", "cai", "dina", "eva"]
    ]


def token_from(message, route):
    import re

    match = re.search(rf"/{route}/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_registering_takes_a_seat_and_mails_a_confirmation_with_ics(
    course_page, session_factory, people, anymail_backend
):
    session = session_factory(capacity=2, meetings=2)
    registration = services.register(session_id=session.pk, user=people[0])
    assert registration.status == Status.CONFIRMED
    message = last_mail_to("anne@example.org")
    assert "Du er tilmeldt" in message.subject
    assert "/frivillig/kurser/afmeld/" in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename == "kursus.ics" and mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert text.count("BEGIN:VEVENT") == 2
    assert session.course.title in text


def test_full_session_puts_the_next_on_the_waiting_list(course_page, session_factory, people):
    session = session_factory(capacity=2)
    statuses = [services.register(session_id=session.pk, user=u).status for u in people[:4]]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    assert "venteliste" in last_mail_to("cai@example.org").subject.lower()


def test_registering_twice_is_refused(course_page, session_factory, people):
    session = session_factory()
    services.register(session_id=session.pk, user=people[0])
    with pytest.raises(exceptions.AlreadyRegistered):
        services.register(session_id=session.pk, user=people[0])
    assert Registration.objects.count() == 1


def test_after_the_deadline_and_capacity_zero_are_refused(course_page, session_factory, people):
    late = session_factory(deadline_in=datetime.timedelta(hours=-1))
    with pytest.raises(exceptions.RegistrationClosed):
        services.register(session_id=late.pk, user=people[0])
    empty = session_factory(capacity=0)
    with pytest.raises(exceptions.NoSeats) as caught:
        services.register(session_id=empty.pk, user=people[0])
    assert str(caught.value.message) == "Dette hold tager ikke imod tilmeldinger."
    assert not Registration.objects.exists()


def test_forged_or_unpublished_session_is_refused(course_page, session_factory, people):
    hidden = session_factory()
    hidden.course.published = False
    hidden.course.save()
    for session_id in (hidden.pk, 999999, "abc"):
        with pytest.raises(exceptions.CourseError):
            services.register(session_id=session_id, user=people[0])


def test_cancel_offers_the_seat_to_the_first_in_line_who_accepts(
    course_page, session_factory, people
):
    session = session_factory(capacity=1)
    first = services.register(session_id=session.pk, user=people[0])
    services.register(session_id=session.pk, user=people[1])
    services.register(session_id=session.pk, user=people[2])
    services.cancel(token=token_from(last_mail_to("anne@example.org"), "afmeld"))
    first.refresh_from_db()
    assert first.status == Status.CANCELLED
    offer = last_mail_to("bo@example.org")
    assert "ledig plads" in offer.subject
    accepted = services.accept_offer(token=token_from(offer, "accepter"))
    assert accepted.status == Status.CONFIRMED
    assert Registration.objects.get(email="cai@example.org").status == Status.WAITING
    assert "Du er tilmeldt" in last_mail_to("bo@example.org").subject


def test_an_offer_unanswered_for_48_hours_passes_to_the_next(course_page, session_factory, people):
    session = session_factory(capacity=1)
    services.register(session_id=session.pk, user=people[0])
    services.register(session_id=session.pk, user=people[1])
    services.register(session_id=session.pk, user=people[2])
    services.cancel(token=token_from(last_mail_to("anne@example.org"), "afmeld"))
    offer_to_bo = last_mail_to("bo@example.org")
    offered = timezone.now()
    # 47 hours later nothing lapses; 48 hours and a minute later the offer passes on.
    assert services.expire_offers(now=offered + datetime.timedelta(hours=47)) == 0
    later = offered + datetime.timedelta(hours=48, minutes=1)
    assert services.expire_offers(now=later) == 1
    bo = Registration.objects.get(email="bo@example.org")
    cai = Registration.objects.get(email="cai@example.org")
    assert bo.status == Status.EXPIRED
    assert cai.status == Status.OFFERED
    assert cai.offer_expires_at == later + datetime.timedelta(hours=48)
    assert "ledig plads" in last_mail_to("cai@example.org").subject
    # Bo's link no longer gives a seat.
    with pytest.raises(exceptions.NoOffer):
        services.accept_offer(token=token_from(offer_to_bo, "accepter"), now=later)
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 0


def test_accepting_an_expired_offer_before_the_task_runs(course_page, session_factory, people):
    session = session_factory(capacity=1)
    services.register(session_id=session.pk, user=people[0])
    services.register(session_id=session.pk, user=people[1])
    services.register(session_id=session.pk, user=people[2])
    services.cancel(token=token_from(last_mail_to("anne@example.org"), "afmeld"))
    token = token_from(last_mail_to("bo@example.org"), "accepter")
    with pytest.raises(exceptions.OfferExpired) as caught:
        services.accept_offer(token=token, now=timezone.now() + datetime.timedelta(hours=49))
    assert "udløbet" in str(caught.value.message)
    assert Registration.objects.get(email="cai@example.org").status == Status.OFFERED


def test_open_offers_hold_the_seat_against_newcomers(course_page, session_factory, people):
    session = session_factory(capacity=1)
    services.register(session_id=session.pk, user=people[0])
    services.register(session_id=session.pk, user=people[1])
    services.cancel(token=token_from(last_mail_to("anne@example.org"), "afmeld"))
    newcomer = services.register(session_id=session.pk, user=people[3])
    assert newcomer.status == Status.WAITING


def test_forged_foreign_and_stale_cancel_links(course_page, session_factory, people):
    session = session_factory()
    mine = services.register(session_id=session.pk, user=people[0])
    token = make_token(mine, "cancel")
    for bad in (token[:-2] + "xx", "nonsense", make_token(mine, "accept"), "x" * 400):
        with pytest.raises(exceptions.InvalidLink):
            services.cancel(token=bad)
    services.cancel(token=token)
    with pytest.raises(exceptions.AlreadyCancelled):
        services.cancel(token=token)
    # Registering again makes a new registration: the old link is stale.
    again = services.register(session_id=session.pk, user=people[0])
    assert again.pk == mine.pk and again.status == Status.CONFIRMED
    with pytest.raises(exceptions.InvalidLink):
        services.cancel(token=token)


def test_no_cancelling_after_the_start(course_page, session_factory, people):
    session = session_factory()
    registration = services.register(session_id=session.pk, user=people[0])
    with pytest.raises(exceptions.TooLateToCancel):
        services.cancel(
            token=make_token(registration, "cancel"),
            now=session.starts_at + datetime.timedelta(minutes=1),
        )


def test_association_registration_with_a_cap(
    course_page, session_factory, people, membership_factory, association_factory
):
    association = association_factory(name="Søspejderne")
    membership_factory(user=people[0], association=association)
    session = session_factory(association_cap=2)
    for n in range(2):
        registration = services.register(
            session_id=session.pk,
            user=people[0],
            association_id=association.pk,
            name=f"Spejder {n}",
            email=f"Spejder{n}@Example.org",
        )
        assert registration.association == association
        assert registration.email == f"spejder{n}@example.org"
    with pytest.raises(exceptions.AssociationCapReached):
        services.register(
            session_id=session.pk,
            user=people[0],
            association_id=association.pk,
            name="Spejder 3",
            email="spejder3@example.org",
        )
    other = association_factory()
    with pytest.raises(exceptions.NotAssociationMember):
        services.register(
            session_id=session.pk,
            user=people[0],
            association_id=other.pk,
            name="Fremmed",
            email="fremmed@example.org",
        )
    assert Registration.objects.count() == 2
    assert "Du er tilmeldt" in last_mail_to("spejder0@example.org").subject


def test_staff_promote_only_onto_a_free_seat(course_page, session_factory, people, user_factory):
    staff = user_factory(username="staff", is_superuser=True)
    session = session_factory(capacity=1)
    services.register(session_id=session.pk, user=people[0])
    waiting = services.register(session_id=session.pk, user=people[1])
    with pytest.raises(exceptions.SessionFull):
        services.promote(registration_id=waiting.pk, by_user=staff)
    session.capacity = 2
    session.save()
    promoted = services.promote(registration_id=waiting.pk, by_user=staff)
    assert promoted.status == Status.CONFIRMED
    assert mail.outbox[-1].subject.startswith("Du er tilmeldt")


def test_a_cancel_link_mailed_in_the_older_form_still_cancels(course_page, session_factory, people):
    from django.utils.crypto import salted_hmac

    from kurser.tokens import _stamp

    session = session_factory()
    mine = services.register(session_id=session.pk, user=people[0])
    value = f"{mine.pk}-{_stamp(mine.queued_at)}"
    signature = salted_hmac("kurser.cancel", value, algorithm="sha256").hexdigest()[:40]
    forged = salted_hmac("kurser.accept", value, algorithm="sha256").hexdigest()[:40]
    with pytest.raises(exceptions.InvalidLink):
        services.cancel(token=f"{value}-{forged}")
    services.cancel(token=f"{value}-{signature}")
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED
