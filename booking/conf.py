"""The loans' settings, each with its default (validated in checks.py). Read them as
``app_settings.RETENTION_DAYS`` (the site's ``BOOKING_RETENTION_DAYS`` when set)."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "BOOKING_",
    {
        # Days after a loan ends when the borrower's details are removed.
        "RETENTION_DAYS": 730,
        # Hours after a loan's end before it counts as overdue.
        "OVERDUE_GRACE_HOURS": 12,
    },
)
