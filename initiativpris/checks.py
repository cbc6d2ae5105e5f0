"""System checks of the prize's settings (each ``INITIATIVPRIS_*``, with its default)."""

from django.conf import settings
from django.core.checks import Error

SETTINGS = {
    # name: (default, lower bound, upper bound)
    "INITIATIVPRIS_LINK_MAX_AGE_HOURS": (72, 1, 24 * 30),
    "INITIATIVPRIS_CONSENT_MAX_AGE_DAYS": (30, 1, 365),
    "INITIATIVPRIS_MAX_PENDING_PER_ADDRESS": (3, 1, 100),
    "INITIATIVPRIS_RETENTION_DAYS": (90, 1, 3650),
}


def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, (default, low, high) in SETTINGS.items():
        value = getattr(settings, name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{name} must be a whole number from {low} to {high}, got {value!r}.",
                    hint=f"Remove it to use the default ({default}).",
                    id="initiativpris.E001",
                )
            )
    key = getattr(settings, "INITIATIVPRIS_VOTER_HMAC_KEY", "")
    if not isinstance(key, str) or (key and len(key) < 32):
        errors.append(
            Error(
                "INITIATIVPRIS_VOTER_HMAC_KEY must be a string of at least 32 characters "
                "(or empty: a key derived from SECRET_KEY is used).",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="initiativpris.E002",
            )
        )
    return errors
