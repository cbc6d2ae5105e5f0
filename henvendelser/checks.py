"""The inbox's settings, each with a default, refused with a clear message when wrong.

HENVENDELSER_ACK_LIMIT                 acknowledgements per sender per hour (default 3)
HENVENDELSER_MAX_ATTACHMENT_BYTES      largest attachment kept (default 10 MB)
HENVENDELSER_UNANSWERED_WORKING_DAYS   when an inquiry counts as unanswered (default 2)
HENVENDELSER_RETENTION_DAYS            closed inquiries are anonymised after (default 730)
"""

from django.core import checks

from .conf import app_settings

POSITIVE_INTS = [
    "ACK_LIMIT",
    "MAX_ATTACHMENT_BYTES",
    "UNANSWERED_WORKING_DAYS",
    "RETENTION_DAYS",
]


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for number, name in enumerate(POSITIVE_INTS, start=1):
        value = getattr(app_settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"{app_settings.setting_name(name)} must be a whole number of 1 or more, not {value!r}.",
                    id=f"henvendelser.E00{number}",
                )
            )
    return errors
