"""System checks of the shared base."""

from django.core import checks


@checks.register()
def check_schedules(app_configs=None, **kwargs):
    from .scheduling import ScheduleError, registered

    try:
        registered()
    except (ScheduleError, KeyError, ValueError) as exc:
        return [
            checks.Error(f"A periodic task's schedule is wrong: {exc}", id="frivillig_blocks.E001")
        ]
    return []
