"""The inbox's settings, each with a default, refused with a clear message when wrong.

HENVENDELSER_ACK_LIMIT                 acknowledgements per sender per hour (default 3)
HENVENDELSER_MAX_ATTACHMENT_BYTES      largest attachment kept (default 10 MB)
HENVENDELSER_UNANSWERED_WORKING_DAYS   when an inquiry counts as unanswered (default 2)
HENVENDELSER_RETENTION_DAYS            closed inquiries are anonymised after (default 730)
"""

from django.conf import settings
from django.core import checks

POSITIVE_INTS = [
    "HENVENDELSER_ACK_LIMIT",
    "HENVENDELSER_MAX_ATTACHMENT_BYTES",
    "HENVENDELSER_UNANSWERED_WORKING_DAYS",
    "HENVENDELSER_RETENTION_DAYS",
]


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for number, name in enumerate(POSITIVE_INTS, start=1):
        if not hasattr(settings, name):
            continue  # the default applies
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"{name} must be a whole number of 1 or more, not {value!r}.",
                    id=f"henvendelser.E00{number}",
                )
            )
    return errors
