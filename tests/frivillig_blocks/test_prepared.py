"""frivillig_blocks.prepared.PreparedQuery: a queryset compiled once per process, run with
each call's values, answering what the queryset itself answers."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DataError, connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from frivillig_blocks.models import Association, AssociationMembership
from frivillig_blocks.prepared import PreparedQuery
from tests.factories import AssociationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _members_since(association, since):
    return (
        AssociationMembership.objects.filter(association_id=association, created_at__gte=since)
        .select_related("user", "association")
        .order_by("user__username")
    )


def _with_counts(slug, since):
    return (
        Association.objects.filter(slug=slug)
        .annotate(
            recent=Count("memberships", filter=Q(memberships__created_at__gte=since)),
            members=Count("memberships"),
        )
        .order_by()
    )


@pytest.fixture
def clubs():
    """Two associations; each membership made some days before NOW."""
    made = {}
    for club, ages in (("roklub", (1, 5, 30)), ("skak", (2,))):
        association = AssociationFactory(slug=club, name=club.title())
        for age in ages:
            membership = MembershipFactory(
                association=association, user=UserFactory(username=f"{club}-{age}")
            )
            AssociationMembership.objects.filter(pk=membership.pk).update(
                created_at=NOW - datetime.timedelta(days=age)
            )
        made[club] = association
    return made


def _seen(memberships):
    return [(m.pk, m.user.username, m.association.name, m.created_at) for m in memberships]


def test_each_call_answers_what_the_queryset_answers_for_its_values(
    clubs, django_assert_num_queries
):
    members = PreparedQuery(_members_since, association=int, since=datetime.datetime)
    counts = PreparedQuery(_with_counts, slug=str, since=datetime.datetime)
    for club in ("roklub", "skak"):
        for days in (0, 3, 10, 60):
            since = NOW - datetime.timedelta(days=days)
            with django_assert_num_queries(1):
                got = _seen(members(association=clubs[club].pk, since=since))
            assert got == _seen(_members_since(clubs[club].pk, since))
            (association,) = counts(slug=club, since=since)
            (expected,) = _with_counts(club, since)
            assert (association.pk, association.recent, association.members) == (
                expected.pk,
                expected.recent,
                expected.members,
            )
    since = NOW - datetime.timedelta(days=10)
    assert [m.user.username for m in members(association=clubs["roklub"].pk, since=since)] == [
        "roklub-1",
        "roklub-5",
    ]
    (rowing,) = counts(slug="roklub", since=since)
    assert (rowing.recent, rowing.members) == (2, 3)
    assert counts(slug="findes-ikke", since=since) == []


def test_it_builds_and_compiles_once_per_process(clubs):
    built = []

    def build(slug):
        built.append(slug)
        return Association.objects.filter(slug=slug)

    by_slug = PreparedQuery(build, slug=str)
    assert [a.name for a in by_slug(slug="roklub")] == ["Roklub"]
    assert [a.name for a in by_slug(slug="skak")] == ["Skak"]
    assert [a.name for a in by_slug(slug="roklub")] == ["Roklub"]
    assert len(built) == 1  # once, with the sample value, not with any caller's


@pytest.mark.parametrize(
    "hostile",
    [
        "' OR '1'='1",
        "roklub'; DELETE FROM frivillig_blocks_association; --",
        "roklub\x00",
        "røklub",
        "r" * 10_000,
        "%",
        "$1",
        "?",
    ],
)
def test_values_are_parameters_never_sql(clubs, hostile):
    by_slug = PreparedQuery(lambda slug: Association.objects.filter(slug=slug), slug=str)
    if "\x00" in hostile and connection.vendor == "postgresql":
        # PostgreSQL refuses NUL in text: the same error as the queryset's (the views'
        # patterns keep it out before any query).
        with pytest.raises(DataError), transaction.atomic():
            list(Association.objects.filter(slug=hostile))
        with pytest.raises(DataError), transaction.atomic():
            by_slug(slug=hostile)
    else:
        assert by_slug(slug=hostile) == []
    assert Association.objects.count() == 2


def test_ordering_by_an_expression_outside_the_columns(clubs):
    """DISTINCT with an ORDER BY expression makes Django add a column to the SELECT
    (``has_extra_select``); the instances are built from the model's columns only."""
    ordered = PreparedQuery(
        lambda since: (
            Association.objects.filter(memberships__created_at__gte=since)
            .distinct()
            .order_by(Lower("name").desc())
        ),
        since=datetime.datetime,
    )
    found = ordered(since=NOW - datetime.timedelta(days=3))
    assert [(a.slug, a.name) for a in found] == [("skak", "Skak"), ("roklub", "Roklub")]
    assert [a.slug for a in ordered(since=NOW - datetime.timedelta(days=1, hours=12))] == ["roklub"]


def test_prefetches_of_the_queryset_are_made_for_the_instances(clubs, django_assert_num_queries):
    prefetching = PreparedQuery(
        lambda slug: Association.objects.filter(slug=slug).prefetch_related("memberships"),
        slug=str,
    )
    with django_assert_num_queries(2):
        (rowing,) = prefetching(slug="roklub")
        assert len(rowing.memberships.all()) == 3


@pytest.mark.parametrize(
    "build, kinds, what",
    [
        # A time that is not one of its values would be kept for the life of the process.
        (
            lambda slug: Association.objects.filter(
                slug=slug, memberships__created_at__lte=timezone.now()
            ),
            {"slug": str},
            "holds a time",
        ),
        # A value Django compiles to another (LIKE's pattern) cannot be put in.
        (lambda text: Association.objects.filter(name__icontains=text), {"text": str}, "reach"),
        # Building read the database: what it read would be kept.
        (
            lambda slug: Association.objects.filter(
                slug=slug, pk__in=list(Association.objects.values_list("pk", flat=True))
            ),
            {"slug": str},
            "read the database",
        ),
        (lambda slug: Association.objects.filter(slug=slug).values("name"), {"slug": str}, "model"),
    ],
)
def test_what_it_cannot_keep_is_refused_at_the_first_call(clubs, build, kinds, what):
    prepared = PreparedQuery(build, **kinds)
    values = dict.fromkeys(kinds, "roklub")
    with pytest.raises(ImproperlyConfigured, match=what):
        prepared(**values)


def test_values_of_another_kind_are_refused(clubs):
    members = PreparedQuery(_members_since, association=int, since=datetime.datetime)
    pk = clubs["roklub"].pk
    with pytest.raises(TypeError):
        members(association=str(pk), since=NOW)
    with pytest.raises(TypeError):
        members(association=True, since=NOW)
    with pytest.raises(TypeError, match="aware"):
        members(association=pk, since=datetime.datetime(2026, 1, 1))  # naive
    with pytest.raises(TypeError):
        members(association=pk)
    with pytest.raises(TypeError):
        PreparedQuery(_members_since, association=float)
    assert len(members(association=pk, since=NOW - datetime.timedelta(days=100))) == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_postgresql_plans_the_statement_once_per_connection(clubs):
    """The values are bound on the server, so psycopg prepares the statement after
    ``prepare_threshold`` runs on the connection."""
    by_slug = PreparedQuery(lambda slug: Association.objects.filter(slug=slug), slug=str)
    connection.ensure_connection()
    for _ in range(connection.connection.prepare_threshold + 1):
        assert [a.slug for a in by_slug(slug="skak")] == ["skak"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    mine = [sql for sql in statements if "frivillig_blocks_association" in sql and "$1" in sql]
    assert mine and all("skak" not in sql for sql in mine)
