"""Courses in the site search: published courses with an open session to come, dated by
the first such session; a draft, or a course with no open session, is not found."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from frivillig_blocks.search import engine
from frivillig_blocks.search.sources import search_sources

from .conftest import make_session

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def search(query):
    """What the public finds for ``query`` among the courses: the site search's hits
    of that kind (frivillig_blocks.search.engine, the Danish backend and vocabulary)."""
    return engine.search(RequestFactory().get("/soeg/"), query, kind="courses").hits


def titles(query):
    return sorted(hit.title for hit in search(query))


def test_a_course_with_an_open_session_is_found_with_its_first_date(course_page, course_factory):
    course = course_factory(
        title="Førstehjælp for trænere",
        slug="foerstehjaelp",
        summary="Lær at give førstehjælp ved træning.",
        description="<p>Vi øver <b>hjertemassage</b>.</p>",
    )
    later = make_session(course, starts_in=20 * DAY, deadline_in=15 * DAY)
    first = make_session(course, starts_in=10 * DAY, deadline_in=5 * DAY)
    [hit] = search("førstehjælp")
    assert hit.url == "/frivillig/kurser/foerstehjaelp/"
    assert hit.summary == "Lær at give førstehjælp ved træning."
    assert hit.date == first.starts_at < later.starts_at
    assert titles("hjertemassage") == ["Førstehjælp for trænere"]  # the description


def test_drafts_and_courses_without_an_open_session_are_not_found(course_page, course_factory):
    make_session(course_factory(title="Regnskab åben"))
    make_session(course_factory(title="Regnskab kladde", published=False))
    course_factory(title="Regnskab uden hold")
    make_session(course_factory(title="Regnskab fristen er gået"), deadline_in=-DAY)
    make_session(course_factory(title="Regnskab uden pladser"), capacity=0)
    make_session(
        course_factory(title="Regnskab afholdt"), starts_in=-10 * DAY, deadline_in=-12 * DAY
    )
    assert titles("regnskab") == ["Regnskab åben"]


def test_publishing_and_the_deadline_change_the_next_search(course_page, course_factory):
    course = course_factory(title="Bestyrelsesarbejde", published=False)
    session = make_session(course)
    assert search("bestyrelsesarbejde") == []
    course.published = True
    course.save()
    assert titles("bestyrelsesarbejde") == ["Bestyrelsesarbejde"]
    session.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    session.save()
    assert search("bestyrelsesarbejde") == []


def test_an_edited_title_is_found_without_rebuilding_the_index(course_page, course_factory):
    course = course_factory(title="Frivilligledelse")
    make_session(course)
    course.title = "Ledelse af frivillige"
    course.save()
    assert titles("ledelse") == ["Ledelse af frivillige"]
    assert search("frivilligledelse") == []


def test_hits_take_a_constant_number_of_queries(
    course_page, course_factory, django_assert_max_num_queries
):
    source = next(source for source in search_sources() if source.key == "courses")
    request = RequestFactory().get("/soeg/")
    for _ in range(2):
        make_session(course_factory(title="Mødeledelse"))
    objects = list(get_search_backend().search("mødeledelse", source.queryset()))
    with django_assert_max_num_queries(4) as few:
        assert len(source.hits(request, objects)) == 2
    for _ in range(8):
        make_session(course_factory(title="Mødeledelse"))
    objects = list(get_search_backend().search("mødeledelse", source.queryset()))
    with django_assert_max_num_queries(len(few)):
        assert len(source.hits(request, objects)) == 10
