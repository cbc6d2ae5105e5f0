"""System checks of the exchange's settings (see conf.py for the defaults)."""

import re

from django.core.checks import Error, register

from . import conf

POSITIVE_INTS = [
    "POST_LIFETIME_DAYS",
    "REMINDER_DAYS",
    "RETENTION_DAYS",
    "REPORT_THRESHOLD",
    "PAGE_SIZE",
    "MATCH_COUNT",
]


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name in POSITIVE_INTS:
        value = getattr(conf.app_settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                Error(
                    f"{conf.app_settings.setting_name(name)} must be a whole number of at least 1, got {value!r}.",
                    id="boers.E001",
                )
            )
    if not isinstance(conf.app_settings.FIRST_POST_NEEDS_APPROVAL, bool):
        errors.append(
            Error("BOERS_FIRST_POST_NEEDS_APPROVAL must be True or False.", id="boers.E002")
        )
    lifetime, reminder = conf.app_settings.POST_LIFETIME_DAYS, conf.app_settings.REMINDER_DAYS
    if isinstance(lifetime, int) and isinstance(reminder, int) and reminder >= lifetime:
        errors.append(
            Error(
                "BOERS_REMINDER_DAYS must be smaller than BOERS_POST_LIFETIME_DAYS "
                f"({reminder} >= {lifetime}).",
                id="boers.E003",
            )
        )
    local = conf.app_settings.REPLY_LOCAL_PART
    if not isinstance(local, str) or not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,30}", local):
        errors.append(
            Error(
                "BOERS_REPLY_LOCAL_PART must be a lower-case mail local part such as 'boers', "
                f"got {local!r}.",
                id="boers.E004",
            )
        )
    return errors
