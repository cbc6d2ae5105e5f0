"""The exchange's settings, each with its default (validated in checks.py)."""

from django.conf import settings

DEFAULTS = {
    "BOERS_POST_LIFETIME_DAYS": 60,
    "BOERS_REMINDER_DAYS": 7,
    "BOERS_RETENTION_DAYS": 365,
    "BOERS_REPORT_THRESHOLD": 3,
    "BOERS_FIRST_POST_NEEDS_APPROVAL": True,
    "BOERS_PAGE_SIZE": 20,
    "BOERS_MATCH_COUNT": 5,
    "BOERS_REPLY_LOCAL_PART": "boers",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def lifetime_days() -> int:
    return get("BOERS_POST_LIFETIME_DAYS")


def reminder_days() -> int:
    return get("BOERS_REMINDER_DAYS")


def retention_days() -> int:
    return get("BOERS_RETENTION_DAYS")


def report_threshold() -> int:
    return get("BOERS_REPORT_THRESHOLD")


def first_post_needs_approval() -> bool:
    return get("BOERS_FIRST_POST_NEEDS_APPROVAL")


def page_size() -> int:
    return get("BOERS_PAGE_SIZE")


def match_count() -> int:
    return get("BOERS_MATCH_COUNT")


def reply_local_part() -> str:
    return get("BOERS_REPLY_LOCAL_PART")
