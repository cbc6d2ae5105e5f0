"""System checks of the courses' settings."""

from django.conf import settings
from django.core import checks

POSITIVE_INT_SETTINGS = {
    "KURSER_OFFER_HOURS": 48,
    "KURSER_RETENTION_DAYS": 730,
    "KURSER_REMINDER_DAYS": 2,
    "KURSER_PER_PAGE": 20,
}


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for index, (name, default) in enumerate(POSITIVE_INT_SETTINGS.items(), start=1):
        value = getattr(settings, name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"{name} must be a whole number of at least 1 (default {default}), "
                    f"got {value!r}.",
                    id=f"kurser.E00{index}",
                )
            )
    return errors
