"""Periodic work: every app lists its periodic tasks in its own ``schedule.py`` as
``PERIODIC_TASKS = [{"task": "app.tasks.name", "cron": "30 3 * * *", "description": …}]``;
``manage.py run_scheduler`` enqueues each task when it falls due (Europe/Copenhagen).

Each run is recorded as a :class:`~frivillig_blocks.models.PeriodicRun` with a unique
(task, slot): two scheduler processes never enqueue the same run twice, and a scheduler
that was down catches up the latest missed run once when it comes back (not every missed
one). The cron subset is minute and hour (a number or ``*``); the other fields are ``*``."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .exceptions import ScheduleError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    task: str
    minute: int | None  # None: every minute
    hour: int | None  # None: every hour
    description: str = ""

    @classmethod
    def from_entry(cls, entry: dict) -> Periodic:
        fields = str(entry.get("cron", "")).split()
        if len(fields) != 5 or any(f != "*" for f in fields[2:]):
            raise ScheduleError(
                f"{entry.get('task')}: cron must be 'M H * * *', got {entry.get('cron')!r}"
            )
        minute, hour = (None if f == "*" else int(f) for f in fields[:2])
        if (minute is not None and not 0 <= minute <= 59) or (
            hour is not None and not 0 <= hour <= 23
        ):
            raise ScheduleError(
                f"{entry.get('task')}: minute or hour out of range in {entry.get('cron')!r}"
            )
        return cls(
            task=entry["task"], minute=minute, hour=hour, description=entry.get("description", "")
        )

    def latest_slot(self, now: datetime.datetime) -> datetime.datetime:
        """The latest time at or before ``now`` (local time) when this task was due."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        candidate = local
        for _ in range(60 * 24 + 1):  # at most one day back, minute by minute
            if (self.minute is None or candidate.minute == self.minute) and (
                self.hour is None or candidate.hour == self.hour
            ):
                return candidate
            candidate -= datetime.timedelta(minutes=1)
        raise ScheduleError(f"{self.task}: no slot within a day")


def registered() -> list[Periodic]:
    """Every installed app's periodic tasks: the one place that lists them all."""
    periodic = []
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.schedule")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_config.name}.schedule":
                raise
            continue
        periodic.extend(
            Periodic.from_entry(entry) for entry in getattr(module, "PERIODIC_TASKS", [])
        )
    return periodic


def run_due(now: datetime.datetime | None = None) -> list:
    """Enqueue every task whose latest slot has not run yet; returns the new runs."""
    from .models import PeriodicRun

    now = now or timezone.now()
    started = []
    for periodic in registered():
        slot = periodic.latest_slot(now)
        if PeriodicRun.objects.filter(task=periodic.task, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(task=periodic.task, slot=slot)
                result = import_string(periodic.task).enqueue()
                run.task_result_id = str(getattr(result, "id", ""))[:64]
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler process took this run
        logger.info("periodic task %s enqueued for %s", periodic.task, slot.isoformat())
        started.append(run)
    return started
