"""Routing rules: pure matching by table (henvendelser.rules) and the recorded decision with
round robin (henvendelser.routing)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.forms import modelform_factory

from frivillig_blocks.models import ContactPerson, Topic
from henvendelser import rules
from henvendelser.models import (
    Inquiry,
    InquiryStatus,
    RoutingDecision,
    RoutingRule,
)
from henvendelser.routing import route_inquiry
from henvendelser.rules import MessageData, RuleData, choose_rule

from ..factories import UserFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Pure matching ----------------------------------------------------------------------

PULJER = RuleData(id=1, name="Puljer", priority=10, keywords="pulje, § 18, tilskud")
ADRESSE = RuleData(id=2, name="Puljeadresse", priority=5, recipient="frivillig+puljer@dragoer.dk")
BOLDKLUB = RuleData(id=3, name="Boldklubben", priority=20, sender_domain="@Dragoer-Boldklub.dk")
EMNE = RuleData(id=4, name="Emne: lokaler", priority=30, topic_id=7)
DANSK = RuleData(id=5, name="Ældre", priority=40, keywords="ÆLDRE, sårbare")
STANDARD = RuleData(id=9, name="Standard", priority=1, is_default=True)
INAKTIV = RuleData(id=6, name="Inaktiv", priority=0, keywords="pulje", active=False)
TOM = RuleData(id=8, name="Uden kriterier", priority=0)
KOMBI = RuleData(id=10, name="Kombi", priority=2, keywords="lokale", sender_domain="skole.dk")
ALL_RULES = [PULJER, ADRESSE, BOLDKLUB, EMNE, DANSK, STANDARD, INAKTIV, TOM, KOMBI]


@pytest.mark.parametrize(
    ("message", "expected_rule", "reason_part"),
    [
        (MessageData(subject="Spørgsmål om PULJEN"), PULJER, "emnet indeholder »pulje«"),
        (MessageData(text="Kan vi søge § 18-midler?"), PULJER, "teksten indeholder »§ 18«"),
        (MessageData(subject="Hej", text="Vi søger Tilskud"), PULJER, "tilskud"),
        (
            MessageData(recipient="Dragør <FRIVILLIG+puljer@dragoer.dk>", subject="pulje"),
            ADRESSE,
            "sendt til frivillig+puljer@dragoer.dk",
        ),
        (
            MessageData(recipient="frivillig@dragoer.dk, frivillig+puljer@dragoer.dk"),
            ADRESSE,
            "frivillig+puljer",
        ),
        (MessageData(sender="Formand <formand@dragoer-boldklub.dk>"), BOLDKLUB, "afsenderen"),
        (MessageData(sender="kasserer@post.Dragoer-Boldklub.DK"), BOLDKLUB, "dragoer-boldklub"),
        (MessageData(sender="x@fake-dragoer-boldklub.dk"), STANDARD, "Standardregel"),
        (MessageData(topic_id=7), EMNE, "emnet passer"),
        (MessageData(topic_id=8), STANDARD, "ingen anden regel"),
        (MessageData(text="Besøg hos ældre og sårbare"), DANSK, "ældre"),
        (MessageData(text="Besøg hos ÆLDRE"), DANSK, "ældre"),
        # Decomposed "å" (a + combining ring) still matches "sårbare".
        (MessageData(text="sa\u030arbare borgere"), DANSK, "sårbare"),
        (MessageData(subject="Om lokale", sender="a@skole.dk"), KOMBI, "skole.dk"),
        # Both criteria of a rule must hold: the keyword alone is not enough.
        (MessageData(subject="Om lokale", sender="a@andet.dk"), STANDARD, "Standard"),
        (MessageData(subject="Noget helt andet"), STANDARD, "Standardregel »Standard«"),
        (MessageData(), STANDARD, "Standard"),
    ],
)
def test_choose_rule_table(message, expected_rule, reason_part):
    from django.utils import translation

    with translation.override("da"):
        match = choose_rule(ALL_RULES, message)
    assert match.rule == expected_rule
    assert reason_part.casefold() in match.reason.casefold()


def test_no_default_rule_means_no_rule():
    match = choose_rule([PULJER], MessageData(subject="andet"))
    assert match.rule is None
    assert match.reason


def test_inactive_default_rule_is_ignored():
    inactive_default = RuleData(id=1, name="Standard", is_default=True, active=False)
    assert choose_rule([inactive_default], MessageData()).rule is None


def test_priority_then_name_orders_rules():
    a = RuleData(id=2, name="B", priority=10, keywords="x")
    b = RuleData(id=1, name="A", priority=10, keywords="x")
    c = RuleData(id=3, name="C", priority=5, keywords="x")
    assert choose_rule([a, b, c], MessageData(text="x")).rule == c
    assert choose_rule([a, b], MessageData(text="x")).rule == b


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [("", []), (" , ,", []), ("Pulje, ÆLDRE ,§ 18", ["pulje", "ældre", "§ 18"])],
)
def test_split_keywords(keywords, expected):
    assert rules.split_keywords(keywords) == expected


@pytest.mark.parametrize(
    ("ids", "last", "expected"),
    [([], None, None), ([3, 1, 2], None, 1), ([1, 2, 3], 1, 2), ([1, 2, 3], 3, 1), ([1, 5], 3, 5)],
)
def test_next_in_turn(ids, last, expected):
    assert rules.next_in_turn(ids, last) == expected


# --- Routing with the database ----------------------------------------------------------


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Lokaler", slug="lokaler")


@pytest.fixture
def staff(db):
    return [
        UserFactory(username=f"staff{i}", first_name=f"Medarbejder {i}", is_staff=True)
        for i in range(3)
    ]


def make_contact_person(user=None, **kwargs):
    return ContactPerson.objects.create(
        name=kwargs.pop("name", "Mette Holm"),
        role="Frivilligkoordinator",
        email="mette@dragoer.test",
        user=user,
        **kwargs,
    )


def make_inquiry(**kwargs):
    defaults = {"sender_email": "borger@example.org", "subject": "Hej", "body_text": "Tekst"}
    defaults.update(kwargs)
    return Inquiry.objects.create(**defaults)


def test_default_rule_assigns_contact_person_and_user(staff):
    person = make_contact_person(user=staff[0])
    default = RoutingRule.objects.create(
        name="Standard", is_default=True, assign_contact_person=person
    )
    inquiry = make_inquiry()

    decision = route_inquiry(inquiry, recipient="frivillig@dragoer.test")

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ASSIGNED
    assert inquiry.assignee == staff[0]
    assert inquiry.contact_person == person
    assert inquiry.routed_by == default
    assert inquiry.routing_note == decision.reason
    assert decision.rule == default
    assert decision.assignee == staff[0]
    assert decision.contact_person == person
    assert "Standardregel »Standard«" in decision.reason
    assert "Medarbejder 0" in decision.reason


def test_keyword_rule_beats_default_and_is_recorded(staff, topic):
    RoutingRule.objects.create(name="Standard", is_default=True, priority=1)
    puljer = RoutingRule.objects.create(name="Puljer", keywords="pulje, § 18", priority=50)
    puljer.assign_users.set([staff[1]])
    inquiry = make_inquiry(subject="Ansøgning", body_text="Vi vil søge en PULJE")

    decision = route_inquiry(inquiry, recipient="frivillig@dragoer.test")

    inquiry.refresh_from_db()
    assert inquiry.routed_by == puljer
    assert inquiry.assignee == staff[1]
    assert decision.rule == puljer
    assert "teksten indeholder »pulje«" in decision.reason
    assert RoutingDecision.objects.filter(inquiry=inquiry).count() == 1


def test_text_from_first_message_when_inquiry_has_none(staff):
    from henvendelser.models import InquiryMessage

    rule = RoutingRule.objects.create(name="Ældre", keywords="ældre")
    rule.assign_users.set([staff[2]])
    inquiry = make_inquiry(body_text="")
    InquiryMessage.objects.create(
        inquiry=inquiry, kind=InquiryMessage.Kind.INCOMING, body_text="Om ÆLDRE borgere"
    )
    route_inquiry(inquiry, recipient="frivillig@dragoer.test")
    assert Inquiry.objects.get(pk=inquiry.pk).assignee == staff[2]


def test_topic_and_domain_rules(staff, topic):
    lokaler = RoutingRule.objects.create(name="Lokaler", topic=topic, priority=10)
    lokaler.assign_users.set([staff[0]])
    klub = RoutingRule.objects.create(name="Klub", sender_domain="klub.dk", priority=20)
    klub.assign_users.set([staff[1]])

    by_topic = make_inquiry(topic=topic, sender_email="a@klub.dk")
    route_inquiry(by_topic, recipient="frivillig@dragoer.test")
    by_domain = make_inquiry(sender_email="b@klub.dk")
    route_inquiry(by_domain, recipient="frivillig@dragoer.test")

    assert Inquiry.objects.get(pk=by_topic.pk).routed_by == lokaler
    assert Inquiry.objects.get(pk=by_domain.pk).routed_by == klub
    assert Inquiry.objects.get(pk=by_domain.pk).assignee == staff[1]


def test_recipient_rule(staff):
    rule = RoutingRule.objects.create(name="Puljer", recipient="frivillig+puljer@dragoer.test")
    rule.assign_users.set([staff[2]])
    inquiry = make_inquiry()
    route_inquiry(inquiry, recipient="Frivillig <FRIVILLIG+Puljer@dragoer.test>")
    assert Inquiry.objects.get(pk=inquiry.pk).routed_by == rule


def test_round_robin_order_and_wraparound(staff):
    rule = RoutingRule.objects.create(name="Standard", is_default=True)
    rule.assign_users.set(staff)
    assignees = []
    for i in range(5):
        inquiry = make_inquiry(subject=f"Nr. {i}")
        decision = route_inquiry(inquiry, recipient="frivillig@dragoer.test")
        assignees.append(decision.assignee)
        assert Inquiry.objects.get(pk=inquiry.pk).assignee == decision.assignee
    assert assignees == [staff[0], staff[1], staff[2], staff[0], staff[1]]
    rule.refresh_from_db()
    assert rule.last_assigned_user == staff[1]


def test_round_robin_skips_inactive_users(staff):
    rule = RoutingRule.objects.create(name="Standard", is_default=True)
    rule.assign_users.set(staff)
    staff[1].is_active = False
    staff[1].save()
    got = [route_inquiry(make_inquiry(), recipient="x@y.dk").assignee for _ in range(3)]
    assert got == [staff[0], staff[2], staff[0]]


def test_round_robin_wins_over_contact_person_user_but_keeps_the_person(staff):
    person = make_contact_person(user=staff[2])
    rule = RoutingRule.objects.create(
        name="Standard", is_default=True, assign_contact_person=person
    )
    rule.assign_users.set([staff[0]])
    decision = route_inquiry(make_inquiry(), recipient="x@y.dk")
    assert decision.assignee == staff[0]
    assert decision.contact_person == person


def test_contact_person_without_user_still_assigned(db):
    person = make_contact_person(user=None, name="Ole Berg")
    RoutingRule.objects.create(name="Standard", is_default=True, assign_contact_person=person)
    inquiry = make_inquiry()
    decision = route_inquiry(inquiry, recipient="x@y.dk")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ASSIGNED
    assert inquiry.assignee is None
    assert inquiry.contact_person == person
    assert "Ole Berg" in decision.reason


def test_no_rules_records_decision_and_stays_new(db):
    inquiry = make_inquiry()
    decision = route_inquiry(inquiry, recipient="x@y.dk")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.assignee is None
    assert decision.rule is None
    assert decision.reason == "Ingen regel passede, og der er ingen standardregel."


def test_rule_without_anybody_leaves_inquiry_new(db):
    RoutingRule.objects.create(name="Standard", is_default=True)
    inquiry = make_inquiry()
    decision = route_inquiry(inquiry, recipient="x@y.dk")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.routed_by == decision.rule
    assert "Reglen nævner ingen" in decision.reason


def test_long_reason_is_cut_to_fit(staff):
    long_keyword = "x" * 480
    RoutingRule.objects.create(name="Lang " + "y" * 190, keywords=long_keyword)
    inquiry = make_inquiry(body_text=long_keyword)
    decision = route_inquiry(inquiry, recipient="x@y.dk")
    assert len(decision.reason) <= 500
    assert decision.rule is not None


def test_query_count_does_not_grow_with_rules(staff, django_assert_max_num_queries):
    for i in range(10):
        RoutingRule.objects.create(name=f"Regel {i}", keywords=f"ord{i}")
    rule = RoutingRule.objects.create(name="Standard", is_default=True)
    rule.assign_users.set(staff)
    inquiry = make_inquiry()
    with django_assert_max_num_queries(10):
        route_inquiry(inquiry, recipient="x@y.dk")


def test_routing_rule_plain_model_form(staff, topic):
    """The coordinator edits rules with a plain form of the model's fields."""
    person = make_contact_person(user=staff[0])
    Form = modelform_factory(
        RoutingRule,
        fields=[
            "name",
            "priority",
            "active",
            "recipient",
            "keywords",
            "sender_domain",
            "topic",
            "assign_contact_person",
            "assign_users",
            "is_default",
        ],
    )
    form = Form(
        data={
            "name": "Puljer",
            "priority": "10",
            "active": "on",
            "keywords": "pulje, § 18",
            "topic": str(topic.pk),
            "assign_contact_person": str(person.pk),
            "assign_users": [str(staff[1].pk), str(staff[2].pk)],
        }
    )
    assert form.is_valid(), form.errors
    rule = form.save()
    assert list(rule.assign_users.order_by("pk")) == [staff[1], staff[2]]
    assert not Form(data={"name": "", "priority": "-1"}).is_valid()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_round_robin_takes_different_turns():
    """Two inquiries routed at the same time take different turns (row lock on the rule)."""
    users = [UserFactory(username=f"rr{i}", is_staff=True) for i in range(2)]
    rule = RoutingRule.objects.create(name="Standard", is_default=True)
    rule.assign_users.set(users)
    inquiries = [make_inquiry(subject=f"Samtidig {i}") for i in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def work(inquiry):
        try:
            barrier.wait(timeout=10)
            route_inquiry(inquiry, recipient="x@y.dk")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in inquiries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    got = sorted(
        Inquiry.objects.filter(pk__in=[i.pk for i in inquiries]).values_list(
            "assignee_id", flat=True
        )
    )
    assert got == sorted(u.pk for u in users)


# --- Demo content -----------------------------------------------------------------------
