"""The follow-up's feedback history (site/dragoer/demo/feedback.py)."""

from __future__ import annotations

from django.utils import timezone

from dragoer.demo import feedback as demo
from frivillig_blocks.figures import Period, compute


def test_history_makes_feedback_once(site_tree):

    today = timezone.localdate()
    created = demo.history(today=today, months=24)
    assert created > 100
    assert demo.history(today=today, months=24) == 0
    report = compute(Period.last_twelve_months(today))
    assert report.figure("feedback.answers").value > 50
    assert 50 < report.figure("feedback.yes_share").value < 100
