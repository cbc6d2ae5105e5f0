"""Pure decisions about seats and the waiting list (no ORM writes, no HTTP)."""

from __future__ import annotations

import datetime

from .conf import app_settings


def offer_hours() -> int:
    return int(app_settings.OFFER_HOURS)


def retention_days() -> int:
    return int(app_settings.RETENTION_DAYS)


def reminder_days() -> int:
    return int(app_settings.REMINDER_DAYS)


def offer_expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=offer_hours())


def free_seats(*, capacity: int, confirmed: int, open_offers: int) -> int:
    return max(0, capacity - confirmed - open_offers)


def new_status(*, capacity: int, confirmed: int, open_offers: int, waiting: int) -> str:
    """A newcomer gets a seat only when one is free and nobody is in line before them."""
    from .models import Registration

    if waiting == 0 and free_seats(capacity=capacity, confirmed=confirmed, open_offers=open_offers):
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITING
