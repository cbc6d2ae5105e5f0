"""System checks of the courses' settings."""

from django.core import checks

from .conf import app_settings

#: Whole numbers of at least 1 (the defaults are in conf.py).
POSITIVE_INT_SETTINGS = ("OFFER_HOURS", "RETENTION_DAYS", "REMINDER_DAYS", "PER_PAGE")


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for index, name in enumerate(POSITIVE_INT_SETTINGS, start=1):
        value, default = getattr(app_settings, name), app_settings.default(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"{app_settings.setting_name(name)} must be a whole number of at least 1 (default {default}), "
                    f"got {value!r}.",
                    id=f"kurser.E00{index}",
                )
            )
    return errors
