"""The courses' settings, each with its default (validated in checks.py). Read them as
``app_settings.OFFER_HOURS`` (the site's ``KURSER_OFFER_HOURS`` when set)."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "KURSER_",
    {
        # Hours a seat offered from the waiting list waits for an answer.
        "OFFER_HOURS": 48,
        # Days after a course's last session when its participants' details are removed.
        "RETENTION_DAYS": 730,
        # Days before a session when participants get a reminder.
        "REMINDER_DAYS": 2,
        # Courses per page in the public list.
        "PER_PAGE": 20,
    },
)
