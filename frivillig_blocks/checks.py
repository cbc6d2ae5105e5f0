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


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Two web processes must share sessions, rate limits and the page cache: a cache in
    process memory would let each keep its own."""
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if "locmem" in backend or "dummy" in backend:
        return [
            checks.Error(
                "The default cache lives in process memory, so rate limits and cached pages "
                "differ between web processes.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="frivillig_blocks.E002",
            )
        ]
    return []


def _non_negative_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@checks.register()
def check_settings(app_configs=None, **kwargs):
    """The shared base's own settings (see conf.py), refused with a clear message."""
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    errors = []
    try:
        validate_email(settings.FRIVILLIG_EMAIL)
    except ValidationError:
        errors.append(
            checks.Error(
                f"FRIVILLIG_EMAIL must be an e-mail address, not {settings.FRIVILLIG_EMAIL!r}.",
                id="frivillig_blocks.E003",
            )
        )
    if not _non_negative_int(settings.FRIVILLIG_PAGE_CACHE_SECONDS):
        errors.append(
            checks.Error(
                "FRIVILLIG_PAGE_CACHE_SECONDS must be a whole number of seconds, 0 or more.",
                id="frivillig_blocks.E004",
            )
        )
    minutes = settings.FRIVILLIG_READYZ_WORKER_MINUTES
    if not _non_negative_int(minutes) or minutes < 1:
        errors.append(
            checks.Error(
                "FRIVILLIG_READYZ_WORKER_MINUTES must be a whole number of minutes, 1 or more.",
                id="frivillig_blocks.E005",
            )
        )
    exclude = settings.FRIVILLIG_PAGE_CACHE_EXCLUDE
    if not isinstance(exclude, list | tuple) or not all(
        isinstance(p, str) and p.startswith("/") for p in exclude
    ):
        errors.append(
            checks.Error(
                "FRIVILLIG_PAGE_CACHE_EXCLUDE must be a list of paths starting with '/'.",
                id="frivillig_blocks.E006",
            )
        )
    return errors
