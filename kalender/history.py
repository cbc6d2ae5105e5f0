"""Past activity of the calendar for the follow-up's figures (``CalendarFigures.history``):
``months`` of published events (the ``schedule.Event`` row, its ``EventDetails``, age groups
and its one ``Slot``) by associations, the municipality and private persons, and the clashes
the form showed some of them with what became of them. In bulk, without signals, mail or
tasks; deterministic; marked by the user ``kalender-historik`` (``created_by``), so a
second call creates nothing."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX as UNUSABLE
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from schedule.models import Event

from frivillig_blocks.models import AgeGroup, Association, Place

from .models import (
    PUBLIC_STATUSES,
    ClashKind,
    ClashNotice,
    ClashOutcome,
    EventDetails,
    EventStatus,
    Slot,
)
from .occurrences import audience_key, calendar, local_tz

MARKER = "kalender-historik"
SEED = 20
# Published events a month at scale 1 (about 85 a year; the benchmark's scale 100 gives
# some 17,000 events, each with its scheduler event, slot and age groups).
EVENTS_PER_MONTH = 7
TITLES = (
    "Fællessang",
    "Strikkecafé",
    "Lektiecafé",
    "Foredrag om Dragørs historie",
    "Loppemarked",
    "Fællesspisning",
    "Naturvandring på fortet",
    "Bankospil",
    "Seniorgymnastik",
    "Børneteater",
    "Koncert i kirken",
    "Kajaktur for begyndere",
    "Generalforsamling",
    "Filmaften",
    "Repair café",
    "Juletræsfest",
    "Fastelavn for børn",
    "Havnefest",
    "Bridgeturnering",
    "Fotoudstilling",
    "Cykeltur til Store Magleby",
    "Spilaften for unge",
    "Sankthansbål",
    "Frivilligmøde",
)
ASSOCIATIONS = (
    "Dragør Bridgeklub",
    "Dragør Havkajakklub",
    "Store Magleby Beboerforening",
    "Dragør Fotoklub",
    "Dragør Sangkor",
)
# Outcome weights of a clash by kind (moved, venue agreed, kept, withdrawn, never saved).
OUTCOME_WEIGHTS = {
    ClashKind.HARD: (55, 30, 0, 8, 7),
    ClashKind.SOFT: (35, 0, 50, 8, 7),
}
OUTCOME_ORDER = (
    ClashOutcome.MOVED,
    ClashOutcome.VENUE_AGREED,
    ClashOutcome.KEPT,
    ClashOutcome.WITHDRAWN,
    None,  # never saved: pending, without an event
)


def _months_back(today: dt.date, months: int) -> dt.date:
    month = today.month - 1 - months
    year = today.year + month // 12
    return dt.date(year, month % 12 + 1, min(today.day, 28))


def _users(prefix: str, count: int) -> list:
    """Demo organisers nobody can log in as (an unusable password)."""
    User = get_user_model()
    names = [f"{prefix}-{i}" for i in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.invalid", password=UNUSABLE, is_active=True)
            for name in names
            if name not in existing
        ]
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


def _associations() -> list[Association]:
    found = list(Association.objects.order_by("pk")[:12])
    if len(found) >= 4:
        return found
    for name in ASSOCIATIONS:
        slug = slugify(name)
        association, _created = Association.objects.get_or_create(
            slug=slug, defaults={"name": name, "purpose": "Foreningsliv i Dragør."}
        )
        if association not in found:
            found.append(association)
    return found


@transaction.atomic
def create_history(*, today: dt.date, months: int = 24, scale: int = 1) -> int:
    User = get_user_model()
    marker, _created = User.objects.get_or_create(
        username=MARKER,
        defaults={"email": f"{MARKER}@example.invalid", "password": UNUSABLE, "is_active": False},
    )
    if EventDetails.objects.filter(created_by=marker).exists():
        return 0
    rng = random.Random(SEED)
    tz = local_tz()
    scale = max(1, int(scale))
    associations = _associations()
    private = _users("kalender-arrangoer", min(12 * scale, 600))
    # The municipality's own events are held by its staff (culture, sport, the volunteer
    # coordinator …).
    staff = _users("kalender-kommune", 8)
    age_groups = list(AgeGroup.objects.values_list("pk", flat=True))
    places = list(Place.objects.order_by("pk").values_list("pk", flat=True)[:20])
    cal = calendar()

    first = _months_back(today, months)
    span_days = (today - first).days
    count = months * EVENTS_PER_MONTH * scale
    plans = []
    for _i in range(count):
        published_day = first + dt.timedelta(days=rng.randrange(span_days))
        published_at = dt.datetime.combine(
            published_day, dt.time(rng.randrange(8, 22), rng.randrange(60)), tzinfo=tz
        )
        day = published_day + dt.timedelta(days=rng.randrange(3, 46))
        start = dt.datetime.combine(
            day, dt.time(rng.randrange(9, 21), rng.choice((0, 30))), tzinfo=tz
        )
        end = start + dt.timedelta(hours=rng.choice((1, 2, 2, 3)))
        kind = rng.choices(("association", "municipal", "private"), (50, 20, 30))[0]
        groups = (
            rng.sample(age_groups, k=min(len(age_groups), rng.choice((1, 1, 2))))
            if age_groups
            else []
        )
        plans.append(
            {
                "title": rng.choice(TITLES),
                "start": start,
                "end": end,
                "published_at": published_at,
                "kind": kind,
                "association": rng.choice(associations).pk if kind == "association" else None,
                "user": rng.choice(staff).pk
                if kind == "municipal"
                else (rng.choice(private).pk if kind == "private" else None),
                "place": rng.choice(places) if places and rng.random() < 0.8 else None,
                "groups": groups,
                "status": EventStatus.CANCELLED if rng.random() < 0.05 else EventStatus.PUBLISHED,
                "clash": rng.choices((None, ClashKind.SOFT, ClashKind.HARD), (78, 14, 8))[0],
            }
        )
        plans[-1]["outcome"] = (
            rng.choices(OUTCOME_ORDER, OUTCOME_WEIGHTS[plans[-1]["clash"]])[0]
            if plans[-1]["clash"]
            else None
        )

    events = Event.objects.bulk_create(
        [Event(calendar=cal, title=p["title"], start=p["start"], end=p["end"]) for p in plans],
        batch_size=2000,
    )
    details = EventDetails.objects.bulk_create(
        [
            EventDetails(
                event=event,
                association_id=p["association"],
                organiser_user_id=p["user"],
                organiser_name="Dragør Kommune" if p["kind"] == "municipal" else "",
                is_municipal=p["kind"] == "municipal",
                place_id=p["place"],
                room="Salen" if p["place"] else "",
                address="" if p["place"] else "Strandlinien 1, 2791 Dragør",
                status=p["status"],
                published_at=p["published_at"],
                venue_agreed=p["outcome"] == ClashOutcome.VENUE_AGREED,
                venue_agreed_note="Stedet har sagt ja."
                if p["outcome"] == ClashOutcome.VENUE_AGREED
                else "",
                created_by=marker,
            )
            for event, p in zip(events, plans, strict=True)
        ],
        batch_size=2000,
    )
    EventDetails.objects.filter(created_by=marker).update(
        created_at=F("published_at"), updated_at=F("published_at")
    )
    through = EventDetails.age_groups.through
    links = [
        through(eventdetails_id=d.pk, agegroup_id=g)
        for d, p in zip(details, plans, strict=True)
        for g in p["groups"]
    ]
    through.objects.bulk_create(links, batch_size=5000)
    slots = [
        Slot(
            details=d,
            start=p["start"],
            end=p["end"],
            original_start=p["start"],
            day=p["start"].date(),
            status=p["status"],
            public=p["status"] in PUBLIC_STATUSES,
            place_id=p["place"],
            room=d.room,
            audience=audience_key(p["groups"], []),
        )
        for d, p in zip(details, plans, strict=True)
    ]
    Slot.objects.bulk_create(slots, batch_size=5000)

    notices = []
    for d, p in zip(details, plans, strict=True):
        if not p["clash"]:
            continue
        other = details[rng.randrange(len(details))]
        shown_at = p["published_at"] - dt.timedelta(hours=rng.randrange(1, 72))
        outcome = p["outcome"]
        saved = outcome is not None
        notices.append(
            ClashNotice(
                details=d if saved else None,
                form_key=d.uid if saved else uuid.UUID(int=rng.getrandbits(128)),
                user_id=p["user"] if saved else rng.choice(private).pk,
                kind=p["clash"],
                clash_key=f"event:{other.pk}",
                other=other if other.pk != d.pk else None,
                clash_start=p["start"],
                shown_at=shown_at,
                outcome=outcome or ClashOutcome.PENDING,
                resolved_at=(shown_at + dt.timedelta(minutes=rng.randrange(5, 4000)))
                if saved
                else None,
            )
        )
    ClashNotice.objects.bulk_create(notices, batch_size=5000)
    return len(events) + len(details) + len(links) + len(slots) + len(notices)
