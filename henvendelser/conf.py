"""The inbox's settings, each with its default (validated in checks.py). Read them as
``app_settings.ACK_LIMIT`` (the site's ``HENVENDELSER_ACK_LIMIT`` when set)."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "HENVENDELSER_",
    {
        # Acknowledgements per sender per hour.
        "ACK_LIMIT": 3,
        # Largest attachment kept, in bytes (10 MB).
        "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
        # Working days after which an open inquiry counts as unanswered.
        "UNANSWERED_WORKING_DAYS": 2,
        # Days after closing when an inquiry is anonymised.
        "RETENTION_DAYS": 730,
    },
)
