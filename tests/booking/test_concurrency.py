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
        except (exceptions.SlotTaken, exceptions.RulesBroken) as exc:
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


def test_twelve_requests_for_twelve_evenings_against_eight_a_month_hold_eight(anymail_backend):
    """Issue #18, item 2: the limit of loans per month was counted before the lock, so 12
    parallel requests for 12 different evenings were all accepted. Counted after the lock on
    the hall's row, in the same transaction as the write, exactly 8 hold."""
    world = make_world()
    world.hall.max_loans_per_month = 8
    world.hall.save()
    today = dt.date.today()
    month = (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1)
    evenings = [
        (
            dt.datetime.combine(month + dt.timedelta(days=i), dt.time(19), tzinfo=CPH),
            dt.datetime.combine(month + dt.timedelta(days=i), dt.time(21), tzinfo=CPH),
        )
        for i in range(12)
    ]
    held, refused = race(
        12,
        lambda i: services.request_loan(
            user=world.member, req=make_request(world, slots=[evenings[i]])
        ),
    )
    assert len(held) == 8
    assert len(refused) == 4
    assert all("højst lånes 8 gange om måneden" in exc.problems[0] for exc in refused)
    assert Loan.objects.filter(association=world.association).count() == 8


def test_eight_identical_loan_requests_store_one(anymail_backend, booking_page):
    """Issue #18, item 3: the loan form sent 8 times at once (the same page, the same hidden
    submission key) makes one loan, and every duplicate lands on the same receipt."""
    from django.test import Client

    from tests.races import key_of, one_result, same_post

    from .test_views import URL, form_data

    world = make_world()
    client = Client()
    client.force_login(world.member)
    key = key_of(client.get(f"{URL}biblioteket/anmod/"))
    responses = same_post(
        f"{URL}biblioteket/anmod/",
        form_data(world, repeat_until="", submission_key=key),
        user=world.member,
    )
    one_result(responses)
    assert Loan.objects.count() == 1
    assert responses[0]["Location"].endswith(f"kvittering/{Loan.objects.get().reference}/")
