"""The shared base's settings, each with a default, so a site sets only what differs.
``apply_defaults()`` (called in ``AppConfig.ready``) fills in what the site left out; the
system checks in ``checks.py`` refuse wrong values with a clear message at start-up.

FRIVILLIG_EMAIL                  the one volunteer address (the inbox's, the relays' domain)
FRIVILLIG_MESSAGE_ID_DOMAIN      the domain of our Message-IDs (default: FRIVILLIG_EMAIL's)
FRIVILLIG_PAGE_CACHE_SECONDS     anonymous page cache lifetime; 0 turns it off
FRIVILLIG_PAGE_CACHE_EXCLUDE     path prefixes never cached
FRIVILLIG_READYZ_WORKER_MINUTES  /readyz wants a finished task within this many minutes

ACCOUNT_RATE_LIMITS gets the shared base's own actions added where the site did not name
them (RATE_LIMIT_DEFAULTS); ``False`` (allauth: no limits at all) is left alone.
"""

from django.conf import settings

from .pagecache import DEFAULT_EXCLUDE

DEFAULTS = {
    "FRIVILLIG_EMAIL": "frivillig@example.org",
    "FRIVILLIG_PAGE_CACHE_SECONDS": 0,
    "FRIVILLIG_PAGE_CACHE_EXCLUDE": DEFAULT_EXCLUDE,
    "FRIVILLIG_READYZ_WORKER_MINUTES": 5,
}

#: allauth rate limits of the shared base's public actions (the feedback form on every page
#: of the volunteer section: ten answers a minute, sixty an hour from one address).
RATE_LIMIT_DEFAULTS = {
    "frivillig_feedback": "10/m/ip,60/h/ip",
}


def apply_defaults() -> None:
    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    limits = getattr(settings, "ACCOUNT_RATE_LIMITS", {})
    if isinstance(limits, dict):
        missing = {k: v for k, v in RATE_LIMIT_DEFAULTS.items() if k not in limits}
        if missing:
            settings.ACCOUNT_RATE_LIMITS = {**limits, **missing}
    if not hasattr(settings, "FRIVILLIG_MESSAGE_ID_DOMAIN"):
        settings.FRIVILLIG_MESSAGE_ID_DOMAIN = settings.FRIVILLIG_EMAIL.rpartition("@")[2]
