"""No double booking when requests race: real concurrent connections on PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from booking import exceptions, services
from booking.models import Loan, LoanStatus

from .conftest import CPH, make_request, make_world, next_weekday

ON_POSTGRES = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(count, make):
    """``count`` threads, each on its own database connection, call ``make(i)`` at once."""
    barrier = threading.Barrier(count)
    held, refused, errors = [], [], []

    def work(i):
        try:
            barrier.wait(timeout=30)
            held.append(make(i).pk)
        except exceptions.SlotTaken as exc:
            refused.append(exc)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return held, refused


def test_twenty_requests_for_the_same_room_slot_one_holds(anymail_backend):
    world = make_world()
    day = next_weekday(1)
    slot = (
        dt.datetime.combine(day, dt.time(17), tzinfo=CPH),
        dt.datetime.combine(day, dt.time(19), tzinfo=CPH),
    )
    held, refused = race(
        20,
        lambda i: services.request_loan(user=world.member, req=make_request(world, slots=[slot])),
    )
    assert len(held) == 1
    assert len(refused) == 19
    assert all("Salen er optaget" in exc.problems[0] for exc in refused)
    assert Loan.objects.filter(status=LoanStatus.PENDING).count() == 1


def test_five_requests_for_three_of_eight_tables_at_most_two_hold(anymail_backend):
    world = make_world()
    day = next_weekday(2)
    slot = (
        dt.datetime.combine(day, dt.time(10), tzinfo=CPH),
        dt.datetime.combine(day, dt.time(12), tzinfo=CPH),
    )
    held, refused = race(
        5,
        lambda i: services.request_loan(
            user=world.member, req=make_request(world, items=[(world.tables, 3)], slots=[slot])
        ),
    )
    assert len(held) == 2
    assert len(refused) == 3
    assert sum(item.quantity for loan in Loan.objects.all() for item in loan.items.all()) == 6
