"""The prize's settings, each with its default (validated in checks.py). Read them as
``app_settings.RETENTION_DAYS`` (the site's ``INITIATIVPRIS_RETENTION_DAYS`` when set)."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "INITIATIVPRIS_",
    {
        # Days after a round ends when nominators' and voters' details are removed.
        "RETENTION_DAYS": 90,
        # Hours a confirmation link in a mail stays valid.
        "LINK_MAX_AGE_HOURS": 72,
        # Days a nominee's consent request stays open.
        "CONSENT_MAX_AGE_DAYS": 30,
        # Unconfirmed nominations one address may have at a time.
        "MAX_PENDING_PER_ADDRESS": 3,
        # The key voters' addresses are hashed with ("": one derived from SECRET_KEY).
        "VOTER_HMAC_KEY": "",
    },
)
