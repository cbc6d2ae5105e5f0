"""Race helpers: the same request sent at once from several threads, each with a database
connection of its own (real concurrency on PostgreSQL; use with
``pytest.mark.django_db(transaction=True)``)."""

from __future__ import annotations

import re
import threading
import uuid

from django.db import close_old_connections, connection
from django.test import Client

ON_POSTGRES = connection.vendor == "postgresql"

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def key_of(response) -> str:
    """The hidden one-time submission key of the form on a page."""
    found = KEY.search(response.content.decode())
    assert found, "the form carries no submission key"
    uuid.UUID(found.group(1))
    return found.group(1)


def parallel(count: int, work) -> list:
    """Call ``work(i)`` for i in range(count) at once; returns the results in order and
    fails the test on any exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
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
    assert not errors, errors
    return results


def same_post(url: str, data: dict, *, count: int = 8, user=None, headers=None) -> list:
    """``count`` identical POSTs at once, each from its own client (a double click, a
    retrying browser, a script). Returns the responses."""
    clients = []
    for _i in range(count):
        client = Client(headers=headers or {})
        if user is not None:
            client.force_login(user)
        clients.append(client)
    return parallel(count, lambda i: clients[i].post(url, data))


def one_result(responses) -> None:
    """Every duplicate got the same result page as the first: the same status and the same
    place to go (a redirect after a POST), never an error."""
    statuses = {r.status_code for r in responses}
    assert len(statuses) == 1, [r.status_code for r in responses]
    assert statuses.pop() < 400, [r.status_code for r in responses]
    locations = {r.headers.get("Location") for r in responses}
    assert len(locations) == 1, locations
