"""The calendar's figures for the council's follow-up: events published by organiser type and
audience, and the clashes the organiser's form showed (recorded once per event and clash
through the real public form) with what became of them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from frivillig_blocks.figures import Filters, Period, compute
from frivillig_blocks.models import AgeGroup
from kalender.figures import CalendarFigures
from kalender.models import ClashKind, ClashNotice, ClashOutcome, EventDetails, EventStatus
from kalender.services import publish, set_status

from ..helpers import danish, error_summary_of
from .conftest import local

pytestmark = pytest.mark.django_db

URL = "/frivillig/kalender/opret/"
PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def at(day: datetime.date, hour=12) -> datetime.datetime:
    return local(day.year, day.month, day.day, hour)


def form_data(association=None, **overrides):
    data = {
        "title": "Strikkeaften",
        "organiser": f"a{association.pk}" if association else "me",
        "date": "2026-03-04",
        "start_time": "19:00",
        "end_time": "21:00",
        "address": "Strandlinien 1, 2791 Dragør",
        "save": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def open_form(client) -> str:
    """The create form as a browser gets it: the plan's key it carries."""
    html = client.get(URL).content.decode()
    match = re.search(r'name="notice_key" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries its plan key"
    return match.group(1)


# -- events published ---------------------------------------------------------------------


def organiser_key(d: EventDetails):
    if d.organiser_user_id:
        return ("user", d.organiser_user_id)
    if d.association_id:
        return ("association", d.association_id)
    return None


def organiser_type(d: EventDetails) -> str:
    if d.is_municipal:
        return "Kommunens egne"
    return "Foreninger" if d.association_id else "Private og andre"


@pytest.fixture
def events(
    make_event, reviewer, member, association, user_factory, association_factory, membership_factory
):
    """Published events of two associations, the municipality and three private persons,
    inside the period, after it and in the year before; one draft and one awaiting review."""
    groups = {g.code: g for g in AgeGroup.objects.all()}
    other = association_factory(name="Dragør Sejlklub", slug="sejl")
    sailor = user_factory(username="sejler")
    membership_factory(user=sailor, association=other)
    persons = [user_factory(username=f"borger{i}") for i in range(3)]
    made = []

    def add(user, published: datetime.date | None, ages=(), **kwargs):
        n = len(made)
        d = make_event(
            user,
            title=f"Arrangement {n}",
            start=local(2026, 2, 1, 9) + datetime.timedelta(days=n),
            age_group_ids=[groups[c].pk for c in ages],
            **kwargs,
        )
        if published is not None:
            if d.status != EventStatus.PUBLISHED:
                assert publish(user=reviewer, details=d)
            EventDetails.objects.filter(pk=d.pk).update(published_at=at(published))
        made.append(d)
        return d

    jan, mar, jun = (
        datetime.date(2026, 1, 2),
        datetime.date(2026, 3, 15),
        datetime.date(2026, 6, 30),
    )
    add(member, jan, ["boern", "unge"], association_id=association.pk)
    add(member, mar, ["unge"], association_id=association.pk)
    add(sailor, jun, ["voksne"], association_id=other.pk)
    add(reviewer, mar, ["voksne", "seniorer"], is_municipal=True)
    add(reviewer, jan, [], is_municipal=True, association_id=other.pk)  # municipal wins
    add(persons[0], mar, ["seniorer"])
    add(persons[1], jun, ["seniorer", "voksne"])
    add(persons[1], jan, [])
    # Outside the period: after it, the year before, never published.
    add(persons[2], datetime.date(2026, 7, 1), ["seniorer"])
    add(persons[2], datetime.date(2025, 3, 1), ["seniorer"])
    add(member, datetime.date(2025, 6, 30), ["boern"], association_id=association.pk)
    add(persons[2], None, ["boern"], draft=True)
    add(persons[0], None, ["boern"])  # awaiting review
    for d in made:
        d.refresh_from_db()
    return made


def expected_events(made, period, keep=lambda d: True):
    inside = [
        d
        for d in made
        if d.published_at is not None and period.since <= d.published_at < period.until and keep(d)
    ]
    by_type: dict[str, list] = {}
    for d in inside:
        by_type.setdefault(organiser_type(d), []).append(d)
    by_age: dict[str, list] = {}
    for d in inside:
        names = [g.name for g in d.age_groups.all()] or ["Ingen aldersgruppe angivet"]
        for name in names:
            by_age.setdefault(name, []).append(d)

    def people(items):
        return len({organiser_key(d) for d in items} - {None})

    return (
        len(inside),
        people(inside),
        {label: (len(items), people(items)) for label, items in by_type.items()},
        {label: (len(items), people(items)) for label, items in by_age.items()},
    )


def rows(figure):
    return {row.label: (row.value, row.people) for row in figure.rows}


def test_events_published_by_organiser_type_and_audience(events):
    report = compute(PERIOD)
    total, people, by_type, by_age = expected_events(events, PERIOD)
    assert total == 8
    published = report.figure("kalender.events_published")
    assert (published.value, published.people) == (total, people)
    assert rows(published) == by_type
    assert by_type["Kommunens egne"] == (2, 2)  # a staff member, and an association
    assert by_type["Foreninger"] == (3, 2)
    assert by_type["Private og andre"] == (3, 2)
    assert sum(r.value for r in published.rows) == published.value

    audience = report.figure("kalender.events_by_audience")
    assert audience.additive is False
    assert (audience.value, audience.people) == (total, people)
    assert rows(audience) == by_age
    assert by_age["Voksne"] == (3, 3)
    assert by_age["Ingen aldersgruppe angivet"] == (2, 2)
    # The rows follow the age groups' order, "none" last.
    order = [g.name for g in AgeGroup.objects.all()]
    labels = [r.label for r in audience.rows]
    assert labels[-1] == "Ingen aldersgruppe angivet"
    assert labels[:-1] == [name for name in order if name in labels]

    # The year before, side by side.
    section = next(s for s in report.sections if s.key == "kalender")
    comparison = next(c for c in section.comparisons if c.figure.key == published.key)
    before_total, before_people, before_types, _ages = expected_events(events, PERIOD.year_before())
    assert before_total == 2
    assert (comparison.previous.value, comparison.previous.people) == (before_total, before_people)
    assert rows(comparison.previous) == before_types
    assert comparison.change == total - before_total


def test_filters_association_and_age_group(events, association):
    source = CalendarFigures()
    figures = {f.key: f for f in source.figures(PERIOD, Filters(association=str(association.pk)))}
    total, people, by_type, by_age = expected_events(
        events, PERIOD, lambda d: d.association_id == association.pk
    )
    assert (total, people) == (2, 1)
    assert figures["kalender.events_published"].value == total
    assert figures["kalender.events_published"].people == people
    assert rows(figures["kalender.events_published"]) == by_type
    assert rows(figures["kalender.events_by_audience"]) == by_age

    seniors = AgeGroup.objects.get(code="seniorer")
    figures = {f.key: f for f in source.figures(PERIOD, Filters(age_group="seniorer"))}
    total, people, by_type, by_age = expected_events(
        events, PERIOD, lambda d: seniors in d.age_groups.all()
    )
    assert total == 3
    assert figures["kalender.events_published"].value == total
    assert rows(figures["kalender.events_published"]) == by_type
    # The other age groups of those events still show (each event counts once per group).
    assert rows(figures["kalender.events_by_audience"]) == by_age
    assert by_age["Voksne"] == (2, 2)

    # Filters it does not know are ignored; an unknown association finds nothing.
    report = compute(PERIOD, Filters(institution="3", topic="sport"))
    section = next(s for s in report.sections if s.key == "kalender")
    assert section.ignored == {"institution", "topic"}
    assert report.figure("kalender.events_published").value == 8
    nothing = source.figures(PERIOD, Filters(association="999999"))
    assert nothing[0].value == 0 and nothing[0].rows == ()


# -- clashes shown through the public form ------------------------------------------------------


@pytest.fixture
def other_member(user_factory, association_factory, membership_factory):
    b = association_factory(name="Dragør Sangkor", slug="kor")
    user = user_factory(username="korist")
    membership_factory(user=user, association=b)
    return user


def test_clashes_recorded_once_through_the_form_and_settled(
    client,
    calendar_page,
    member,
    association,
    trusted,
    other_member,
    reviewer,
    user_factory,
    make_event,
    place,
    seniors,
):
    bingo = make_event(
        reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place, room="Salen"
    )
    dance = make_event(
        reviewer,
        title="Seniordans",
        start=local(2026, 3, 11, 20),
        address="Hallen",
        age_group_ids=[seniors.pk],
    )
    assert ClashNotice.objects.count() == 0

    # 1. A hard clash, shown three times (the form re-renders), then moved out of the way.
    client.force_login(member)
    key = open_form(client)
    clashing = form_data(
        association, address="", place=place.pk, room="Salen", notice_key=key, title="Strik"
    )
    for _shown in range(3):
        response = client.post(URL, clashing)
        assert response.status_code == 200
        assert f"<h3>{danish('The room is taken')}</h3>" in response.content.decode()
        assert key in response.content.decode()  # the form keeps its plan key
    notice = ClashNotice.objects.get()
    assert (notice.kind, notice.outcome, notice.details) == (
        ClashKind.HARD,
        ClashOutcome.PENDING,
        None,
    )
    assert notice.user == member and notice.other == bingo
    # The live check while typing records nothing.
    assert client.post("/frivillig/kalender/tjek/", clashing).json()["hard"]
    assert ClashNotice.objects.count() == 1
    response = client.post(URL, {**clashing, "start_time": "21:00", "end_time": "23:00"})
    assert response.status_code == 302
    moved = EventDetails.objects.get(event__title="Strik")
    notice.refresh_from_db()
    assert notice.outcome == ClashOutcome.MOVED and notice.resolved_at is not None
    assert notice.details == moved and notice.form_key == moved.uid

    # 2. A hard clash nobody saved: the organiser left the form.
    quitter = user_factory(username="opgiver")
    client.force_login(quitter)
    key = open_form(client)
    response = client.post(
        URL,
        form_data(address="", place=place.pk, room="Salen", title="Loppemarked", notice_key=key),
    )
    assert response.status_code == 200
    abandoned = ClashNotice.objects.get(user=quitter)
    assert abandoned.details is None and abandoned.outcome == ClashOutcome.PENDING

    # 3. A hard clash the venue agreed to.
    client.force_login(other_member)
    choir = other_member.association_memberships.get().association
    key = open_form(client)
    data = form_data(
        choir, address="", place=place.pk, room="Salen", title="Korprøve", notice_key=key
    )
    assert client.post(URL, data).status_code == 200
    assert client.post(URL, data).status_code == 200
    data.update(venue_agreed="on", venue_agreed_note="Birthe sagde ja")
    assert client.post(URL, data).status_code == 302
    agreed = ClashNotice.objects.get(user=other_member)
    assert agreed.outcome == ClashOutcome.VENUE_AGREED
    assert agreed.details.event.title == "Korprøve" and agreed.details.venue_agreed

    # 4. A soft clash published anyway (acknowledged), later moved on the dates page.
    client.force_login(member)
    key = open_form(client)
    data = form_data(
        association,
        title="Seniorstrik",
        date="2026-03-11",
        age_groups=[seniors.pk],
        notice_key=key,
    )
    response = client.post(URL, data)
    assert response.status_code == 200
    assert danish("Other events for the same audience at the same time") in (
        error_summary_of(response.content.decode())
    )
    assert client.post(URL, {**data, "accept_warnings": "on"}).status_code == 302
    soft = ClashNotice.objects.get(kind=ClashKind.SOFT)
    assert soft.outcome == ClashOutcome.KEPT and soft.other == dance
    details = soft.details
    dates = f"/frivillig/kalender/arrangement/{details.event_id}/datoer/"
    response = client.post(
        dates,
        {
            "action": "move",
            "original_start": local(2026, 3, 11, 19).isoformat(),
            "date": "2026-03-12",
            "start_time": "19:00",
            "end_time": "21:00",
        },
    )
    assert response.status_code == 302
    soft.refresh_from_db()
    assert soft.outcome == ClashOutcome.MOVED

    # 5. Editing a saved event into a soft clash, shown twice, then cancelling the event.
    edit = f"/frivillig/kalender/arrangement/{moved.event_id}/ret/"
    data = form_data(
        association, title="Strik", date="2026-03-11", age_groups=[seniors.pk], notice_key=key
    )
    assert client.post(edit, data).status_code == 200
    assert client.post(edit, data).status_code == 200
    second = ClashNotice.objects.get(details=moved, kind=ClashKind.SOFT)
    assert second.outcome == ClashOutcome.PENDING and second.form_key == moved.uid
    assert client.post(edit, {**data, "accept_warnings": "on"}).status_code == 302
    second.refresh_from_db()
    assert second.outcome == ClashOutcome.KEPT
    set_status(user=member, details=moved, status=EventStatus.CANCELLED)
    second.refresh_from_db()
    assert second.outcome == ClashOutcome.WITHDRAWN
    # The earlier, settled hard clash of the same event is left as it was.
    assert ClashNotice.objects.get(details=moved, kind=ClashKind.HARD).outcome == (
        ClashOutcome.MOVED
    )

    # The figures from that data, counted here by hand.
    notices = list(ClashNotice.objects.select_related("details"))
    assert len(notices) == 5

    def outcome_label(n):
        if n.outcome == ClashOutcome.PENDING and n.details is None:
            return "Trukket tilbage eller aldrig gemt"
        return {
            ClashOutcome.MOVED: "Flyttet (tid eller sted ændret)",
            ClashOutcome.VENUE_AGREED: "Bekræftet med stedets samtykke",
            ClashOutcome.KEPT: "Offentliggjort, selv om samme målgruppe har et andet arrangement samme aften",
            ClashOutcome.WITHDRAWN: "Trukket tilbage eller aldrig gemt",
        }[n.outcome]

    def who(n):
        if n.details and n.details.organiser_user_id:
            return ("user", n.details.organiser_user_id)
        if n.details and n.details.association_id:
            return ("association", n.details.association_id)
        return ("user", n.user_id)

    expected: dict[str, list] = {}
    for n in notices:
        expected.setdefault(outcome_label(n), []).append(n)
    period = Period.last_twelve_months(timezone.localdate())
    report = compute(period)
    shown = report.figure("kalender.clashes_shown")
    assert shown.value == 5
    assert shown.people == len({who(n) for n in notices}) == 3
    assert rows(shown) == {
        label: (len(items), len({who(n) for n in items})) for label, items in expected.items()
    }
    assert rows(shown)["Flyttet (tid eller sted ændret)"] == (2, 1)
    assert rows(shown)["Trukket tilbage eller aldrig gemt"] == (2, 2)

    resolved = report.figure("kalender.clashes_resolved")
    assert resolved.unit == "%" and resolved.additive is False
    hard = [n for n in notices if n.kind == ClashKind.HARD]
    assert resolved.value == round(100 * 3 / 5, 1)
    assert rows(resolved) == {
        "Dobbeltbookinger (stedet var optaget)": (
            round(100 * 2 / len(hard), 1),
            len({who(n) for n in hard}),
        ),
        "Sammenfald (samme målgruppe samme aften)": (50.0, 1),
    }
    # Filtered to the knitting club: its own event's clashes only.
    filtered = CalendarFigures().figures(period, Filters(association=str(association.pk)))
    by_key = {f.key: f for f in filtered}
    assert by_key["kalender.clashes_shown"].value == 3
    assert by_key["kalender.clashes_shown"].people == 1
    # And to seniors: the events with the seniors' age group.
    # (the event's age groups as they are now: "Strik" is for seniors since its edit).
    filtered = CalendarFigures().figures(period, Filters(age_group="seniorer"))
    assert {f.key: f for f in filtered}["kalender.clashes_shown"].value == 3


def test_a_draft_with_a_soft_clash_stays_pending(
    client, calendar_page, member, association, trusted, reviewer, make_event, seniors
):
    make_event(
        reviewer,
        title="Seniordans",
        start=local(2026, 3, 11, 20),
        address="Hallen",
        age_group_ids=[seniors.pk],
    )
    client.force_login(member)
    key = open_form(client)
    data = form_data(association, date="2026-03-11", age_groups=[seniors.pk], notice_key=key)
    assert client.post(URL, data).status_code == 200
    assert client.post(URL, {**data, "draft": "1"}).status_code == 302
    notice = ClashNotice.objects.get()
    assert notice.outcome == ClashOutcome.PENDING and notice.details is not None
    figure = compute(Period.last_twelve_months(timezone.localdate())).figure(
        "kalender.clashes_shown"
    )
    assert rows(figure) == {"Ikke afgjort endnu (kladde eller afventer godkendelse)": (1, 1)}


# The query count on a growing history and the demo history: tests/site/demo/test_kalender.py
