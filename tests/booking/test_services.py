"""Requesting, deciding and cancelling loans against the real database."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from booking import exceptions, services
from booking.models import DeclineReason, Loan, LoanSlot, LoanStatus
from tests.helpers import last_mail_to

from .conftest import CPH, make_request, next_weekday


def at(day, start, end):
    return (
        dt.datetime.combine(day, dt.time(start), tzinfo=CPH),
        dt.datetime.combine(day, dt.time(end), tzinfo=CPH),
    )


@pytest.fixture(autouse=True)
def _mail(anymail_backend):
    return anymail_backend


def test_a_request_holds_its_slot_and_mails_borrower_and_leader(world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world))
    assert loan.status == LoanStatus.PENDING
    assert loan.slots.count() == 1 and loan.items.get().resource == world.hall
    assert "Vi har modtaget din anmodning" in last_mail_to(world.member.email).body
    assert "venter på din afgørelse" in last_mail_to(world.leader.email).body
    # The same slot again: refused while the first is pending.
    with pytest.raises(exceptions.SlotTaken) as refused:
        services.request_loan(user=world.member, req=make_request(world))
    assert "Salen er optaget" in refused.value.problems[0]
    assert Loan.objects.count() == 1


def test_every_broken_rule_is_refused_with_its_reason_and_nothing_saved(world):
    day = next_weekday(1)
    req = make_request(world, slots=[at(day, 12, 18)], participants=41, purpose="private_party")
    with pytest.raises(exceptions.RulesBroken) as refused:
        services.request_loan(user=world.member, req=req)
    assert refused.value.problems == [
        "Salen: Lokalet må ikke lånes til: Privat fest (fødselsdag, bryllup, konfirmation).",
        "Salen: Lokalet har plads til højst 40 personer.",
        "Salen: Lokalet kan højst lånes 4 timer ad gangen.",
    ]
    assert not Loan.objects.exists() and not LoanSlot.objects.exists()


def test_bad_input_is_refused(world, user_factory):
    day = next_weekday(1)
    cases = [
        (make_request(world, participants=0), "Skriv det forventede antal deltagere (1 til 5000)."),
        (
            make_request(world, participants=10_000),
            "Skriv det forventede antal deltagere (1 til 5000).",
        ),
        (
            make_request(world, slots=[at(day - dt.timedelta(days=14), 17, 19)]),
            "er allerede passeret",
        ),
        (make_request(world, slots=[at(day, 19, 17)]), "Sluttidspunktet skal ligge efter starten."),
        (make_request(world, children_take_part=True), "Accepter erklæringen: Børneattest."),
        (make_request(world, association=None), "udlånes kun til foreninger"),
        (
            make_request(world, items=[(world.hall, 1), (world.gym, 1)]),
            "Vælg det, du vil låne, fra én institution.",
        ),
        (make_request(world, items=[(world.tables, 9)]), "Borde: der er 8 på lager."),
    ]
    for req, expected in cases:
        with pytest.raises(exceptions.BookingError) as refused:
            services.request_loan(user=world.member, req=req)
        messages = [str(refused.value.message), *refused.value.problems]
        assert any(expected in m for m in messages), (expected, messages)
    # Someone who is not a member cannot borrow on the association's behalf, even where
    # citizens may borrow (nor get a trusted association's instant confirmation).
    stranger = user_factory()
    world.library.who_may_borrow = "citizens"
    world.library.save()
    with pytest.raises(exceptions.RulesBroken) as refused:
        services.request_loan(user=stranger, req=make_request(world))
    assert refused.value.problems == ["Vælg en forening, du er medlem af."]
    assert not Loan.objects.exists()


def test_the_declaration_is_stored_with_its_text_and_time(world):
    declaration = world.children_declaration
    loan = services.request_loan(
        user=world.member,
        req=make_request(
            world, children_take_part=True, accepted_declarations=frozenset({declaration.pk})
        ),
    )
    accepted = loan.declarations.get()
    assert accepted.text == declaration.text and accepted.accepted_at is not None


def test_equipment_quantities_are_respected(world):
    day = next_weekday(2)
    first = services.request_loan(
        user=world.member,
        req=make_request(
            world, items=[(world.hall, 1), (world.tables, 5)], slots=[at(day, 10, 12)]
        ),
    )
    # 5 of 8 held: another 5 overlapping cannot hold, 3 can.
    with pytest.raises(exceptions.SlotTaken) as refused:
        services.request_loan(
            user=world.member,
            req=make_request(world, items=[(world.tables, 5)], slots=[at(day, 11, 13)]),
        )
    assert "Der er ikke nok ledige Borde" in refused.value.problems[0]
    second = services.request_loan(
        user=world.member,
        req=make_request(world, items=[(world.tables, 3)], slots=[at(day, 11, 13)]),
    )
    assert first.pk != second.pk
    with pytest.raises(exceptions.SlotTaken):
        services.request_loan(
            user=world.member,
            req=make_request(world, items=[(world.tables, 1)], slots=[at(day, 11, 12)]),
        )


def test_the_buffer_keeps_loans_apart(world):
    world.hall.buffer_minutes = 30
    world.hall.save()
    day = next_weekday(3)
    services.request_loan(user=world.member, req=make_request(world, slots=[at(day, 10, 12)]))
    with pytest.raises(exceptions.SlotTaken):
        services.request_loan(
            user=world.member,
            req=make_request(
                world, slots=[(at(day, 12, 14)[0] + dt.timedelta(minutes=15), at(day, 12, 14)[1])]
            ),
        )
    services.request_loan(
        user=world.member,
        req=make_request(
            world, slots=[(at(day, 12, 14)[0] + dt.timedelta(minutes=30), at(day, 12, 14)[1])]
        ),
    )


def test_a_leader_approves_a_series_with_exceptions_and_the_borrower_gets_an_ics(
    world, booking_page
):
    day = next_weekday(1)
    slots = [at(day + dt.timedelta(weeks=w), 17, 19) for w in range(4)]
    loan = services.request_loan(
        user=world.member,
        req=make_request(world, slots=slots, items=[(world.hall, 1), (world.tables, 4)]),
    )
    left_out = loan.slots.order_by("start")[1]
    mail.outbox.clear()
    services.approve_loan(
        loan_id=loan.pk, user=world.leader, exclude_slot_ids=[left_out.pk], note="Ikke d. 2."
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED and loan.decided_by == world.leader
    assert not LoanSlot.objects.get(pk=left_out.pk).held
    message = last_mail_to(world.member.email)
    assert "Dit lån er godkendt" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == f"{loan.reference}.ics" and mimetype == "text/calendar"
    events = Calendar.from_ical(content).walk("VEVENT")
    assert len(events) == 3
    assert {e.decoded("dtstart").astimezone(CPH).hour for e in events} == {17}
    # The left-out slot is free for others again.
    other = services.request_loan(
        user=world.member, req=make_request(world, slots=[at(day + dt.timedelta(weeks=1), 17, 19)])
    )
    assert other.status == LoanStatus.PENDING
    entry = ModelLogEntry.objects.for_instance(loan).filter(action="booking.approve").get()
    assert entry.user == world.leader


def test_another_institutions_leader_cannot_decide(world):
    loan = services.request_loan(user=world.member, req=make_request(world))
    with pytest.raises(exceptions.NotAllowed):
        services.approve_loan(loan_id=loan.pk, user=world.other_leader)
    with pytest.raises(exceptions.NotAllowed):
        services.decline_loan(
            loan_id=loan.pk, user=world.other_leader, reason_id=DeclineReason.objects.first().pk
        )
    with pytest.raises(exceptions.NotAllowed):
        services.approve_loan(loan_id=loan.pk, user=world.member)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PENDING


def test_a_decline_needs_a_fixed_reason_and_tells_it_and_how_to_appeal(world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world))
    retired = DeclineReason.objects.create(text="Gammel grund", active=False)
    for reason_id in (None, retired.pk):
        with pytest.raises(exceptions.DeclineReasonRequired):
            services.decline_loan(loan_id=loan.pk, user=world.leader, reason_id=reason_id)
    reason = DeclineReason.objects.filter(active=True).first()
    services.decline_loan(
        loan_id=loan.pk, user=world.leader, reason_id=reason.pk, note="Mads var uforskammet."
    )
    loan.refresh_from_db()
    assert loan.decline_reason == reason and loan.internal_note == "Mads var uforskammet."
    message = last_mail_to(world.member.email)
    body = message.body + "".join(content for content, _t in message.alternatives)
    assert reason.text in body and "Du kan klage over afgørelsen" in body
    # The leader's own words never leave the admin: not in the mail, the log or the receipt.
    assert "uforskammet" not in body
    entry = ModelLogEntry.objects.for_instance(loan).get(action="booking.decline")
    assert entry.data == {"reason": reason.text}
    with pytest.raises(exceptions.AlreadyDecided):
        services.approve_loan(loan_id=loan.pk, user=world.leader)
    # A declined loan no longer holds the slot.
    services.request_loan(user=world.member, req=make_request(world))


def test_approval_rechecks_closures(world):
    from booking.models import Closure

    loan = services.request_loan(user=world.member, req=make_request(world))
    day = loan.first_start.astimezone(CPH).date()
    Closure.objects.create(
        institution=world.library, start_date=day, end_date=day, reason="Vandskade"
    )
    with pytest.raises(exceptions.SlotTaken) as refused:
        services.approve_loan(loan_id=loan.pk, user=world.leader)
    assert "Vandskade" in refused.value.problems[0]
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PENDING


def test_trusted_associations_are_confirmed_at_once(world, booking_page):
    world.library.approval = "instant_trusted"
    world.library.save()
    world.library.trusted_associations.add(world.association)
    loan = services.request_loan(user=world.member, req=make_request(world))
    assert loan.status == LoanStatus.APPROVED
    assert last_mail_to(world.member.email).attachments


def test_the_borrower_cancels_before_the_deadline_only(world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world))
    late = loan.first_start - dt.timedelta(hours=47)
    with pytest.raises(exceptions.CancellationTooLate):
        services.cancel_by_borrower(loan_id=loan.pk, user=world.member, now=late)
    with pytest.raises(exceptions.NotAllowed):
        services.cancel_by_borrower(loan_id=loan.pk, user=world.leader)
    services.cancel_by_borrower(loan_id=loan.pk, user=world.member)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED
    assert "Du har afbestilt dit lån." in last_mail_to(world.member.email).body


def test_loans_per_month_counts_what_the_association_already_holds(world):
    world.hall.max_loans_per_month = 1
    world.hall.save()
    day = next_weekday(1, weeks_ahead=2)
    services.request_loan(user=world.member, req=make_request(world, slots=[at(day, 10, 12)]))
    with pytest.raises(exceptions.RulesBroken) as refused:
        services.request_loan(user=world.member, req=make_request(world, slots=[at(day, 14, 16)]))
    assert "højst lånes 1 gange om måneden" in refused.value.problems[0]


def test_retention_anonymises_finished_loans(world, settings):
    loan = services.request_loan(user=world.member, req=make_request(world))
    settings.BOOKING_RETENTION_DAYS = 30
    assert services.anonymise_finished(now=timezone.now()) == 0
    assert services.anonymise_finished(now=loan.last_end + dt.timedelta(days=31)) == 1
    loan.refresh_from_db()
    assert loan.user is None and loan.borrower_email == "" and loan.responsible_name == ""
    assert loan.anonymised_at is not None and loan.participants == 20
