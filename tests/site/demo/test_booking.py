"""The loans demo (site/dragoer/demo/booking.py): the manual page, four institutions and
some loans, idempotent; and its history behind the follow-up's figures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from booking.figures import LoanFigures
from booking.models import BookingIndexPage, Institution, Loan, Resource
from dragoer.demo import booking as demo
from frivillig_blocks.figures import Filters, Period, compute
from tests.factories import AssociationFactory

CPH = ZoneInfo("Europe/Copenhagen")


def test_seed_demo_twice(client, site_tree):
    AssociationFactory(name="Dragør Boldklub", live=True, email="bold@example.org")
    demo.seed()
    demo.seed()
    assert BookingIndexPage.objects.count() == 1
    assert Institution.objects.count() == 4
    assert Resource.objects.filter(kind="equipment").count() == 4
    assert Loan.objects.count() == 4
    html = client.get("/frivillig/laan/").content.decode()
    assert "Dragør Bibliotek" in html and "Kulturhuset Dragør" in html and "Juleferie" in html
    assert client.get("/frivillig/laan/bibliotek/salen/").status_code == 200


def test_history_makes_a_believable_past_once(db):
    today = timezone.localdate()
    made = demo.history(today=today, months=24)
    assert 100 <= made <= 500
    assert Loan.objects.count() == made
    period = Period.last_twelve_months(today)
    report = compute(period)
    for key in ("booking.requested", "booking.approved", "booking.declined", "booking.cancelled"):
        figure = report.figure(key)
        assert figure.value > 0 and figure.people >= 5, key
    assert report.figure("booking.decision_days").value > 0
    assert len(report.figure("booking.requested").rows) >= 2
    assert len(report.figure("booking.declined").rows) >= 2
    previous = LoanFigures().figures(period.year_before(), Filters())
    assert previous[0].value > 0
    months = {
        (d.year, d.month)
        for d in Loan.objects.values_list("created_at", flat=True)
        if d.astimezone(CPH).date() > today - dt.timedelta(days=730)
    }
    assert len(months) >= 23
    assert demo.history(today=today, months=24) == 0
    assert Loan.objects.count() == made
