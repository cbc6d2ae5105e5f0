"""The courses in the personal data registry (#17, findings 8, 9 and 10): the data download
holds every seat, booking, evaluation, certificate and need of a person; "Slet konto" gives
up the person's own seats (the waiting list moves on) while the seats they booked for other
people stand, with nobody mailed; the retention runs through the registry; stored mails go
with their registration and never show a cancel link to staff."""

from __future__ import annotations

import datetime
import json

from django.core import mail
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.personal_data import related_key
from kurser import services
from kurser.models import CompetenceNeed, Evaluation, Meeting, Registration, update_session_dates

from ..personal_data_scan import personal_data_left

Status = Registration.Status
NAME = ("Birthe", "Bøgh-Sørensen")
EMAIL = "birthe.boegh@example.org"
PHONE = "+45 21 43 65 87"


def move_to_past(session, days_ago=30):
    """Put a session's meetings ``days_ago`` days back (registering is only possible before)."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(session=session).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    update_session_dates(session.pk)
    session.refresh_from_db()


def build_world(session_factory, user_factory, membership_factory):
    person = user_factory(username="birthe", first_name=NAME[0], last_name=NAME[1], email=EMAIL)
    membership = membership_factory(user=person)
    # A future seat of her own, with someone waiting behind her.
    own_future = session_factory(capacity=1)
    mine = services.register(session_id=own_future.pk, user=person)
    waiting = user_factory(username="venter")
    behind = services.register(session_id=own_future.pk, user=waiting)
    # Three seats she booked for other people of her association.
    for_others = session_factory()
    others = [
        services.register(
            session_id=for_others.pk,
            user=person,
            association_id=membership.association_id,
            name=f"Deltager {n}",
            email=f"deltager{n}@example.org",
        )
        for n in range(3)
    ]
    # A place on a full session's waiting list.
    full = session_factory(capacity=1)
    services.register(session_id=full.pk, user=user_factory(username="foerst"))
    in_line = services.register(session_id=full.pk, user=person)
    # A course she took: attended, evaluated, with a certificate.
    past = session_factory()
    taken = services.register(session_id=past.pk, user=person)
    move_to_past(past)
    Registration.objects.filter(pk=taken.pk).update(attended=True)
    Evaluation.objects.create(
        registration=taken,
        session=past,
        rating=5,
        usefulness=4,
        best=f"Ring gerne på {PHONE}, hilsen Birthe",
        improve="Mere kaffe",
    )
    need = CompetenceNeed.objects.create(
        description="Bogføring for kasserere", audience="volunteers", email=EMAIL.upper()
    )
    return {
        "person": person,
        "mine": mine,
        "behind": behind,
        "waiting_user": waiting,
        "others": others,
        "in_line": in_line,
        "taken": taken,
        "need": need,
        "association": membership.association,
    }


def test_the_download_holds_every_course_item_of_the_person(
    client, course_page, session_factory, user_factory, membership_factory
):
    world = build_world(session_factory, user_factory, membership_factory)
    client.force_login(world["person"])
    response = client.get("/mine-sider/data/")
    assert response.status_code == 200
    data = json.loads(response.content)

    own = {r["course"]: r for r in data["kurser.registrations"]}
    mine, in_line, taken = world["mine"], world["in_line"], world["taken"]
    assert own[mine.session.course.title]["status"] == "confirmed"
    assert own[mine.session.course.title]["email"] == EMAIL
    assert own[in_line.session.course.title]["status"] == "waiting"
    assert own[in_line.session.course.title]["place_in_line"] == 1
    assert own[taken.session.course.title]["attended"] is True
    assert own[taken.session.course.title]["certificate"].endswith(
        f"/frivillig/kurser/kursusbevis/{taken.pk}/"
    )
    assert len(own) == 3  # the seats she booked for others are not hers

    booked = data["kurser.bookings_for_others"]
    assert sorted(b["participant"] for b in booked) == ["Deltager 0", "Deltager 1", "Deltager 2"]
    assert {b["status"] for b in booked} == {"confirmed"}
    assert {b["association"] for b in booked} == {world["association"].name}
    assert {b["course"] for b in booked} == {world["others"][0].session.course.title}

    [evaluation] = data["kurser.evaluations"]
    assert evaluation["rating"] == 5 and PHONE in evaluation["best"]
    [need] = data["kurser.competence_needs"]
    assert need["description"] == "Bogføring for kasserere"


def test_slet_konto_keeps_the_seats_booked_for_others_and_mails_nobody(
    client, course_page, session_factory, user_factory, membership_factory
):
    """Finding 8: 13 seats booked for other people were cancelled and those people mailed."""
    world = build_world(session_factory, user_factory, membership_factory)
    person, others = world["person"], world["others"]
    own_ids = [world[k].pk for k in ("mine", "in_line", "taken")]
    own_keys = [f"kurser.registration:{pk}" for pk in own_ids]
    own_mails = OutboundMessage.objects.filter(related__in=own_keys).count()
    log(instance=world["mine"], action="kurser.promote", user=None)
    other_mails = set(
        OutboundMessage.objects.filter(related__in=[related_key(r) for r in others]).values_list(
            "pk", flat=True
        )
    )
    mail.outbox.clear()

    client.force_login(person)
    response = client.post("/mine-sider/slet-konto/", {"email": EMAIL})
    assert response.status_code == 302

    assert not type(person).objects.filter(pk=person.pk).exists()
    assert personal_data_left("kurser", *NAME, EMAIL, PHONE) == []
    [entry] = ModelLogEntry.objects.filter(action="kurser.promote")
    assert NAME[1] not in entry.label  # the admin history no longer names her
    # The three seats she booked stand, confirmed, with their participants and association.
    for registration in others:
        registration.refresh_from_db()
        assert registration.status == Status.CONFIRMED
        assert registration.email == registration.email.lower() != ""
        assert registration.association == world["association"]
        assert registration.user is None
    sent_to = [address for message in mail.outbox for address in message.to]
    assert not any(address.startswith("deltager") for address in sent_to), sent_to
    # Her own future seat went to the next in line, as a normal cancel would; she got no mail.
    assert EMAIL not in sent_to
    mine = Registration.objects.get(pk=world["mine"].pk)
    assert mine.status == Status.CANCELLED and mine.anonymised_at is not None
    assert Registration.objects.get(pk=world["behind"].pk).status == Status.OFFERED
    assert sent_to == [world["waiting_user"].email]
    # Her place in line is given up; her past course is kept as an anonymous count.
    assert Registration.objects.get(pk=world["in_line"].pk).status == Status.CANCELLED
    taken = Registration.objects.get(pk=world["taken"].pk)
    assert taken.status == Status.CONFIRMED and taken.attended is True and taken.email == ""
    evaluation = Evaluation.objects.get(registration=taken)
    assert evaluation.rating == 5 and evaluation.best == "" and evaluation.improve == ""
    assert CompetenceNeed.objects.get().email == ""
    assert CompetenceNeed.objects.get().description == "Bogføring for kasserere"
    # Her stored mails (tied to her registrations) are scrubbed; the participants' stay.
    assert own_mails >= 3 and len(other_mails) == 3
    assert not OutboundMessage.objects.filter(related__in=own_keys).exists()
    assert (
        set(
            OutboundMessage.objects.filter(
                related__in=[related_key(r) for r in others]
            ).values_list("pk", flat=True)
        )
        == other_mails
    )


def test_retention_runs_in_the_registry(course_page, session_factory, user_factory, settings):
    """Finding 10: the participants and the competence needs go after the period, with
    their stored mails, through the registry's nightly run (one place)."""
    from kurser import schedule

    settings.KURSER_RETENTION_DAYS = 365
    assert "kurser.tasks.anonymise_participants" not in {t["task"] for t in schedule.PERIODIC_TASKS}
    person = user_factory(username="gammel", first_name="Gerda", last_name="Gammelgaard")
    session = session_factory()
    registration = services.register(session_id=session.pk, user=person)
    move_to_past(session, days_ago=1)
    Evaluation.objects.create(
        registration=registration, session=session, rating=4, usefulness=4, best="Gerda her"
    )
    need = CompetenceNeed.objects.create(
        description="Førstehjælp", audience="volunteers", email="gerda@example.org"
    )
    key = related_key(registration)
    assert OutboundMessage.objects.filter(related=key).exists()

    now = timezone.now()
    done = personal_data.expire(now + datetime.timedelta(days=300))
    assert done["kurser.registrations"] == 0 and done["kurser.competence_needs"] == 0
    registration.refresh_from_db()
    assert registration.email == person.email

    done = personal_data.expire(now + datetime.timedelta(days=370))
    assert done["kurser.registrations"] == 1 and done["kurser.competence_needs"] == 1
    registration.refresh_from_db()
    assert registration.name == registration.email == "" and registration.user is None
    assert registration.status == Status.CONFIRMED
    assert Evaluation.objects.get().best == "" and Evaluation.objects.get().rating == 4
    need.refresh_from_db()
    assert need.email == "" and need.description == "Førstehjælp"
    assert not OutboundMessage.objects.filter(related=key).exists()
    assert personal_data_left("kurser", "Gerda", "Gammelgaard", person.email, "gerda@") == []
    # Once only.
    assert personal_data.expire(now + datetime.timedelta(days=371))["kurser.registrations"] == 0


def test_staff_cannot_cancel_a_seat_from_the_mail_log(
    client, course_page, session_factory, user_factory
):
    """The stored copy of a mail with a cancel or accept link shows "[…]": a coordinator
    reading the mail log cannot take a citizen's seat."""
    session = session_factory(capacity=1)
    services.register(session_id=session.pk, user=user_factory(username="foerste"))
    citizen = user_factory(username="anden")
    mail.outbox.clear()
    waiting = services.register(session_id=session.pk, user=citizen)
    first = Registration.objects.get(session=session, status=Status.CONFIRMED)
    mail.outbox.clear()
    services.cancel_own(registration_id=first.pk, user=first.user)  # the offer goes out

    offer = OutboundMessage.objects.get(related=related_key(waiting), purpose="kurser_offer")
    sent = next(m for m in mail.outbox if citizen.email in m.to)
    assert "/frivillig/kurser/accepter/" in sent.body and "/frivillig/kurser/afmeld/" in sent.body
    coordinator = user_factory(username="koordinator", groups=["Frivilligkoordinator"])
    client.force_login(coordinator)
    for stored in OutboundMessage.objects.filter(related=related_key(waiting)):
        page = client.get(f"/admin/mail-log/outbound/inspect/{stored.pk}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert "/accepter/" not in body and "/afmeld/" not in body
        assert "/accepter/" not in stored.body_text + stored.body_html
        assert "/afmeld/" not in stored.body_text + stored.body_html
    assert "[…]" in offer.body_text
    # The real mail's link works for the citizen.
    accept = sent.body.split("/frivillig/kurser/accepter/")[1].split()[0]
    response = client.post(f"/frivillig/kurser/accepter/{accept}")
    assert response.status_code in (200, 302)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_a_confirmation_with_its_calendar_file_is_sealed(course_page, session_factory, user):
    session = session_factory()
    registration = services.register(session_id=session.pk, user=user)
    stored = OutboundMessage.objects.get(
        related=related_key(registration), purpose="kurser_confirmation"
    )
    assert "/afmeld/" not in stored.body_text + stored.body_html and "[…]" in stored.body_text
    assert stored.attachments[0]["filename"] == "kursus.ics"
    sent = mail.outbox[-1]
    assert "/frivillig/kurser/afmeld/" in sent.body
    assert sent.attachments[0][0] == "kursus.ics"
