"""Loans in the personal data registry (#17, findings 8, 9 and 10): "Slet konto" gives up
the person's pending and future loans, so their slots are free for others ("12 pending
loans stayed pending and held their slots"), anonymises every loan of theirs and scrubs
its mails, and tells the leaders without naming the person; the data download holds every
loan with every personal field; the retention runs through the registry, in one place."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from wagtail.hooks import get_hooks
from wagtail.models import ModelLogEntry

from booking import exceptions, schedule, services, tasks
from booking.models import DeclineReason, Loan, LoanSlot, LoanStatus
from frivillig_blocks import personal_data
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.personal_data import related_key

from ..factories import MembershipFactory, UserFactory
from ..personal_data_scan import personal_data_left
from .conftest import CPH, make_request, next_weekday

NAME = ("Bodil", "Bøgelund")
EMAIL = "bodil.b@example.org"
PHONE = "+45 31 41 59 26"
NEEDLES = (*NAME, EMAIL, PHONE, "31415926")


def tuesday(weeks_ahead: int, hour: int = 17) -> list[tuple[dt.datetime, dt.datetime]]:
    day = next_weekday(1, weeks_ahead)
    return [
        (
            dt.datetime.combine(day, dt.time(hour), tzinfo=CPH),
            dt.datetime.combine(day, dt.time(hour + 2), tzinfo=CPH),
        )
    ]


def person_request(world, **overrides):
    values = {
        "responsible_name": " ".join(NAME),
        "responsible_phone": PHONE,
        "description": f"Ring til {NAME[0]} på {PHONE}",
    }
    values.update(overrides)
    return make_request(world, **values)


def move_to_past(loan, days_ago=40):
    start = timezone.now() - dt.timedelta(days=days_ago)
    LoanSlot.objects.filter(loan=loan).update(start=start, end=start + dt.timedelta(hours=2))
    Loan.objects.filter(pk=loan.pk).update(
        first_start=start, last_end=start + dt.timedelta(hours=2)
    )


def build(world):
    """Bodil, a member of the scouts: 12 pending requests for the hall on 12 Tuesdays, an
    approved loan of tables next week, and a loan of tables that ended 40 days ago whose
    leader's notes name her."""
    person = UserFactory(username="bodil", first_name=NAME[0], last_name=NAME[1], email=EMAIL)
    MembershipFactory(user=person, association=world.association)
    pending = [
        services.request_loan(
            user=person,
            req=person_request(world, slots=tuesday(week), title=f"{NAME[0]}s spejdermøde {week}"),
        )
        for week in range(1, 13)
    ]
    future = services.request_loan(
        user=person, req=person_request(world, items=[(world.tables, 2)], slots=tuesday(1, 9))
    )
    services.approve_loan(loan_id=future.pk, user=world.leader)
    past = services.request_loan(
        user=person, req=person_request(world, items=[(world.tables, 4)], slots=tuesday(2, 9))
    )
    services.approve_loan(loan_id=past.pk, user=world.leader, note=f"{NAME[0]} henter selv")
    services.hand_out(loan_id=past.pk, user=world.leader, condition=f"Givet til {NAME[0]}")
    services.take_back(loan_id=past.pk, user=world.leader, condition="Fin")
    move_to_past(past)
    return person, pending, Loan.objects.get(pk=future.pk), Loan.objects.get(pk=past.pk)


def test_twelve_pending_loans_are_cancelled_and_free_their_slots_when_the_account_goes(
    client, world, booking_page, anymail_backend
):
    person, pending, future, past = build(world)
    loans = [*pending, future, past]
    assert len(pending) == 12
    assert OutboundMessage.objects.filter(related__in=[related_key(x) for x in loans]).count()
    assert personal_data_left("booking", *NEEDLES)  # the scan finds her before
    # The slot is held: someone else is refused.
    other = UserFactory(username="anden")
    MembershipFactory(user=other, association=world.association)
    with pytest.raises(exceptions.SlotTaken):
        services.request_loan(user=other, req=make_request(world, slots=tuesday(3)))

    client.force_login(person)
    response = client.post("/mine-sider/slet-konto/", {"email": EMAIL})
    assert response.status_code == 302

    statuses = dict(Loan.objects.filter(pk__in=[x.pk for x in loans]).values_list("pk", "status"))
    assert all(statuses[x.pk] == LoanStatus.CANCELLED for x in pending)
    assert statuses[future.pk] == LoanStatus.CANCELLED
    assert statuses[past.pk] == LoanStatus.APPROVED  # it happened; it stays, anonymised
    assert not Loan.objects.filter(pk__in=[x.pk for x in loans], anonymised_at__isnull=True)
    assert personal_data_left("booking", *NEEDLES) == []
    # The loans' history in the admin names her no more.
    for loan in loans:
        for entry in ModelLogEntry.objects.for_instance(loan):
            text = (entry.label + json.dumps(entry.data, ensure_ascii=False)).lower()
            assert not any(n.lower() in text for n in NEEDLES), (entry.action, text)
    # The mails about her loans are gone; the leaders got one notice without her data.
    assert not OutboundMessage.objects.filter(related__in=[related_key(x) for x in loans])
    notice = OutboundMessage.objects.get(purpose="booking_erased_to_leaders")
    assert world.leader.email in notice.to and world.library.email in notice.to
    body = notice.subject + notice.body_text + notice.body_html
    assert "slettet sin konto" in notice.subject
    assert all(x.reference in body for x in [*pending, future])
    assert past.reference not in body
    assert not any(n.lower() in body.lower() for n in NEEDLES)
    # Someone else can now ask for the same time, and for the freed tables.
    loan = services.request_loan(user=other, req=make_request(world, slots=tuesday(3)))
    assert loan.status == LoanStatus.PENDING
    services.request_loan(
        user=other,
        req=make_request(world, items=[(world.tables, 8)], slots=tuesday(1, 9)),
    )


def test_the_data_download_holds_every_loan_with_its_personal_fields(
    client, world, booking_page, anymail_backend
):
    person, pending, future, past = build(world)
    reason = DeclineReason.objects.first()
    services.decline_loan(
        loan_id=pending[0].pk, user=world.leader, reason_id=reason.pk, note="Salen er lukket"
    )
    client.force_login(person)
    response = client.get("/mine-sider/data/")
    assert response.status_code == 200
    data = json.loads(response.content)["booking.loans"]
    by_reference = {row["reference"]: row for row in data}
    assert set(by_reference) == {x.reference for x in [*pending, future, past]}
    declined = by_reference[pending[0].reference]
    assert declined["status"] == "Afslået" and declined["decline_reason"] == reason.text
    assert "Salen er lukket" not in json.dumps(data)  # the internal note stays in the admin
    assert declined["title"] == f"{NAME[0]}s spejdermøde 1"
    assert declined["responsible_name"] == " ".join(NAME)
    assert declined["responsible_phone"] == PHONE
    assert declined["borrower_email"] == EMAIL and declined["borrower_name"] == " ".join(NAME)
    assert declined["description"] == f"Ring til {NAME[0]} på {PHONE}"
    assert declined["association"] == "Dragør Spejderne" and declined["participants"] == 20
    assert declined["resources"] == [{"name": "Salen", "quantity": 1}]
    assert declined["times"][0]["start"].startswith(next_weekday(1, 1).isoformat()[:4])
    assert {m["sent_to"] for m in declined["mails"]} == {"you", "the institution's leaders"}
    assert all(world.leader.email not in json.dumps(m) for m in declined["mails"])
    row = by_reference[past.reference]
    assert row["decision_reason"] == f"{NAME[0]} henter selv"
    assert row["condition_at_hand_out"] == f"Givet til {NAME[0]}"
    assert row["condition_at_return"] == "Fin" and row["returned"]
    assert row["resources"] == [{"name": "Borde", "quantity": 4}]
    child = person_request(world, children_take_part=True, slots=tuesday(20), title="Leg")
    child.accepted_declarations = frozenset({world.children_declaration.pk})
    loan = services.request_loan(user=person, req=child)
    data = personal_data.export(person)["booking.loans"]
    row = next(r for r in data if r["reference"] == loan.reference)
    assert row["children_take_part"] is True
    assert [d["title"] for d in row["declarations"]] == ["Børneattest"]
    # Someone else's export has none of hers.
    assert "booking.loans" not in personal_data.export(world.member)


def test_a_series_under_way_keeps_its_past_times_and_frees_the_rest(world, anymail_backend):
    person = UserFactory(username="bodil", first_name=NAME[0], last_name=NAME[1], email=EMAIL)
    MembershipFactory(user=person, association=world.association)
    loan = services.request_loan(
        user=person, req=person_request(world, slots=[*tuesday(1), *tuesday(2), *tuesday(3)])
    )
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    first = loan.slots.order_by("start").first()
    start = timezone.now() - dt.timedelta(days=3)
    LoanSlot.objects.filter(pk=first.pk).update(start=start, end=start + dt.timedelta(hours=2))
    Loan.objects.filter(pk=loan.pk).update(first_start=start)
    personal_data.erase(person)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED and loan.anonymised_at is not None
    assert list(loan.slots.filter(held=True)) == [first]
    assert loan.last_end == start + dt.timedelta(hours=2)
    assert not services.held_intervals(
        [world.hall.pk], timezone.now(), timezone.now() + dt.timedelta(weeks=5)
    )


def test_every_mail_about_a_loan_is_tied_to_it(world, booking_page, anymail_backend):
    loan = services.request_loan(user=world.member, req=make_request(world))
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    services.cancel_by_leader(loan_id=loan.pk, user=world.leader, reason="Vandskade")
    declined = services.request_loan(user=world.member, req=make_request(world))
    services.decline_loan(
        loan_id=declined.pk, user=world.leader, reason_id=DeclineReason.objects.first().pk
    )
    mails = OutboundMessage.objects.filter(purpose__startswith="booking_")
    purposes = sorted(mails.values_list("purpose", flat=True))
    assert purposes == sorted(
        ["booking_received", "booking_to_leaders"] * 2
        + ["booking_approved", "booking_cancelled", "booking_declined"]
    )
    assert set(mails.values_list("related", flat=True)) == {
        related_key(loan),
        related_key(declined),
    }


def test_retention_runs_through_the_registry_and_scrubs_the_mails(
    world, booking_page, anymail_backend, settings
):
    settings.BOOKING_RETENTION_DAYS = 30
    loan = services.request_loan(user=world.member, req=make_request(world))
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    assert OutboundMessage.objects.filter(related=related_key(loan)).count() == 3
    assert personal_data.expire(now=timezone.now())["booking.loans"] == 0
    done = personal_data.expire(now=loan.last_end + dt.timedelta(days=31))
    assert done["booking.loans"] == 1
    loan.refresh_from_db()
    assert loan.anonymised_at is not None and loan.responsible_phone == ""
    assert not OutboundMessage.objects.filter(related=related_key(loan)).exists()
    # One place: no separate task or schedule entry, and the old hooks are gone.
    assert not hasattr(tasks, "anonymise_finished_loans")
    assert all("anonymise" not in t["task"] for t in schedule.PERIODIC_TASKS)
    for old in ("frivillig_personal_data_export", "frivillig_before_account_delete"):
        assert not [f for f in get_hooks(old) if f.__module__.startswith("booking")]
    keys = [s.key for s in personal_data.sources()]
    assert "booking.loans" in keys and "booking.feed_addresses" in keys


def test_a_leaders_calendar_addresses_are_in_the_download_and_go_with_the_account(
    client, world, booking_page
):
    from booking import feeds

    feeds.renew(user=world.leader, institution=world.library)
    data = personal_data.export(world.leader)["booking.feed_addresses"]
    assert [row["institution"] for row in data] == ["Biblioteket"]
    personal_data.erase(world.leader)
    from booking.models import LeaderFeedToken

    assert not LeaderFeedToken.objects.exists()
