"""The exchange's settings, each with its default (validated in checks.py)."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "BOERS_",
    {
        "POST_LIFETIME_DAYS": 60,
        "REMINDER_DAYS": 7,
        "RETENTION_DAYS": 365,
        "REPORT_THRESHOLD": 3,
        "FIRST_POST_NEEDS_APPROVAL": True,
        "PAGE_SIZE": 20,
        "MATCH_COUNT": 5,
        "REPLY_LOCAL_PART": "boers",
    },
)


def lifetime_days() -> int:
    return app_settings.POST_LIFETIME_DAYS


def reminder_days() -> int:
    return app_settings.REMINDER_DAYS


def retention_days() -> int:
    return app_settings.RETENTION_DAYS


def report_threshold() -> int:
    return app_settings.REPORT_THRESHOLD


def first_post_needs_approval() -> bool:
    return app_settings.FIRST_POST_NEEDS_APPROVAL


def page_size() -> int:
    return app_settings.PAGE_SIZE


def match_count() -> int:
    return app_settings.MATCH_COUNT


def reply_local_part() -> str:
    return app_settings.REPLY_LOCAL_PART
