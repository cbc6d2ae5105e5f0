"""The scheduler: each app's periodic tasks run once per slot, a missed run catches up once."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command

from frivillig_blocks.checks import check_schedules
from frivillig_blocks.models import PeriodicRun
from frivillig_blocks.scheduling import Periodic, ScheduleError, registered, run_due

from ..conftest import requires_apps

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
SUMMARY = "henvendelser.tasks.send_daily_summary"


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=CPH)


@requires_apps("henvendelser")
def test_every_apps_schedule_is_listed_in_one_place():
    tasks = {p.task for p in registered()}
    assert {SUMMARY, "frivillig_blocks.tasks.expire_personal_data"} <= tasks


@pytest.mark.parametrize(
    ("cron", "now", "slot"),
    [
        ("0 7 * * *", at(24, 7, 0), at(24, 7, 0)),
        ("0 7 * * *", at(24, 6, 59), at(23, 7, 0)),
        ("30 3 * * *", at(24, 12, 0), at(24, 3, 30)),
        ("15 * * * *", at(24, 12, 10), at(24, 11, 15)),
    ],
)
def test_the_latest_slot(cron, now, slot):
    assert Periodic.from_entry({"task": "x", "cron": cron}).latest_slot(now) == slot


@pytest.mark.parametrize("cron", ["", "0 7 * * 1", "61 7 * * *", "0 24 * * *", "nonsense"])
def test_a_wrong_schedule_is_refused_by_name(cron):
    with pytest.raises((ScheduleError, ValueError)):
        Periodic.from_entry({"task": "app.tasks.x", "cron": cron})


@requires_apps("henvendelser")
@pytest.mark.django_db
def test_a_task_runs_once_per_slot_and_catches_up_once(user_factory, mailoutbox):
    user_factory(username="koordinator", groups=["Frivilligkoordinator"])
    first = run_due(at(24, 7, 5))
    assert SUMMARY in {run.task for run in first}
    summaries = len(mailoutbox)
    assert summaries >= 1  # the task ran (tasks run at once in tests): the coordinator got it
    # Same slot: nothing doubled (only tasks due every minute or hour have a new slot).
    assert SUMMARY not in [r.task for r in run_due(at(24, 7, 30))]
    assert len(mailoutbox) == summaries
    # The scheduler was down for three days: one catch-up run, not three.
    caught_up = run_due(at(27, 12, 0))
    assert [r.task for r in caught_up if r.task == SUMMARY] == [SUMMARY]
    assert PeriodicRun.objects.filter(task=SUMMARY).count() == 2


@requires_apps("henvendelser")
@pytest.mark.django_db
def test_the_command_checks_once(db):
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert f"scheduled: {SUMMARY}" in out.getvalue()
    assert PeriodicRun.objects.filter(task=SUMMARY).exists()


def test_the_system_check_passes_for_the_real_schedules():
    assert check_schedules() == []
