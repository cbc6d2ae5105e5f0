"""The calendar's settings, each with its default (validated in checks.py). Read them as
``app_settings.FEED_DAYS`` (the site's ``KALENDER_FEED_DAYS`` when set)."""

from __future__ import annotations

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "KALENDER_",
    {
        # Hours before and after an event within which another published event for the same
        # audience is a soft clash ("the same evening").
        "SOFT_CLASH_WINDOW": 3,
        # A recurring event may have at most this many dates, over at most this many days.
        "MAX_OCCURRENCES": 260,
        "MAX_RECURRENCE_DAYS": 400,
        # One date of an event may last at most this many hours (also bounds the clash
        # queries' index ranges).
        "MAX_DURATION_HOURS": 96,
        # Largest image an organiser may upload, in megabytes.
        "MAX_IMAGE_MB": 5,
        # Events per page in the list views.
        "PAGE_SIZE": 25,
        # The django-scheduler calendar the events belong to.
        "CALENDAR_SLUG": "frivillig",
        # Days after today the feed and the API include by default.
        "FEED_DAYS": 400,
        # Keep the built feed per content version and serve it from the cache until the
        # content changes (True), build it for every request (False), or do so whenever the
        # page cache is on (None). Production keeps it on, also with the page cache off.
        "FEED_CACHE": None,
        # School holidays as (name, first day ISO, last day ISO) besides the editable snippets.
        "SCHOOL_HOLIDAYS": [],
        # Days after an event's last date when it loses who made it (and a private person's
        # event its organiser's name, address, description and image): see integration.py.
        "RETENTION_DAYS": 730,
        # Subscribed calendars (issue #23): one fetch's whole time-out in seconds, the
        # largest body in bytes (counted while it streams in), and the redirects followed.
        "SUBSCRIPTION_TIMEOUT": 20,
        "SUBSCRIPTION_MAX_BYTES": 5 * 1024 * 1024,
        "SUBSCRIPTION_MAX_REDIRECTS": 3,
        # The most dates one feed may give within the imported period (all its events
        # together; each recurring event is bounded by MAX_OCCURRENCES on its own).
        "SUBSCRIPTION_MAX_DATES": 20000,
        # Networks (CIDR, e.g. "127.0.0.1/32") a feed may be fetched from although they are
        # internal. Empty: every loopback, private, link-local and otherwise non-global
        # address is refused. Only tests set it (their feeds come from 127.0.0.1); the
        # deploy check (kalender.E034) refuses it in production.
        "SUBSCRIPTION_ALLOWED_NETWORKS": [],
        # Minutes between two fetches of a linked calendar (issue #23). The scheduler looks
        # every minute for the calendars that are due, so any value from 5 minutes works.
        "SUBSCRIPTION_INTERVAL_MINUTES": 60,
        # Failures in a row after which the organiser is mailed (once) that their calendar
        # cannot be fetched.
        "SUBSCRIPTION_FAILURE_MAIL_AFTER": 3,
        # How often a person may try calendar addresses on the linking page (each try
        # fetches the address from our server): an allauth rate; the site's
        # ACCOUNT_RATE_LIMITS["kalender_subscription"] wins when it names one.
        "SUBSCRIPTION_RATE_LIMIT": "20/h/user,60/h/ip",
    },
)
