"""System checks of the loans app's settings."""

from django.conf import settings
from django.core.checks import Error, register

INTEGER_SETTINGS = {
    "BOOKING_RETENTION_DAYS": (730, 1),
    "BOOKING_OVERDUE_GRACE_HOURS": (12, 0),
}


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, (default, minimum) in INTEGER_SETTINGS.items():
        value = getattr(settings, name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            errors.append(
                Error(
                    f"{name} must be a whole number of at least {minimum} (default {default}), got {value!r}.",
                    id=f"booking.E00{len(errors) + 1}",
                )
            )
    return errors
