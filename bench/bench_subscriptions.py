"""The import of a linked calendar (issue #23): a feed of 5,000 events (``BENCH_SCALE``
scales it) as a club system exports one — single dates over a year at twenty places, with
a few hundred weekly series — imported as the periodic task does it.

- ``kalender_import_5000``: parsing and expanding the feed and applying its dates to the
  association's events (created, each clash-checked against the calendar's published
  events at the same places, recorded, logged), inside a savepoint rolled back after each
  call so every call imports into the same calendar; against parsing and expanding the
  feed alone (``subscriptions.parse``). Both sides give the same dates (``rows()``).
  Target: ≤ 3×.

Run: ``.venv/bin/python bench/run.py kalender_import_5000``.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from run import benchmark, scaled

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
EVENTS = scaled(5_000)
SERIES = scaled(250)
PLACES = 20


class _Rollback(Exception):
    pass


def feed_body(first: datetime.date) -> bytes:
    """A club system's export: ``EVENTS`` VEVENTs over a year from ``first``, of which
    ``SERIES`` are weekly series of ten dates; locations name the places by name."""
    rng = random.Random(23)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Klubsystem//DA",
        "X-WR-TIMEZONE:Europe/Copenhagen",
    ]
    for i in range(EVENTS):
        day = first + datetime.timedelta(days=rng.randrange(364))
        start = datetime.datetime.combine(
            day, datetime.time(rng.randrange(8, 21), rng.choice((0, 30)))
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:klub-{i}@klub.example",
            "DTSTAMP:20261201T090000Z",
            f"DTSTART;TZID=Europe/Copenhagen:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Copenhagen:{start + datetime.timedelta(hours=2):%Y%m%dT%H%M%S}",
            f"SUMMARY:Træning {i}",
            f"DESCRIPTION:Hold {i % 40} træner. Husk drikkedunk.",
            f"LOCATION:Sted {i % PLACES}",
        ]
        if i < SERIES:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@benchmark(
    "kalender_import_5000",
    target=3.0,
    equal_rows=True,
    rounds=3,
    warmup=1,
    description="importing a 5,000-event feed with its clash checks vs parsing and "
    "expanding it alone; target ≤ 3",
)
class ImportFeed:
    def setup(self, tree):
        from django.utils import timezone

        from frivillig_blocks.models import Place
        from kalender.exceptions import HardClash
        from kalender.models import CalendarPage, Subscription
        from kalender.services import EventData, save_event
        from tests.factories import AssociationFactory, UserFactory

        if not CalendarPage.objects.exists():
            tree.hub.add_child(instance=CalendarPage(title="Kalender", slug="kalender"))
        places = Place.objects.bulk_create(
            [Place(name=f"Sted {i}", address=f"Vej {i}", postcode="2791") for i in range(PLACES)]
        )
        self.now = timezone.now()
        first = timezone.localdate() + datetime.timedelta(days=1)
        self.body = feed_body(first)
        # The calendar's own published events at the same places, for the clash checks.
        staff = UserFactory(username="bench-kommunikation", is_staff=True, is_superuser=True)
        rng = random.Random(5)
        for i in range(scaled(200)):
            day = first + datetime.timedelta(days=rng.randrange(364))
            start = datetime.datetime.combine(day, datetime.time(rng.randrange(8, 21)), CPH)
            try:
                save_event(
                    user=staff,
                    data=EventData(
                        title=f"Kommunens arrangement {i}",
                        start=start,
                        end=start + datetime.timedelta(hours=2),
                        place_id=places[i % PLACES].pk,
                    ),
                )
            except HardClash:
                continue  # two of the random dates met at one place: the form refuses it
        association = AssociationFactory(name="Bench Klub", slug="bench-klub")
        self.subscription = Subscription.objects.create(
            association=association, url="https://klub.example/kalender.ics", created_by=staff
        )

    def _dates(self):
        from kalender import conf
        from kalender.subscriptions.parse import parse

        return parse(
            self.body,
            start=self.now,
            end=self.now + datetime.timedelta(days=conf.app_settings.MAX_RECURRENCE_DAYS),
            max_occurrences=conf.app_settings.MAX_OCCURRENCES,
        )

    def _import(self):
        from django.db import transaction

        from kalender.subscriptions.importer import apply

        try:
            with transaction.atomic():
                result = apply(self.subscription, self._dates(), now=self.now)
                raise _Rollback
        except _Rollback:
            pass
        return result

    def rows(self):
        dates = len(self._dates())
        result = self._import()
        return dates, result.created

    def baseline(self):
        return self._dates()

    def measured(self):
        return self._import()
