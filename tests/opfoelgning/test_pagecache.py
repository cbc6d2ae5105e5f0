"""The follow-up and the anonymous page cache (issue #19): a feedback answer, a consent or a
report text shows on no public page and leaves the cached pages; a theme meeting (the shared
calendar) retires them."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from opfoelgning.models import ContactPreference, Feedback, FollowUpNote, ThemeMeeting

#: Real commits: the cache is retired when a transaction commits.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def page_cache(settings):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    return settings


def served_from_cache(visitor) -> bool:
    return visitor.get("/frivillig/")["X-Page-Cache"] == "hit"


@TRANSACTIONAL
def test_answers_consents_and_report_texts_leave_the_cached_pages(page_cache, site_tree, user):
    visitor = Client()
    visitor.get("/frivillig/")
    assert served_from_cache(visitor)
    Feedback.objects.create(found=True, path="/frivillig/", service="frivillig_blocks")
    ContactPreference.objects.create(user=user, invitations=True)
    FollowUpNote.objects.create(
        section="", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    assert served_from_cache(visitor)


@TRANSACTIONAL
def test_the_feedback_form_leaves_the_cached_pages(page_cache, site_tree):
    visitor = Client()
    html = visitor.get("/frivillig/").content.decode()
    assert 'action="/mine-sider/feedback/"' in html
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
    response = Client().post(
        "/mine-sider/feedback/",
        {"answer": "ja", "page": site_tree.hub.pk, "next": "/frivillig/", "submission_key": key},
    )
    assert response.status_code == 302
    assert Feedback.objects.count() == 1
    assert served_from_cache(visitor)


@TRANSACTIONAL
def test_a_theme_meeting_retires_the_cached_pages(page_cache, site_tree):
    visitor = Client()
    visitor.get("/frivillig/")
    start = timezone.now() + dt.timedelta(days=7)
    ThemeMeeting.objects.create(
        title="Temamøde om frivillighed", start=start, end=start + dt.timedelta(hours=2)
    )
    assert not served_from_cache(visitor)
