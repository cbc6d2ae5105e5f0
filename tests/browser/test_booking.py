"""Loans in a real Chromium, as the issue's "done when" describes: a member asks for a room
and two pieces of equipment as a weekly series, meets Danish reasons for broken rules,
sends; a leader of another institution can neither see nor decide it; the right leader
approves in the Wagtail admin; the member sees it approved on Mine sider and has a mail
with an .ics that parses. axe passes on the manual, the availability grid (week and month)
and the request form."""

import datetime as dt

from django.conf import settings
from django.test import Client
from icalendar import Calendar
from playwright.sync_api import expect

from booking.models import BookingIndexPage, Loan, LoanStatus
from tests.helpers import danish, last_mail_to

from ..booking.conftest import CPH, make_world, next_weekday


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_member_borrows_a_room_and_equipment_and_the_right_leader_approves(
    live_site, page, axe, anymail_backend
):
    live_server, tree = live_site
    booking_page = BookingIndexPage(
        title="Lån af lokaler og udstyr", slug="laan", intro="<p>Kommunen låner gerne ud.</p>"
    )
    tree.hub.add_child(instance=booking_page)
    booking_page.save_revision().publish()
    world = make_world()

    # The manual, the week and the month grid pass axe (anonymous visitors may read them).
    page.goto("/frivillig/laan/")
    expect(page.get_by_role("heading", name="Biblioteket", level=2)).to_be_visible()
    axe(page)
    page.goto("/frivillig/laan/biblioteket/salen/")
    expect(page.get_by_role("table")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Måned").click()
    page.wait_for_url("**visning=maaned**")
    axe(page)

    # The member asks for the hall, 4 tables and the sound system, weekly for four weeks.
    sign_in(page, live_server, world.member)
    page.goto("/frivillig/laan/biblioteket/anmod/")
    axe(page)
    day = next_weekday(1)
    page.get_by_label("Salen (op til 40 personer)").check()
    page.get_by_label("Borde (8 på lager)").fill("4")
    page.get_by_label("Lydanlæg (1 på lager)").fill("1")
    page.get_by_label("Dato", exact=True).fill(day.isoformat())
    page.get_by_label("Fra", exact=True).fill("12:00")
    page.get_by_label("Til", exact=True).fill("18:00")
    page.get_by_label("Gentag hver uge til og med").fill((day + dt.timedelta(weeks=3)).isoformat())
    page.get_by_label("På vegne af").select_option(label="Dragør Spejderne")
    page.get_by_label("Aktivitetens navn").fill("Spejdermøde")
    page.get_by_label("Formål").select_option(label="Foreningens faste aktivitet")
    page.get_by_label("Forventet antal deltagere").fill("25")
    page.get_by_label("Børn under 15 deltager").check()
    page.get_by_label("Ansvarlig voksen", exact=True).fill("Mads Medlem")
    page.get_by_label("Den ansvarlige voksnes telefon").fill("12345678")
    page.get_by_label("Den ansvarlige er mindst 18 år og til stede hele tiden").check()
    page.get_by_role("button", name="Send anmodningen").click()
    # Two rules broken: Danish reasons in the focused error summary, nothing saved.
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(danish("Error:") + " ")
    expect(page.get_by_text("Salen: Lokalet kan højst lånes 4 timer ad gangen.")).to_be_visible()
    expect(page.get_by_text("Accepter erklæringen: Børneattest.").first).to_be_visible()
    assert not Loan.objects.exists()
    axe(page)
    page.get_by_label("Fra", exact=True).fill("19:00")
    page.get_by_label("Til", exact=True).fill("21:00")
    page.get_by_label("Børneattest").check()
    page.get_by_role("button", name="Send anmodningen").click()
    page.wait_for_url("**/frivillig/laan/kvittering/**")
    expect(page.get_by_text("Afventer afgørelse")).to_be_visible()
    loan = Loan.objects.get()
    assert loan.slots.count() == 4 and loan.items.count() == 3
    assert {s.start.astimezone(CPH).time() for s in loan.slots.all()} == {dt.time(19)}

    # A leader of another institution cannot see or decide it.
    sign_in(page, live_server, world.other_leader)
    page.goto("/admin/laan/")
    assert page.get_by_text("Spejdermøde").count() == 0
    response = page.goto(f"/admin/laan/{loan.pk}/")
    assert response.status == 404

    # The library's leader approves it in the Wagtail admin.
    sign_in(page, live_server, world.leader)
    page.goto("/admin/")
    expect(page.get_by_text("1 låneanmodning venter på din afgørelse")).to_be_visible()
    page.goto("/admin/laan/")
    page.get_by_role("link", name=loan.reference).click()
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_url(f"**/admin/laan/{loan.pk}/")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED

    # The member sees it approved on Mine sider and has the .ics.
    sign_in(page, live_server, world.member)
    page.goto("/mine-sider/")
    expect(page.get_by_text("Godkendt").first).to_be_visible()
    message = last_mail_to(world.member.email)
    ((_name, content, mimetype),) = message.attachments
    assert mimetype == "text/calendar"
    events = Calendar.from_ical(content).walk("VEVENT")
    assert len(events) == 4
    assert all(e.decoded("dtstart").astimezone(CPH).time() == dt.time(19) for e in events)

    # Cancelling from Mine sider asks first, on a page of its own; "no" changes nothing.
    cancel = danish("Cancel %(reference)s") % {"reference": loan.reference}
    page.get_by_role("link", name=cancel).click()
    page.wait_for_url(f"**/frivillig/laan/kvittering/{loan.reference}/annuller/")
    axe(page)
    page.get_by_role("link", name=danish("No, keep the loan")).click()
    page.wait_for_url(f"**/frivillig/laan/kvittering/{loan.reference}/")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    page.goto(f"/frivillig/laan/kvittering/{loan.reference}/annuller/")
    page.get_by_role("button", name=danish("Yes, cancel the loan")).click()
    page.wait_for_url(f"**/frivillig/laan/kvittering/{loan.reference}/")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED
    axe(page)
