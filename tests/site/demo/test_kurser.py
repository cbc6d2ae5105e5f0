"""The courses demo (site/dragoer/demo/kurser.py): the courses page with a term of courses;
and its history, after which the demo still has its coming sessions."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dragoer.demo import kurser as demo
from frivillig_blocks.figures import Period, compute
from kurser.models import (
    CompetenceNeed,
    Course,
    CourseIndexPage,
    Evaluation,
    Registration,
    Session,
)
from tests.kurser.test_figures import check, expected

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def test_seed_is_idempotent_and_shows_on_the_site(client, site_tree):
    demo.seed(StringIO())
    demo.seed(StringIO())
    assert CourseIndexPage.objects.get().url_path.endswith("/frivillig/kurser/")
    assert Course.objects.filter(audience="staff").exists()
    assert Course.objects.filter(audience="volunteers").exists()
    assert Session.objects.count() == Course.objects.count() == len(demo.COURSES)
    response = client.get("/frivillig/kurser/")
    assert response.status_code == 200
    assert "Førstehjælp for trænere og ledere" in response.content.decode()


def test_history_makes_a_believable_past_once():
    today = timezone.localdate()

    made = demo.history(today=today, months=24)
    assert 150 <= made <= 2000
    assert Session.objects.filter(label=demo.history_label(1)).count() > 10
    assert Course.objects.filter(slug="frivilligledelse").exists()
    report = compute(Period.last_twelve_months(today))
    for key in (
        "kurser.sessions",
        "kurser.seats_offered",
        "kurser.seats_filled",
        "kurser.waiting_list",
        "kurser.attended",
        "kurser.evaluation_rating",
        "kurser.needs",
        "kurser.needs_answered",
    ):
        assert report.figure(key).value, key
    assert report.figure("kurser.seats_filled").people >= 5
    check(report, expected(Period.last_twelve_months(today)))
    assert Evaluation.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=300)
    ).exists()
    assert CompetenceNeed.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=300)
    ).exists()
    counts = (Session.objects.count(), Registration.objects.count(), CompetenceNeed.objects.count())
    assert demo.history(today=today, months=24) == 0
    assert counts == (
        Session.objects.count(),
        Registration.objects.count(),
        CompetenceNeed.objects.count(),
    )


def test_the_demo_after_the_history_still_has_its_coming_sessions():
    from io import StringIO

    demo.history(today=timezone.localdate(), months=6)
    demo.seed(StringIO())
    now = timezone.now()
    for slug, *_rest in demo.COURSES:
        assert Session.objects.filter(course__slug=slug, starts_at__gt=now).count() == 1, slug
    full = Session.objects.get(course__slug="psykisk-foerstehjaelp", starts_at__gt=now)
    assert full.registrations.count() == 3
