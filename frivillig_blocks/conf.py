"""The shared base's settings, each with a default, so a site sets only what differs.
``apply_defaults()`` (called in ``AppConfig.ready``) fills in what the site left out; the
system checks in ``checks.py`` refuse wrong values with a clear message at start-up.

FRIVILLIG_EMAIL                  the one volunteer address (the inbox's, the relays' domain)
FRIVILLIG_MESSAGE_ID_DOMAIN      the domain of our Message-IDs (default: FRIVILLIG_EMAIL's)
FRIVILLIG_PAGE_CACHE_SECONDS     anonymous page cache lifetime; 0 turns it off
FRIVILLIG_PAGE_CACHE_EXCLUDE     path prefixes never cached
FRIVILLIG_PAGE_CACHE_VARIANTS    copies of one path with a query string per cache window
FRIVILLIG_PAGE_CACHE_MAX_ENTRIES new cache entries per window in all (bounds Redis)
FRIVILLIG_READYZ_WORKER_MINUTES  /readyz wants a finished task within this many minutes

Retention of personal data (days; the README's record of processing names them):
FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS    the outgoing mail log (180: long enough to answer
                                          "did you send me…?" and to trace a bounce)
FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS    raw incoming mail, kept for redelivery only (30: the
                                          inbox keeps its own copy in its inquiries)
FRIVILLIG_IDEA_PROPOSAL_RETENTION_DAYS    a proposer's name and address on an idea (365); an
                                          idea never published is deleted then
FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS  a grant application's applicant after the decision
                                          (1826, five years: the usual archive period of a
                                          municipal grant case)

ACCOUNT_RATE_LIMITS gets the shared base's own actions added where the site did not name
them (RATE_LIMIT_DEFAULTS); ``False`` (allauth: no limits at all) is left alone.
"""

from django.conf import settings

from .pagecache import DEFAULT_EXCLUDE, DEFAULT_MAX_ENTRIES, DEFAULT_VARIANTS

DEFAULTS = {
    "FRIVILLIG_EMAIL": "frivillig@example.org",
    "FRIVILLIG_PAGE_CACHE_SECONDS": 0,
    "FRIVILLIG_PAGE_CACHE_EXCLUDE": DEFAULT_EXCLUDE,
    "FRIVILLIG_PAGE_CACHE_VARIANTS": DEFAULT_VARIANTS,
    "FRIVILLIG_PAGE_CACHE_MAX_ENTRIES": DEFAULT_MAX_ENTRIES,
    "FRIVILLIG_READYZ_WORKER_MINUTES": 5,
    "FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS": 180,
    "FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS": 30,
    "FRIVILLIG_IDEA_PROPOSAL_RETENTION_DAYS": 365,
    "FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS": 1826,
}

#: The retention settings above (each a whole number of days, 1 or more; checks.py).
RETENTION_SETTINGS = (
    "FRIVILLIG_OUTGOING_MAIL_RETENTION_DAYS",
    "FRIVILLIG_INCOMING_MAIL_RETENTION_DAYS",
    "FRIVILLIG_IDEA_PROPOSAL_RETENTION_DAYS",
    "FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS",
)

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
