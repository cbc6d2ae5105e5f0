"""System checks of the prize's settings (each ``INITIATIVPRIS_*``, with its default)."""

from django.core.checks import Error

from .conf import app_settings

SETTINGS = {
    # name: (lower bound, upper bound); the defaults are in conf.py
    "LINK_MAX_AGE_HOURS": (1, 24 * 30),
    "CONSENT_MAX_AGE_DAYS": (1, 365),
    "MAX_PENDING_PER_ADDRESS": (1, 100),
    "RETENTION_DAYS": (1, 3650),
}


def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, (low, high) in SETTINGS.items():
        value, default = getattr(app_settings, name), app_settings.default(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{app_settings.setting_name(name)} must be a whole number from {low} to {high}, got {value!r}.",
                    hint=f"Remove it to use the default ({default}).",
                    id="initiativpris.E001",
                )
            )
    key = app_settings.VOTER_HMAC_KEY
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
