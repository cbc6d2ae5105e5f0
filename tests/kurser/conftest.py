"""Fixtures of the courses' tests: the courses page under the hub, courses and sessions."""

from __future__ import annotations

import datetime

import factory
import pytest
import wagtail_factories
from django.utils import timezone

from kurser.models import CompetenceArea, Course, CourseIndexPage, Meeting, Session


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Kurser"
    slug = "kurser"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Kursus {n}")
    slug = factory.Sequence(lambda n: f"kursus-{n}")
    summary = "Et kursus for frivillige."
    competence_area = factory.LazyFunction(lambda: CompetenceArea.objects.order_by("pk").first())
    teacher = "Underviser Hansen"
    published = True


def make_session(
    course=None,
    *,
    capacity=20,
    starts_in=datetime.timedelta(days=10),
    deadline_in=datetime.timedelta(days=5),
    meetings=1,
    association_cap=None,
    **kwargs,
) -> Session:
    now = timezone.now()
    course = course or CourseFactory()
    session = Session.objects.create(
        course=course,
        capacity=capacity,
        registration_deadline=now + deadline_in,
        association_cap=association_cap,
        **kwargs,
    )
    start = (now + starts_in).replace(microsecond=0)
    for n in range(meetings):
        Meeting.objects.create(
            session=session,
            starts_at=start + datetime.timedelta(days=7 * n),
            ends_at=start + datetime.timedelta(days=7 * n, hours=3),
        )
    session.refresh_from_db()
    return session


@pytest.fixture
def course_page(site_tree):
    return CourseIndexPageFactory(parent=site_tree.hub, intro="<p>Kurser for frivillige.</p>")


@pytest.fixture
def course_factory(db):
    return CourseFactory


@pytest.fixture
def session_factory(db):
    return make_session
