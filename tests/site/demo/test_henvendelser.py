"""The inbox demo (site/dragoer/demo/henvendelser.py): routing rules and a dozen inquiries in
every state, once, through ``seed_demo``; and its history."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dragoer.demo import henvendelser as demo
from frivillig_blocks.figures import Period, compute
from frivillig_blocks.models import ContactPerson
from henvendelser.models import (
    Inquiry,
    InquiryMessage,
    InquiryStatus,
    RoutingRule,
)

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.django_db
def test_seed_demo_makes_rules_and_inquiries_once():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    demo.seed(out)  # the module again, on its own: idempotent
    call_command("seed_demo", stdout=out)

    assert RoutingRule.objects.count() == 6
    assert RoutingRule.objects.filter(is_default=True).count() == 1
    # The demo's own inquiries; the follow-up's history (HIST-…) comes on top, once.
    demo_inquiries = Inquiry.objects.exclude(reference__startswith="HIST-")
    assert demo_inquiries.count() == len(demo.INQUIRIES) == 12
    assert demo_inquiries.filter(is_spam=True).count() == 1
    history = Inquiry.objects.filter(reference__startswith="HIST-").count()
    assert history > 100
    call_command("seed_demo", stdout=out)
    assert Inquiry.objects.count() == 12 + history
    for status in InquiryStatus.values:
        assert demo_inquiries.filter(status=status, is_spam=False).exists(), status
    for person in ContactPerson.objects.filter(email__in=demo.STAFF):
        assert person.user is not None and person.user.has_perm("wagtailadmin.access_admin")
    routed = demo_inquiries.exclude(status=InquiryStatus.NEW).filter(is_spam=False)
    for inquiry in routed:
        assert inquiry.routing_decisions.count() == 1
        assert inquiry.routed_by is not None
    by_subject = {i.subject: i for i in demo_inquiries.select_related("routed_by", "assignee")}
    assert by_subject["Spørgsmål om § 18-puljen"].routed_by.name == "Puljer og § 18"
    assert by_subject["Regnskab for sidste års tilskud"].routed_by.name == "Puljeadressen"
    assert by_subject["Baner til sommerstævne"].routed_by.name == "Dragør Boldklub"
    assert by_subject["Lokale til strikkeklub"].routed_by.name == "Lån af lokaler og udstyr"
    assert by_subject["Lokale til strikkeklub"].assignee.username == "jonas"
    assert "Inbox: 6 routing rules" in out.getvalue()


def test_history_makes_a_believable_past_once():
    today = timezone.localdate()

    made = demo.history(today=today, months=24)
    assert 100 <= made <= 500
    assert Inquiry.objects.count() == made
    assert InquiryMessage.objects.filter(kind="in").count() == made
    report = compute(Period.last_twelve_months(today))
    for key in (
        "henvendelser.inquiries",
        "henvendelser.first_answer_hours",
        "henvendelser.answered_in_time",
    ):
        figure = report.figure(key)
        assert figure.value and figure.people >= 5, key
    assert len(report.figure("henvendelser.inquiries").rows) >= 3
    assert 50 < report.figure("henvendelser.answered_in_time").value < 100
    months = {
        (d.year, d.month)
        for d in Inquiry.objects.values_list("received_at", flat=True)
        if d.astimezone(CPH).date() > today - dt.timedelta(days=730)
    }
    assert len(months) >= 23
    reply = InquiryMessage.objects.filter(kind="reply").select_related("inquiry").first()
    assert reply.created_at == reply.inquiry.first_answered_at
    assert demo.history(today=today, months=24) == 0
    assert Inquiry.objects.count() == made
