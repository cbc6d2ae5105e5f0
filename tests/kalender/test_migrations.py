"""Issue #21: the calendar's own category list went into the site's one list of themes.
From the state before (kalender 0007), every event's category becomes one of its themes:
the same subject under another name finds its theme (``sport`` → Idræt og motion), a
category no theme means becomes a theme of its own, and the category list is gone."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from frivillig_blocks.models import Theme
from kalender.models import EventDetails, Slot
from kalender.occurrences import audience_key

BEFORE = ("kalender", "0007_personal_data")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_event_category_becomes_one_of_its_themes(reviewer, make_event):
    events = {
        title: make_event(reviewer, title=title)
        for title in ("Fodbold", "Koncert", "Dansekursus", "Uden kategori", "Allerede tema")
    }
    history = Theme.objects.get(slug="historie")
    events["Allerede tema"].themes.add(history)
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Category = old.get_model("kalender", "Category")
    OldDetails = old.get_model("kalender", "EventDetails")
    sport = Category.objects.create(name="Sport og motion", slug="sport", sort_order=1)
    culture = Category.objects.create(name="Kultur", slug="kultur", sort_order=0)
    dance = Category.objects.create(name="Dans", slug="dans", sort_order=2)
    for title, category in (
        ("Fodbold", sport),
        ("Koncert", culture),
        ("Dansekursus", dance),
        ("Allerede tema", culture),
    ):
        OldDetails.objects.filter(pk=events[title].pk).update(category=category)

    MigrationExecutor(connection).migrate(latest)

    def themes_of(title):
        return [t.slug for t in EventDetails.objects.get(pk=events[title].pk).themes.all()]

    assert themes_of("Fodbold") == ["idraet-og-motion"]
    assert themes_of("Koncert") == ["kultur"]
    assert themes_of("Dansekursus") == ["dans"]
    assert Theme.objects.get(slug="dans").name == "Dans"
    assert themes_of("Uden kategori") == []
    assert themes_of("Allerede tema") == ["kultur", "historie"]
    # The slots' audience (read by the soft clash check) names the new themes.
    koncert = EventDetails.objects.get(pk=events["Koncert"].pk)
    assert set(Slot.objects.filter(details=koncert).values_list("audience", flat=True)) == {
        audience_key([], [Theme.objects.get(slug="kultur").pk])
    }
    # No theme twice: the seeded list was used, not copied.
    assert Theme.objects.filter(name__in=["Sport og motion", "Kultur"]).count() == 1
    assert "kalender_category" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_date_gets_the_event_of_its_details(reviewer, make_event):
    """Issue #22 (kalender 0011): the dates made before the slot had its event column get
    their event from their details, and the dates read as (event, start, end) are right."""
    from kalender import queries

    weekly = make_event(
        reviewer, title="Ugentlig", recurrence="weekly", repeat_until=datetime.date(2026, 4, 30)
    )
    single = make_event(reviewer, title="Enkelt")
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())
    executor = MigrationExecutor(connection)
    executor.migrate([("kalender", "0010_slot_public_partial_indexes")])
    old = executor.loader.project_state([("kalender", "0010_slot_public_partial_indexes")]).apps
    assert "event" not in {f.name for f in old.get_model("kalender", "Slot")._meta.get_fields()}

    MigrationExecutor(connection).migrate(latest)

    for details in (weekly, single):
        slots = Slot.objects.filter(details=details)
        assert slots.exists()
        assert set(slots.values_list("event_id", flat=True)) == {details.event_id}
    dates = queries.public_dates()
    assert {event for event, _start, _end in dates} == {weekly.event_id, single.event_id}
    assert len(dates) == Slot.objects.filter(public=True).count()
