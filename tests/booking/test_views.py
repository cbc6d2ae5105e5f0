"""The public pages: the manual, availability, the request form, receipts, Mine sider,
feeds; the leaders' admin; the hooks for the calendar."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from booking import exceptions, services
from booking.models import DeclineReason, Loan, LoanStatus
from frivillig_blocks import hooks

from .conftest import CPH, make_request, next_weekday

URL = "/frivillig/laan/"


@pytest.fixture(autouse=True)
def _mail(anymail_backend):
    return anymail_backend


def form_data(world, **overrides):
    day = next_weekday(1)
    data = {
        "room": str(world.hall.pk),
        f"equipment_{world.tables.pk}": "4",
        f"equipment_{world.sound.pk}": "1",
        "date": day.isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "end_date": "",
        "repeat_until": (day + dt.timedelta(weeks=3)).isoformat(),
        "association": str(world.association.pk),
        "title": "Spejdermøde",
        "purpose": "association",
        "description": "Ugentligt møde",
        "participants": "25",
        "target_group": "children_youth",
        "children_take_part": "on",
        "fee": "none",
        "responsible_name": "Mads Medlem",
        "responsible_phone": "12345678",
        "responsible_adult": "on",
        "declarations": [str(world.children_declaration.pk)],
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_manual_is_generated_from_the_rules(
    client, world, booking_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kommunen låner gerne ud." in html  # the editor's text
    assert "Biblioteket" in html and "Salen" in html and "8 på lager" in html
    assert "Fra 30 minutter til 4 timer ad gangen." in html
    assert "Børneattest" in html
    # A changed rule changes the manual.
    world.hall.max_duration_minutes = 180
    world.hall.save()
    html = client.get(URL).content.decode()
    assert "Fra 30 minutter til 3 timer ad gangen." in html


def test_the_loans_page_leads_with_the_institutions_and_shows_each_rule_once(
    client, world, booking_page
):
    from booking.models import Resource

    world.library.pickup_times = "Mandag og torsdag 16–18"
    world.library.deposit_text = "Depositum 200 kr. for nøglen."
    world.library.save()
    # Two more rooms with no rules of their own, and one exception: the sound system may be
    # borrowed for at most 2 hours.
    for name in ("Mødelokale 1", "Mødelokale 2"):
        Resource.objects.create(
            institution=world.library, name=name, slug=name.lower().replace(" ", "-"), capacity=10
        )
    world.sound.max_duration_minutes = 120
    world.sound.save()
    world.school.declarations.add(world.children_declaration)  # shared: its text once

    html = client.get(URL).content.decode()
    # The action comes before the rules: the institutions and "Spørg om at låne" first.
    where = html.index('id="where-heading"')
    ask = html.index('class="button" href="/frivillig/laan/biblioteket/anmod/"')
    rules = html.index('id="inst-biblioteket-h"')
    assert where < ask < rules
    assert 'href="/frivillig/laan/skolen/anmod/"' in html
    # Each general rule text of the library appears once, however many resources it has.
    for text in (
        "Mandag og torsdag 16–18",
        "Depositum 200 kr. for nøglen.",
        "Vi har indhentet børneattest for alle voksne.",
        "Fra 30 minutter til 4 timer ad gangen.",
    ):
        assert html.count(text) == 1, text
    assert html.count("Spørg om at låne</a>") == 2  # one button per institution
    assert html.count(f'href="#erklaering-{world.children_declaration.pk}"') == 2
    # Opening hours: the same hours on consecutive days are said once.
    assert "mandag–søndag 08:00–22:00" in html
    # The exceptions sit beside their resource, and only they.
    sound = html[html.index(f'id="res-{world.sound.pk}-h"') :]
    sound = sound[: sound.index("</section>")]
    assert "Fra 30 minutter til 2 timer ad gangen." in sound
    assert "Depositum" not in sound and "Børneattest" not in sound
    tables = html[html.index(f'id="res-{world.tables.pk}-h"') :]
    tables = tables[: tables.index("</section>")]
    assert "Hverdage 9–15" in tables  # the tables' own pick-up times and condition check
    assert "Standen tjekkes ved udlevering og aflevering." in tables


def test_the_manual_queries_do_not_grow_with_institutions(
    client, world, booking_page, django_assert_max_num_queries
):
    from booking.models import Institution, Resource
    from tests.factories import PlaceFactory

    client.get(URL)
    for i in range(5):
        inst = Institution.objects.create(
            name=f"Skole {i}", slug=f"skole-{i}", place=PlaceFactory(name=f"Skole {i}")
        )
        Resource.objects.create(institution=inst, name="Lokale", slug="lokale", capacity=20)
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200


def test_availability_shows_busy_without_personal_data(
    client, world, booking_page, django_assert_max_num_queries
):
    loan = services.request_loan(user=world.member, req=make_request(world))
    monday = loan.first_start.astimezone(CPH).date() - dt.timedelta(
        days=loan.first_start.astimezone(CPH).weekday()
    )
    with django_assert_max_num_queries(30):
        response = client.get(f"{URL}biblioteket/salen/?uge={monday.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "optaget" in html and "ledigt" in html
    assert "Spejdermøde" not in html and "Mads" not in html
    month = loan.first_start.astimezone(CPH)
    response = client.get(f"{URL}biblioteket/salen/?visning=maaned&maaned={month:%Y-%m}")
    html = response.content.decode()
    assert "17:00–19:00 optaget" in html and "Spejdermøde" not in html
    # Nonsense parameters fall back to this week / month.
    assert client.get(f"{URL}biblioteket/salen/?uge=<script>&visning=x").status_code == 200
    assert client.get(f"{URL}biblioteket/salen/?visning=maaned&maaned=99999-1").status_code == 200
    assert client.get(f"{URL}biblioteket/findes-ikke/").status_code == 404
    assert client.get(f"{URL}findes-ikke/").status_code == 404


def test_a_rooms_photo_has_its_description(client, world, booking_page):
    from wagtail_factories import ImageFactory

    from booking.models import ResourcePhoto

    ResourcePhoto.objects.create(
        resource=world.hall, image=ImageFactory(), alt_text="Salen med 40 stole"
    )
    html = client.get(f"{URL}biblioteket/salen/").content.decode()
    assert 'alt="Salen med 40 stole"' in html


def test_the_request_form_needs_a_login(client, world, booking_page):
    response = client.get(f"{URL}biblioteket/anmod/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_member_requests_a_weekly_series_of_a_room_and_equipment(client, world, booking_page):
    client.force_login(world.member)
    response = client.get(f"{URL}biblioteket/anmod/?ressource={world.hall.pk}")
    assert response.status_code == 200
    response = client.post(f"{URL}biblioteket/anmod/", form_data(world))
    assert response.status_code == 302, response.content.decode()
    loan = Loan.objects.get()
    assert response["Location"].endswith(f"/frivillig/laan/kvittering/{loan.reference}/")
    assert loan.slots.count() == 4
    assert {s.start.astimezone(CPH).time() for s in loan.slots.all()} == {dt.time(19)}
    assert sorted(i.resource.slug for i in loan.items.all()) == ["borde", "lydanlaeg", "salen"]
    receipt = client.get(response["Location"]).content.decode()
    assert "Afventer afgørelse" in receipt and loan.reference in receipt
    mine = client.get("/mine-sider/").content.decode()
    assert "Dine lån af lokaler og udstyr" in mine and "Spejdermøde" in mine


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({"end_time": "18:00"}, "Sluttidspunktet skal ligge efter starten."),
        ({"participants": "0"}, "Mindst én person skal deltage."),
        ({"participants": "10000"}, "Skriv højst 5000 deltagere."),
        ({"date": "2020-01-07", "repeat_until": ""}, "er allerede passeret."),
        ({"repeat_until": "2031-01-01"}, "En serie kan højst vare et år."),
        ({"declarations": None}, "Accepter erklæringen: Børneattest."),
        ({"room": "999999"}, "Vælg et af de viste lokaler."),
        ({"association": "999999"}, "Vælg en af dine foreninger."),
        ({"responsible_adult": None}, "Den ansvarlige voksne skal være mindst 18 år."),
        (
            {"start_time": "12:00", "end_time": "18:00", "repeat_until": ""},
            "Lokalet kan højst lånes 4 timer ad gangen.",
        ),
        ({"purpose": "private_party"}, "Lokalet må ikke lånes til: Privat fest"),
        (
            {"title": "<script>alert(1)</script>", "end_time": "18:00"},
            "Sluttidspunktet skal ligge efter starten.",
        ),
        ({"equipment_SOUND": "1", "room": ""}, "Udstyret kan kun lånes sammen med et lokale."),
    ],
)
def test_bad_input_gets_a_danish_reason_and_saves_nothing(
    client, world, booking_page, overrides, expected
):
    client.force_login(world.member)
    if "equipment_SOUND" in overrides:
        overrides = {
            f"equipment_{world.sound.pk}": "1",
            "room": "",
            f"equipment_{world.tables.pk}": "0",
        }
    response = client.post(f"{URL}biblioteket/anmod/", form_data(world, **overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert expected in html, re.findall(r"<li>.*?</li>", html)[:20]
    assert "<script>alert(1)</script>" not in html
    assert not Loan.objects.exists()


def test_someone_elses_loan_is_a_404(client, world, booking_page, user_factory):
    loan = services.request_loan(user=world.member, req=make_request(world))
    client.force_login(user_factory())
    assert client.get(f"{URL}kvittering/{loan.reference}/").status_code == 404
    assert client.post(f"{URL}kvittering/{loan.reference}/annuller/").status_code == 404
    assert client.get(f"{URL}kvittering/LAAN-XXXX-XXXX/").status_code == 404
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PENDING


def test_the_borrower_cancels_from_the_receipt_after_a_question(client, world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world))
    client.force_login(world.member)
    receipt = f"{URL}kvittering/{loan.reference}/"
    cancel = f"{receipt}annuller/"
    # The receipt and Mine sider link to the question; nothing there cancels at one click.
    html = client.get(receipt).content.decode()
    assert f'href="{cancel}"' in html and f'action="{cancel}"' not in html
    mine = client.get(reverse("frivillig_blocks:mine_sider")).content.decode()
    assert f'href="{cancel}"' in mine and f'action="{cancel}"' not in mine
    # GET asks, with what is about to go and the way back.
    question = client.get(cancel)
    html = question.content.decode()
    assert question.status_code == 200
    assert loan.title in html and f'href="{receipt}"' in html
    assert 'name="confirm" value="yes"' in html and "novalidate" in html
    # The old one-click POST (no answer to the question) lands on the question as well.
    response = client.post(cancel)
    assert response.status_code == 200 and 'name="confirm" value="yes"' in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PENDING
    # The question's own answer cancels.
    response = client.post(cancel, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == receipt
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED


def test_the_rate_limit_refuses_in_danish(client, world, booking_page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "booking_request": "1/h/user"}
    client.force_login(world.member)
    assert (
        client.post(f"{URL}biblioteket/anmod/", form_data(world, repeat_until="")).status_code
        == 302
    )
    day = next_weekday(1, weeks_ahead=3)
    response = client.post(
        f"{URL}biblioteket/anmod/", form_data(world, date=day.isoformat(), repeat_until="")
    )
    assert response.status_code == 429
    assert "Du har sendt mange anmodninger" in response.content.decode()


# --- Admin ----------------------------------------------------------------------------------


def test_the_leader_decides_in_the_admin_and_another_leader_cannot(client, world, booking_page):
    loan = services.request_loan(
        user=world.member, req=make_request(world, items=[(world.hall, 1), (world.tables, 2)])
    )
    client.force_login(world.other_leader)
    index = client.get("/admin/laan/").content.decode()
    assert "Spejdermøde" not in index and "Biblioteket" not in index
    assert client.get(f"/admin/laan/{loan.pk}/").status_code == 404
    assert client.post(f"/admin/laan/{loan.pk}/approve/", {"reason": ""}).status_code == 404
    dashboard = client.get("/admin/").content.decode()
    assert "0 låneanmodninger venter" in dashboard
    client.force_login(world.member)
    assert client.get(f"/admin/laan/{loan.pk}/").status_code in (302, 403)
    client.force_login(world.leader)
    assert "1 låneanmodning venter på din afgørelse" in client.get("/admin/").content.decode()
    index = client.get("/admin/laan/").content.decode()
    assert "Spejdermøde" in index
    assert "Lav en adresse" in index  # the leader's own calendar address (test_feeds.py)
    response = client.post(f"/admin/laan/{loan.pk}/decline/", {"reason": "", "decline_reason": ""})
    assert response.status_code == 400
    assert escape(str(exceptions.DeclineReasonRequired.message)) in response.content.decode()
    # The fixed reasons in use are offered.
    assert DeclineReason.objects.first().text in response.content.decode()
    response = client.post(f"/admin/laan/{loan.pk}/approve/", {"reason": "Velkommen"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    detail = client.get(f"/admin/laan/{loan.pk}/").content.decode()
    assert "Lån godkendt" in detail  # the action log
    # Cancelling needs a reason, asked for in the words of cancelling (not of declining).
    response = client.post(f"/admin/laan/{loan.pk}/cancel/", {"reason": " "})
    assert response.status_code == 400
    assert "Skriv, hvorfor lånet aflyses" in response.content.decode()
    assert "begrundelse for afslaget" not in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    # Equipment cycle in the admin.
    response = client.post(f"/admin/laan/{loan.pk}/hand-out/", {"condition": ""})
    assert response.status_code == 400 and "Noter udstyrets stand" in response.content.decode()
    assert client.post(f"/admin/laan/{loan.pk}/hand-out/", {"condition": "Fin"}).status_code == 302
    assert (
        client.post(f"/admin/laan/{loan.pk}/return/", {"condition": "En ridse"}).status_code == 302
    )
    loan.refresh_from_db()
    assert loan.equipment_state == "returned" and loan.condition_in == "En ridse"


def test_the_hooks_for_the_calendar(world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world, public_event=True))
    start, end = loan.first_start - dt.timedelta(days=1), loan.last_end + dt.timedelta(days=1)
    venue = hooks.venue_bookings(world.library.place_id, start, end)
    assert [(b.room, b.label) for b in venue] == [("Salen", "Udlånt (afventer afgørelse)")]
    assert not [e for e in hooks.calendar_entries(start, end) if e.kind == "loan"]
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    entries = [e for e in hooks.calendar_entries(start, end) if e.kind == "loan"]
    assert [(e.title, e.place_id) for e in entries] == [("Spejdermøde", world.library.place_id)]
    assert hooks.venue_bookings(world.school.place_id, start, end) == []


def test_overdue_equipment_gets_one_reminder(world, booking_page):
    from booking.models import LoanSlot
    from booking.tasks import send_overdue_reminders
    from tests.helpers import last_mail_to

    loan = services.request_loan(
        user=world.member, req=make_request(world, items=[(world.tables, 2)])
    )
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    services.hand_out(loan_id=loan.pk, user=world.leader, condition="Hele")
    past = timezone.now() - dt.timedelta(days=2)
    LoanSlot.objects.filter(loan=loan).update(start=past - dt.timedelta(hours=2), end=past)
    Loan.objects.filter(pk=loan.pk).update(last_end=past)
    assert send_overdue_reminders.call() == 1
    assert "Aflever venligst udstyret" in last_mail_to(world.member.email).subject
    assert send_overdue_reminders.call() == 0


def test_mine_sider_queries_do_not_grow_with_loans(
    client, world, booking_page, django_assert_max_num_queries
):
    client.force_login(world.member)
    services.request_loan(user=world.member, req=make_request(world))
    client.get("/mine-sider/")
    with django_assert_max_num_queries(30) as few:
        assert client.get("/mine-sider/").status_code == 200
    for weeks in range(2, 7):
        day = next_weekday(1, weeks_ahead=weeks)
        slot = (
            dt.datetime.combine(day, dt.time(10), tzinfo=CPH),
            dt.datetime.combine(day, dt.time(12), tzinfo=CPH),
        )
        services.request_loan(user=world.member, req=make_request(world, slots=[slot]))
    with django_assert_max_num_queries(len(few)):
        html = client.get("/mine-sider/").content.decode()
    assert html.count("Afbestil LAAN-") == 6


def test_pending_requests_are_listed_by_priority(client, world, booking_page):
    late = next_weekday(1, weeks_ahead=3)
    early = next_weekday(1, weeks_ahead=1)
    later = next_weekday(1, weeks_ahead=4)
    for day, group, title in [
        (early, "general", "Voksenmøde"),
        (later, "disability", "Kørestolsbasket"),
        (late, "disability", "Handicapidræt"),
    ]:
        slot = (
            dt.datetime.combine(day, dt.time(10), tzinfo=CPH),
            dt.datetime.combine(day, dt.time(12), tzinfo=CPH),
        )
        services.request_loan(
            user=world.member,
            req=make_request(world, slots=[slot], title=title, target_group=group),
        )
    client.force_login(world.leader)
    html = client.get("/admin/laan/").content.decode()
    # By priority, then by start (sorted by the database, #22).
    assert html.index("Handicapidræt") < html.index("Kørestolsbasket") < html.index("Voksenmøde")
