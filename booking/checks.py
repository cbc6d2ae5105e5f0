"""System checks of the loans app's settings."""

from django.core.checks import Error, register

from .conf import app_settings

#: name: the least value allowed (the defaults are in conf.py)
INTEGER_SETTINGS = {
    "RETENTION_DAYS": 1,
    "OVERDUE_GRACE_HOURS": 0,
}


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, minimum in INTEGER_SETTINGS.items():
        value, default = getattr(app_settings, name), app_settings.default(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            errors.append(
                Error(
                    f"{app_settings.setting_name(name)} must be a whole number of at least {minimum} (default {default}), got {value!r}.",
                    id=f"booking.E00{len(errors) + 1}",
                )
            )
    return errors
