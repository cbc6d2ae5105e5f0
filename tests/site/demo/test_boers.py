"""The exchange demo (site/dragoer/demo/boers.py): the page at /frivillig/boers/ with a few
dozen posts of every kind, running it again changes nothing; and its history."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from boers.models import Kind, Post, Side
from dragoer.demo import boers as demo
from frivillig_blocks.figures import Period, compute

pytestmark = pytest.mark.django_db


def test_demo_content_is_there_once(client, site_tree):
    demo.seed(io.StringIO())
    count = Post.objects.count()
    demo.seed(io.StringIO())
    assert Post.objects.count() == count >= 30
    visible = Post.objects.visible()
    assert {p.kind for p in visible} == set(Kind.values)
    assert {p.side for p in visible} == set(Side.values)
    response = client.get("/frivillig/boers/")
    assert response.status_code == 200
    assert "Gåmakker tirsdage" in response.content.decode()
    response = client.get("/frivillig/boers/", {"kind": "generations"})
    assert "Reservebedstemor til to drenge" in response.content.decode()


def test_history_makes_believable_activity_once():

    today = timezone.localdate()
    created = demo.history(today=today, months=24)
    assert 100 < created < 1000
    report = compute(Period.last_twelve_months(today))
    for key in (
        "boers.posts",
        "boers.posts_by_kind",
        "boers.replies",
        "boers.messages",
        "boers.days_to_first_reply",
        "boers.found_someone",
        "boers.found_share",
    ):
        figure = report.figure(key)
        assert figure.value, key
        assert figure.people, key
    assert len(report.figure("boers.posts_by_kind").rows) >= 4
    # The year before: its posts are mostly deleted, their outcomes are in the tally.
    before = next(
        c
        for section in report.sections
        for c in section.comparisons
        if c.figure.key == "boers.found_someone"
    ).previous
    assert before.value > 0
    assert demo.history(today=today, months=24) == 0
    assert Post.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=800)).count() == 0
