"""System checks for the calendar's settings (see conf.py)."""

from __future__ import annotations

import datetime
import ipaddress

from allauth.core.internal.ratelimit import parse_rates
from django.core.checks import Error, register

from . import conf

POSITIVE_INTS = {
    "SOFT_CLASH_WINDOW": (0, 48),
    "MAX_OCCURRENCES": (1, 5000),
    "MAX_RECURRENCE_DAYS": (1, 3660),
    "MAX_DURATION_HOURS": (1, 24 * 366),
    "MAX_IMAGE_MB": (1, 100),
    "PAGE_SIZE": (1, 500),
    "FEED_DAYS": (1, 3660),
    "RETENTION_DAYS": (1, 3660),
    "SUBSCRIPTION_INTERVAL_MINUTES": (5, 7 * 24 * 60),
    "SUBSCRIPTION_FAILURE_MAIL_AFTER": (1, 100),
}

# Subscribed calendars (issue #23), with ids of their own so the table above can grow.
SUBSCRIPTION_INTS = {
    "SUBSCRIPTION_TIMEOUT": ((1, 300), "kalender.E030"),
    "SUBSCRIPTION_MAX_BYTES": ((1024, 100 * 1024 * 1024), "kalender.E031"),
    "SUBSCRIPTION_MAX_REDIRECTS": ((0, 10), "kalender.E032"),
    "SUBSCRIPTION_MAX_DATES": ((1, 1_000_000), "kalender.E035"),
}


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, (low, high) in POSITIVE_INTS.items():
        value = getattr(conf.app_settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{conf.app_settings.setting_name(name)} must be a whole number from {low} to {high} (got {value!r}).",
                    id=f"kalender.E{list(POSITIVE_INTS).index(name) + 1:03d}",
                )
            )
    slug = conf.app_settings.CALENDAR_SLUG
    if not isinstance(slug, str) or not slug:
        errors.append(
            Error("KALENDER_CALENDAR_SLUG must be a non-empty string.", id="kalender.E020")
        )
    if conf.app_settings.FEED_CACHE not in (None, True, False):
        errors.append(Error("KALENDER_FEED_CACHE must be True, False or None.", id="kalender.E022"))
    holidays = conf.app_settings.SCHOOL_HOLIDAYS
    try:
        for name, first, last in holidays:
            if datetime.date.fromisoformat(first) > datetime.date.fromisoformat(last):
                raise ValueError(name)
    except (TypeError, ValueError):
        errors.append(
            Error(
                "KALENDER_SCHOOL_HOLIDAYS must be a list of (name, first day, last day) with "
                "ISO dates (YYYY-MM-DD), the first day not after the last.",
                id="kalender.E021",
            )
        )
    for name, ((low, high), check_id) in SUBSCRIPTION_INTS.items():
        value = getattr(conf.app_settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{conf.app_settings.setting_name(name)} must be a whole number from {low} to {high} (got {value!r}).",
                    id=check_id,
                )
            )
    rate = conf.app_settings.SUBSCRIPTION_RATE_LIMIT
    try:
        if not isinstance(rate, str) or not rate or not parse_rates(rate):
            raise ValueError(rate)
    except (ValueError, TypeError, KeyError, IndexError):
        errors.append(
            Error(
                "KALENDER_SUBSCRIPTION_RATE_LIMIT must be an allauth rate, e.g. "
                f"'20/h/user,60/h/ip' (got {rate!r}).",
                id="kalender.E036",
            )
        )
    problem = allowed_networks_error()
    if problem is not None:
        errors.append(
            Error(
                "KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS must be a list of networks, e.g. "
                f"['127.0.0.1/32'] ({problem}).",
                id="kalender.E033",
            )
        )
    return errors


def allowed_networks_error() -> str | None:
    networks = conf.app_settings.SUBSCRIPTION_ALLOWED_NETWORKS
    if isinstance(networks, str) or not isinstance(networks, list | tuple):
        return f"got {networks!r}"
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except (TypeError, ValueError) as exc:
            return str(exc)
    return None


@register(deploy=True)
def check_subscription_networks(app_configs=None, **kwargs):
    """The SSRF guard's exception is for tests (a feed served from 127.0.0.1): a production
    site that sets it lets an association's feed address reach those networks (issue #23).
    A site that truly fetches from its own network silences kalender.E034 on purpose."""
    if conf.app_settings.SUBSCRIPTION_ALLOWED_NETWORKS:
        return [
            Error(
                "KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS is set: a subscribed calendar's address "
                "may reach those internal networks.",
                hint="Remove the setting in production (it is for tests serving feeds locally).",
                id="kalender.E034",
            )
        ]
    return []
