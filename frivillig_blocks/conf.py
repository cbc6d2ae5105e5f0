"""The shared base's settings, each with a default, so a site sets only what differs.
Read them as ``app_settings.EMAIL`` (``frivillig_blocks.appconf``): the site's
``FRIVILLIG_EMAIL`` when set, the default below otherwise; nothing is written into
``django.conf.settings``. The system checks in ``checks.py`` refuse wrong values with a clear
message at start-up.

FRIVILLIG_EMAIL                  the one volunteer address (the inbox's, the relays' domain)
FRIVILLIG_MESSAGE_ID_DOMAIN      the domain of our Message-IDs (default: FRIVILLIG_EMAIL's)
FRIVILLIG_PAGE_CACHE_SECONDS     anonymous page cache lifetime; 0 turns it off
FRIVILLIG_PAGE_CACHE_EXCLUDE     path prefixes never cached
FRIVILLIG_PAGE_CACHE_VARIANTS    copies of one path with a query string per cache window
FRIVILLIG_PAGE_CACHE_MAX_ENTRIES new cache entries per window in all (bounds Redis)
FRIVILLIG_READYZ_WORKER_MINUTES  /readyz wants a finished task within this many minutes
FRIVILLIG_INBOUND_AUTHSERV_IDS   authserv-ids of Authentication-Results headers we trust
                                 besides the ESP's own (inbound_auth.py)
FRIVILLIG_MEDIA_SERVING          "app" (this site serves its images), "proxy" or "off"

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
"""

from .appconf import AppSettings

app_settings = AppSettings(
    "FRIVILLIG_",
    {
        "EMAIL": "frivillig@example.org",
        "MESSAGE_ID_DOMAIN": lambda s: s.EMAIL.rpartition("@")[2],
        "PAGE_CACHE_SECONDS": 0,
        "PAGE_CACHE_EXCLUDE": (
            "/admin/",
            "/konto/",
            "/mine-sider/",
            "/anymail/",
            "/healthz",
            "/readyz",
            "/i18n/",
            "/en/konto/",
            "/en/mine-sider/",
        ),
        "PAGE_CACHE_VARIANTS": 50,
        "PAGE_CACHE_MAX_ENTRIES": 5000,
        "READYZ_WORKER_MINUTES": 5,
        "INBOUND_AUTHSERV_IDS": (),
        "MEDIA_SERVING": "app",
        "OUTGOING_MAIL_RETENTION_DAYS": 180,
        "INCOMING_MAIL_RETENTION_DAYS": 30,
        "IDEA_PROPOSAL_RETENTION_DAYS": 365,
        "GRANT_APPLICATION_RETENTION_DAYS": 1826,
    },
)

#: The retention settings above (each a whole number of days, 1 or more; checks.py).
RETENTION_SETTINGS = (
    "OUTGOING_MAIL_RETENTION_DAYS",
    "INCOMING_MAIL_RETENTION_DAYS",
    "IDEA_PROPOSAL_RETENTION_DAYS",
    "GRANT_APPLICATION_RETENTION_DAYS",
)
