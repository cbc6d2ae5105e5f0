"""One course registration per mailbox and session under any spelling (#18, item 1): the
unique constraint is on the canonical identity of the address (frivillig_blocks.identity),
not on the address as typed."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation

from kurser import exceptions, services
from kurser.models import Registration

from ..frivillig_blocks.test_identity import DISTINCT, INVISIBLE, MAILBOX, QUOTED, SPELLINGS


@pytest.fixture
def leader(user_factory, membership_factory, association_factory):
    user = user_factory(username="leder", first_name="Leder")
    association = association_factory(name="Søspejderne")
    membership_factory(user=user, association=association)
    return user, association


def register_for(session, leader, email, n=0):
    user, association = leader
    return services.register(
        session_id=session.pk,
        user=user,
        association_id=association.pk,
        name=f"Spejder {n}",
        email=email,
    )


def test_every_spelling_of_one_mailbox_is_one_registration(course_page, session_factory, leader):
    """Fails before #18: the key was the address lower-cased, so a punycode domain, a
    decomposed å or fullwidth letters each took one more seat for one person."""
    session = session_factory(capacity=100)
    first = register_for(session, leader, SPELLINGS[0])
    assert first.identity == MAILBOX
    for n, spelling in enumerate(SPELLINGS[1:], start=1):
        with pytest.raises(exceptions.AlreadyRegistered):
            register_for(session, leader, spelling, n)
    assert Registration.objects.count() == 1


def test_distinct_mailboxes_each_get_a_seat(course_page, session_factory, leader):
    session = session_factory(capacity=100)
    for n, address in enumerate(DISTINCT):
        register_for(session, leader, address, n)
    assert Registration.objects.filter(session=session).count() == len(DISTINCT)


def test_an_address_without_identity_is_refused_in_danish(course_page, session_factory, leader):
    session = session_factory(capacity=100)
    with translation.override("da"):
        for address in INVISIBLE[:3]:
            with pytest.raises(exceptions.CourseError) as caught:
                register_for(session, leader, address)
            assert "usynligt tegn" in str(caught.value.message)
        for address in QUOTED[:2]:
            with pytest.raises(exceptions.CourseError) as caught:
                register_for(session, leader, address)
            assert "anførselstegn" in str(caught.value.message)
    assert Registration.objects.count() == 0


def test_the_database_holds_one_registration_per_identity(course_page, session_factory):
    session = session_factory()
    Registration.objects.create(session=session, name="A", email="Karen.Holm@strandgård.dk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=session, name="B", email="karen.holm+x@xn--strandgrd-c3a.dk"
        )


def test_the_migration_gives_old_rows_their_identity_and_keeps_duplicates(
    course_page, session_factory
):
    session = session_factory()
    rows = [  # rows from before the migration: no identity yet
        Registration.objects.create(
            session=session, name=n, email=e, status="confirmed", identity=f"old-{n}"
        )
        for n, e in [("A", "karen.holm@strandgård.dk"), ("B", "KAREN.HOLM@xn--strandgrd-c3a.dk")]
    ]
    Registration.objects.filter(pk__in=[r.pk for r in rows]).update(identity="")
    migration = importlib.import_module("kurser.migrations.0005_registration_identity")
    migration.fill_identity(apps, None)
    first, second = (Registration.objects.get(pk=r.pk) for r in rows)
    assert first.identity == MAILBOX
    assert second.identity == f"duplicate:{second.pk}"
    assert second.status == "confirmed"  # nothing held is taken away
