"""The manual's rules by table: each rule broken gives its Danish reason; daylight saving
and holiday closures."""

import datetime as dt

import pytest
from django.utils import translation

from booking import rules as R

from .conftest import CPH, local

NOW = local(2026, 3, 2, 12)
HALL = R.ResourceFacts(
    id=1,
    name="Salen",
    is_room=True,
    capacity=40,
    fire_capacity=60,
    quantity=1,
    lendable_alone=True,
    opening_hours=tuple((d, dt.time(8), dt.time(22)) for d in range(7)),
    closures=((dt.date(2026, 4, 1), dt.date(2026, 4, 6), "Påskeferie"),),
)
SOUND = R.ResourceFacts(
    id=2,
    name="Lydanlæg",
    is_room=False,
    capacity=None,
    fire_capacity=None,
    quantity=1,
    lendable_alone=False,
)


class Decl:
    def __init__(self, pk, title, condition):
        self.id = self.pk = pk
        self.title = title
        self.condition = condition


CHILD = Decl(1, "Børneattest", R.CHILDREN)
FIRE = Decl(2, "Brandmyndighedens godkendelse", R.OVERNIGHT)
POLICE = Decl(3, "Politiets tilladelse", R.ALCOHOL_LARGE)
BASE_RULES = R.effective_rules(
    R.RuleLayer(
        values={"max_duration_minutes": 240, "max_loans_per_month": 2},
        declarations=(CHILD, FIRE, POLICE),
    )
)


def request(**overrides):
    values = {
        "slots": [(local(2026, 3, 10, 17), local(2026, 3, 10, 19))],
        "purpose": "association",
        "participants": 20,
        "now": NOW,
        "tz": CPH,
        "association_id": 7,
        "association_live": True,
        "is_member": True,
    }
    values.update(overrides)
    return R.Request(**values)


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


CASES = [
    ("all rules hold", {}, None),
    (
        "too long",
        {"slots": [(local(2026, 3, 10, 12), local(2026, 3, 10, 17))]},
        "Lokalet kan højst lånes 4 timer ad gangen.",
    ),
    (
        "too short",
        {"slots": [(local(2026, 3, 10, 12), local(2026, 3, 10, 12, 15))]},
        "Lokalet skal lånes i mindst 30 minutter.",
    ),
    (
        "private party",
        {"purpose": "private_party"},
        "Lokalet må ikke lånes til: Privat fest (fødselsdag, bryllup, konfirmation).",
    ),
    ("commercial", {"purpose": "commercial"}, "Lokalet må ikke lånes til: Kommerciel aktivitet."),
    (
        "surplus to a person",
        {"fee": R.PRIVATE_PROFIT},
        "overskud til enkeltpersoner eller virksomheder",
    ),
    (
        "no association",
        {"association_id": None, "is_member": False},
        "Lokalet udlånes kun til foreninger",
    ),
    (
        "not approved association",
        {"association_live": False},
        "Lokalet udlånes kun til godkendte foreninger.",
    ),
    ("over capacity", {"participants": 41}, "Lokalet har plads til højst 40 personer."),
    (
        "in the past",
        {"slots": [(local(2026, 3, 1, 17), local(2026, 3, 1, 19))]},
        "1. marts 2026 er allerede passeret.",
    ),
    (
        "short notice",
        {"slots": [(local(2026, 3, 3, 17), local(2026, 3, 3, 19))]},
        "Lokalet skal bestilles mindst 48 timer før.",
    ),
    (
        "too far ahead",
        {"slots": [(local(2027, 6, 1, 17), local(2027, 6, 1, 19))]},
        "Lokalet kan bestilles højst 365 dage før",
    ),
    (
        "end before start",
        {"slots": [(local(2026, 3, 10, 19), local(2026, 3, 10, 17))]},
        "Sluttidspunktet skal ligge efter starten.",
    ),
    (
        "outside opening hours",
        {"slots": [(local(2026, 3, 10, 21), local(2026, 3, 10, 23))]},
        "Lokalet har ikke åbent på det valgte tidspunkt 10. marts 2026.",
    ),
    (
        "holiday closure",
        {"slots": [(local(2026, 4, 2, 17), local(2026, 4, 2, 19))]},
        "Lokalet er lukket 2. april 2026 (Påskeferie).",
    ),
    (
        "children without certificate",
        {"children_take_part": True},
        "Accepter erklæringen: Børneattest.",
    ),
    (
        "overnight without fire approval",
        {"overnight": True},
        "Accepter erklæringen: Brandmyndighedens godkendelse.",
    ),
    (
        "alcohol above 150",
        {"alcohol": True, "participants": 151},
        "Accepter erklæringen: Politiets tilladelse.",
    ),
    ("alcohol at 150", {"alcohol": True, "participants": 150}, None),
    (
        "children with certificate",
        {"children_take_part": True, "accepted_declarations": frozenset({1})},
        None,
    ),
    (
        "three a month",
        {"slots": [(local(2026, 3, d, 17), local(2026, 3, d, 19)) for d in (10, 17, 24)]},
        "Lokalet kan højst lånes 2 gange om måneden af samme forening (marts 2026).",
    ),
    (
        "two already this month",
        {"loans_per_month": {(2026, 3): 2}},
        "højst lånes 2 gange om måneden",
    ),
]


@pytest.mark.parametrize("name,overrides,expected", CASES, ids=[c[0] for c in CASES])
def test_each_rule(name, overrides, expected):
    participants = overrides.pop("participants", 20)
    resource = HALL
    if name == "alcohol above 150" or name == "alcohol at 150":
        resource = R.ResourceFacts(**{**HALL.__dict__, "capacity": 300, "fire_capacity": 300})
    problems = R.check_request(
        resource, BASE_RULES, request(participants=participants, **overrides)
    )
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_equipment_only_with_a_room():
    problems = R.check_request(SOUND, BASE_RULES, request())
    assert problems == ["Udstyret kan kun lånes sammen med et lokale."]
    assert R.check_request(SOUND, BASE_RULES, request(with_room=True)) == []


def test_allowed_purposes_and_named_associations():
    rules = R.effective_rules(
        R.RuleLayer(
            values={"allowed_purposes": ["sports"], "who_may_borrow": R.NAMED},
            named=frozenset({99}),
        )
    )
    problems = R.check_request(HALL, rules, request())
    assert "Lokalet må kun lånes til: idræt og motion." in problems
    assert "Lokalet udlånes kun til navngivne foreninger, og jeres er ikke en af dem." in problems
    assert R.check_request(HALL, rules, request(purpose="sports", association_id=99)) == []


def test_citizens_may_borrow_when_the_rules_say_so():
    rules = R.effective_rules(R.RuleLayer(values={"who_may_borrow": R.CITIZENS}))
    assert R.check_request(HALL, rules, request(association_id=None, is_member=False)) == []


def test_a_resource_rule_overrides_its_institution():
    institution = R.RuleLayer(
        values={"max_duration_minutes": 240, "buffer_minutes": 30, "forbidden_purposes": ["sports"]}
    )
    resource = R.RuleLayer(
        values={"max_duration_minutes": 120, "buffer_minutes": None, "forbidden_purposes": []}
    )
    rules = R.effective_rules(institution, resource)
    assert rules.max_duration_minutes == 120
    assert rules.buffer_minutes == 30  # inherited
    assert "sports" in rules.forbidden_purposes  # inherited
    assert {"private_party", "commercial"} <= set(rules.forbidden_purposes)  # always
    assert R.effective_rules().min_notice_hours == 48  # the manual's default


@pytest.mark.parametrize(
    "first,until,dst_day",
    [
        (dt.date(2026, 3, 17), dt.date(2026, 4, 7), dt.date(2026, 3, 29)),  # last Sunday of March
        (
            dt.date(2026, 10, 13),
            dt.date(2026, 11, 3),
            dt.date(2026, 10, 25),
        ),  # last Sunday of October
    ],
)
def test_a_weekly_series_stays_at_19_across_daylight_saving(first, until, dst_day):
    slots = R.expand(
        start_date=first,
        start_time=dt.time(19),
        end_date=first,
        end_time=dt.time(21),
        tz=CPH,
        repeat_until=until,
    )
    assert len(slots) == 4
    assert [s.astimezone(CPH).time() for s, _e in slots] == [dt.time(19)] * 4
    assert [e.astimezone(CPH).time() for _s, e in slots] == [dt.time(21)] * 4
    before = [s for s, _e in slots if s.date() < dst_day]
    after = [s for s, _e in slots if s.date() > dst_day]
    # The UTC hour moves by one across the change; the local hour does not.
    assert {s.astimezone(dt.UTC).hour for s in before} != {s.astimezone(dt.UTC).hour for s in after}


def test_a_time_that_does_not_exist_is_refused():
    with pytest.raises(R.InvalidTime):
        R.expand(
            start_date=dt.date(2026, 3, 29),
            start_time=dt.time(2, 30),
            end_date=dt.date(2026, 3, 29),
            end_time=dt.time(4),
            tz=CPH,
        )


def test_a_series_across_a_holiday_closure_names_the_closed_day():
    slots = R.expand(
        start_date=dt.date(2026, 3, 26),
        start_time=dt.time(17),
        end_date=dt.date(2026, 3, 26),
        end_time=dt.time(19),
        tz=CPH,
        repeat_until=dt.date(2026, 4, 9),
    )
    assert len(slots) == 3
    assert R.check_request(HALL, R.effective_rules(), request(slots=slots)) == [
        "Lokalet er lukket 2. april 2026 (Påskeferie)."
    ]
    before = R.expand(
        start_date=dt.date(2026, 3, 24),
        start_time=dt.time(17),
        end_date=dt.date(2026, 3, 24),
        end_time=dt.time(19),
        tz=CPH,
        repeat_until=dt.date(2026, 3, 31),
    )
    assert R.check_request(HALL, R.effective_rules(), request(slots=before)) == []


@pytest.mark.parametrize(
    "existing,stock,wanted,buffer,expected_conflict",
    [
        ([], 1, 1, 0, False),
        ([(17, 19, 1)], 1, 1, 0, True),
        ([(19, 21, 1)], 1, 1, 0, False),  # back to back
        ([(19, 21, 1)], 1, 1, 30, True),  # the buffer
        ([(15, 17, 1)], 1, 1, 30, True),
        ([(17, 19, 5)], 8, 3, 0, False),  # 5 + 3 of 8 tables
        ([(17, 19, 5)], 8, 4, 0, True),
        ([(17, 18, 5), (18, 19, 3)], 8, 3, 0, False),  # never more than 5 at once
        ([(17, 19, 5), (18, 19, 3)], 8, 1, 0, True),
    ],
)
def test_slot_conflicts(existing, stock, wanted, buffer, expected_conflict):
    new = [(local(2026, 3, 10, 17), local(2026, 3, 10, 19))]
    held = [(local(2026, 3, 10, s), local(2026, 3, 10, e), q) for s, e, q in existing]
    bad = R.slot_conflicts(
        new_slots=new,
        existing=held,
        stock=stock,
        wanted=wanted,
        buffer=dt.timedelta(minutes=buffer),
    )
    assert bool(bad) is expected_conflict


T8, T16, T22 = dt.time(8), dt.time(16), dt.time(22)


@pytest.mark.parametrize(
    "hours, runs",
    [
        ([], []),
        ([(d, T8, T22) for d in range(7)], [(0, 6, ((T8, T22),))]),
        (
            [(0, T16, T22), (1, T16, T22), (2, T16, T22), (5, T8, T16), (6, T8, T16)],
            [(0, 2, ((T16, T22),)), (5, 6, ((T8, T16),))],
        ),
        # a gap, or a second span on one day, starts a new run
        ([(0, T8, T16), (2, T8, T16)], [(0, 0, ((T8, T16),)), (2, 2, ((T8, T16),))]),
        (
            [(0, T8, T16), (1, T8, T16), (1, T16, T22)],
            [(0, 0, ((T8, T16),)), (1, 1, ((T8, T16), (T16, T22)))],
        ),
    ],
)
def test_opening_hours_are_told_as_runs_of_days(hours, runs):
    assert R.opening_runs(hours) == runs


def test_exception_rows_name_only_what_differs():
    general = R.effective_rules(R.RuleLayer(values={"max_duration_minutes": 240}))
    same = R.effective_rules(
        R.RuleLayer(values={"max_duration_minutes": 240}), R.RuleLayer(values={})
    )
    own = R.effective_rules(
        R.RuleLayer(values={"max_duration_minutes": 240}),
        R.RuleLayer(values={"max_duration_minutes": 120, "deposit_text": "200 kr."}),
    )
    assert R.exception_rows(general, same) == frozenset()
    assert R.exception_rows(general, own) == {"duration", "deposit"}
