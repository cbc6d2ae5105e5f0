"""What the prize puts in the shared calendar (the CALENDAR_ENTRIES hook): each published
round's Frivillig Fredag and its ceremony."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from frivillig_blocks.hooks import CalendarEntry

from .models import FrivilligFredagPage, PrizeRound


def calendar_entries(start, end) -> list[CalendarEntry]:
    tz = timezone.get_current_timezone()
    first, last = timezone.localtime(start, tz).date(), timezone.localtime(end, tz).date()
    rounds = PrizeRound.objects.live().filter(year__gte=first.year - 1, year__lte=last.year + 1)
    page = FrivilligFredagPage.objects.live().first()
    url = page.get_url() if page else ""
    entries = []
    for round in rounds:
        day = round.frivillig_fredag
        day_start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        day_end = day_start + datetime.timedelta(days=1)
        if day_start < end and day_end > start:
            entries.append(
                CalendarEntry(
                    uid=f"initiativpris-{round.pk}-frivillig-fredag",
                    title=_("Frivillig Fredag"),
                    start=day_start,
                    end=day_end,
                    kind="prize",
                    url=url or "",
                    description=_("The national day for volunteers."),
                )
            )
        ceremony_end = round.announcement_at + datetime.timedelta(hours=2)
        if round.announcement_at < end and ceremony_end > start:
            entries.append(
                CalendarEntry(
                    uid=f"initiativpris-{round.pk}-ceremony",
                    title=_("Award of the %(prize)s %(year)s")
                    % {"prize": round.prize_name, "year": round.year},
                    start=round.announcement_at,
                    end=ceremony_end,
                    kind="prize",
                    url=url or "",
                    location=round.ceremony_place,
                )
            )
    return entries
