"""Never oversold: 50 people register for 20 seats at the same moment, each on a connection
of its own. The session row lock makes them queue: exactly 20 seats, 30 waiting, in the
order they came through the lock."""

import threading

import pytest
from django.db import close_old_connections, connection

from kurser import services
from kurser.models import Registration

ON_POSTGRES = connection.vendor == "postgresql"
Status = Registration.Status


def race(work, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results.append(work(index))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_registrations_for_twenty_seats(course_page, session_factory, user_factory):
    session = session_factory(capacity=20)
    users = [user_factory(username=f"racer{i}") for i in range(50)]

    results, errors = race(
        lambda i: services.register(session_id=session.pk, user=users[i]).status, 50
    )

    assert not errors, errors
    assert sorted(results).count(Status.CONFIRMED) == 20
    assert results.count(Status.WAITING) == 30
    rows = list(Registration.objects.filter(session=session).order_by("queued_at", "pk"))
    assert [r.status for r in rows] == [Status.CONFIRMED] * 20 + [Status.WAITING] * 30
    # Arrival order: the order of the queue is the order of the inserts behind the lock.
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_person_twice_at_once_is_one_registration(
    course_page, session_factory, user_factory
):
    session = session_factory(capacity=5)
    person = user_factory(username="dobbelt")
    results, errors = race(lambda i: services.register(session_id=session.pk, user=person), 4)
    assert len(results) == 1
    assert len(errors) == 3
    assert all("allerede tilmeldt" in str(e.message) for e in errors)
    assert Registration.objects.filter(session=session).count() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cancellations_racing_registrations_never_oversell(
    course_page, session_factory, user_factory
):
    from kurser.tokens import make_token

    session = session_factory(capacity=10)
    holders = [user_factory(username=f"holder{i}") for i in range(10)]
    tokens = [
        make_token(services.register(session_id=session.pk, user=u), "cancel") for u in holders
    ]
    newcomers = [user_factory(username=f"new{i}") for i in range(20)]

    def work(i):
        if i < 10:
            return services.cancel(token=tokens[i]).status
        return services.register(session_id=session.pk, user=newcomers[i - 10]).status

    _results, errors = race(work, 20)
    assert not errors, errors
    holding = Registration.objects.filter(
        session=session, status__in=[Status.CONFIRMED, Status.OFFERED]
    ).count()
    assert holding <= 10
    assert holding == 10  # every freed seat went to someone in line
