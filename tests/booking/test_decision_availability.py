"""A leader's decision page shows, at each requested time, whether the room and the
equipment are free, or taken by which other loan, or closed (issue #21)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import services
from booking.models import Closure, Loan, LoanSlot, LoanStatus

from .conftest import CPH, make_request, next_weekday

pytestmark = pytest.mark.django_db


def at(day, start, end):
    return (
        dt.datetime.combine(day, dt.time(start), tzinfo=CPH),
        dt.datetime.combine(day, dt.time(end), tzinfo=CPH),
    )


def section(html: str) -> str:
    start = html.index('id="availability"')
    return html[start : html.index("</table>", start)]


def test_the_decision_page_shows_free_taken_and_closed(client, world, booking_page):
    tuesday, wednesday = next_weekday(1), next_weekday(2)
    loan = services.request_loan(
        user=world.member,
        req=make_request(
            world,
            items=[(world.hall, 1), (world.tables, 5)],
            slots=[at(tuesday, 17, 19), at(wednesday, 17, 19)],
        ),
    )
    # Another borrower's request for 3 tables on Tuesday fits beside it (8 in stock).
    tables = services.request_loan(
        user=world.member,
        req=make_request(
            world, items=[(world.tables, 3)], slots=[at(tuesday, 18, 20)], title="Bordudlån"
        ),
    )
    # An approved loan of the hall at the same Tuesday time (entered before the rules held).
    hall = services.request_loan(
        user=world.member,
        req=make_request(world, slots=[at(next_weekday(4), 10, 12)], title="Generalforsamling"),
    )
    LoanSlot.objects.filter(loan=hall).update(
        start=at(tuesday, 18, 21)[0], end=at(tuesday, 18, 21)[1]
    )
    Loan.objects.filter(pk=hall.pk).update(status=LoanStatus.APPROVED)
    # The library closes on Wednesday after the request came in.
    Closure.objects.create(
        institution=world.library, start_date=wednesday, end_date=wednesday, reason="Maling"
    )

    client.force_login(world.leader)
    url = reverse("booking_admin:detail", args=[loan.pk])
    html = section(client.get(url).content.decode())
    tuesday_rows, wednesday_rows = html.split(f"{wednesday.day}. ", 1)
    assert "Optaget" in tuesday_rows or "Taken" in tuesday_rows  # the hall
    assert hall.reference in tuesday_rows and "Generalforsamling" in tuesday_rows
    assert "Godkendt lån" in tuesday_rows or "Approved loan" in tuesday_rows
    assert "(5 af 8)" in tuesday_rows or "(5 of 8)" in tuesday_rows  # 3 tables out
    assert tables.reference in tuesday_rows
    assert "Maling" in wednesday_rows and hall.reference not in wednesday_rows
    assert reverse("booking_admin:detail", args=[hall.pk]) in tuesday_rows

    # The page's queries do not grow with the number of requested times.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    LoanSlot.objects.bulk_create(
        LoanSlot(loan=loan, start=s, end=e)
        for s, e in (at(next_weekday(3, weeks), 17, 19) for weeks in range(2, 8))
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_decided_loan_shows_no_availability(client, world, booking_page):
    loan = services.request_loan(user=world.member, req=make_request(world))
    services.approve_loan(loan_id=loan.pk, user=world.leader)
    client.force_login(world.leader)
    html = client.get(reverse("booking_admin:detail", args=[loan.pk])).content.decode()
    assert 'id="availability"' not in html
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
