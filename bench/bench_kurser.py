"""Benchmark of course registration under contention, on PostgreSQL.

``kurser_contention``: 50 people register at the same moment, each on a database connection
of its own (a pool of 50 threads),

* baseline: on 50 different sessions - nobody waits for anybody's lock (uncontended);
* measured: on one session of 20 seats - every registration locks the same session row
  (``select_for_update``) and counts the seats, so they queue one behind the other; 20 get
  a seat and 30 join the waiting list (checked on every run).

Both sides register 50 people and queue one mail each (confirmation with its .ics, or the
waiting-list mail). The ratio is measured time / baseline time; the issue's target, "at
least 0.5 of the uncontended throughput", is a ratio of at most 2.0.

The locks only mean something on PostgreSQL, and ``bench/run.py`` runs on a fresh SQLite
file, so this benchmark runs its registrations in a worker process of its own on
PostgreSQL: set ``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/frivillig_kurser``
(the worker uses the test database ``test_<name>`` made from it, kept between runs). Without
that variable the benchmark is skipped with a message. The preparation of each run (fresh
sessions) happens in the worker between the timed calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
PEOPLE = 50
SEATS = 20


def _postgres_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


# --- The worker (its own process, Django on PostgreSQL) ------------------------------------


def worker() -> None:
    import datetime
    from concurrent.futures import ThreadPoolExecutor

    for path in (REPO_DIR, REPO_DIR / "site"):
        sys.path.insert(0, str(path))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dragoer.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)

    from django.utils import timezone

    from kurser import services
    from kurser.models import (
        CompetenceArea,
        Course,
        CourseIndexPage,
        Meeting,
        Registration,
        Session,
    )
    from tests.conftest import build_site_tree
    from tests.factories import UserFactory

    tree = build_site_tree()
    if not CourseIndexPage.objects.exists():
        page = CourseIndexPage(title="Kurser", slug="kurser")
        tree.hub.add_child(instance=page)
        page.save_revision().publish()
    Registration.objects.all().delete()
    Session.objects.all().delete()
    course, _ = Course.objects.get_or_create(
        slug="bench-kursus",
        defaults={
            "title": "Bench-kursus",
            "summary": "Til benchmark.",
            "competence_area": CompetenceArea.objects.first(),
            "published": True,
        },
    )
    users = [UserFactory(username=f"bench-kurser-{i}") for i in range(PEOPLE)]
    start = timezone.now() + datetime.timedelta(days=30)

    def new_sessions(count: int) -> list[int]:
        ids = []
        for _ in range(count):
            session = Session.objects.create(
                course=course,
                capacity=SEATS,
                registration_deadline=start - datetime.timedelta(days=1),
            )
            Meeting.objects.create(
                session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
            )
            ids.append(session.pk)
        return ids

    def register(pair):
        # Each pool thread keeps its own database connection open between runs.
        session_id, user = pair
        return services.register(session_id=session_id, user=user).status

    pool = ThreadPoolExecutor(max_workers=PEOPLE)
    next_runs = {"contended": new_sessions(1) * PEOPLE, "spread": new_sessions(PEOPLE)}
    print("READY", flush=True)
    for line in sys.stdin:
        kind = line.strip()
        if kind == "quit":
            break
        session_ids = next_runs[kind]
        statuses = list(pool.map(register, zip(session_ids, users, strict=True)))
        confirmed = statuses.count(Registration.Status.CONFIRMED)
        expected = SEATS if kind == "contended" else PEOPLE
        ok = confirmed == expected and len(statuses) == PEOPLE
        result = {"ok": ok, "confirmed": confirmed, "registered": len(statuses)}
        print("RESULT " + json.dumps(result), flush=True)
        # The next run's sessions are made now, outside the timed call.
        next_runs[kind] = new_sessions(1) * PEOPLE if kind == "contended" else new_sessions(PEOPLE)
    pool.shutdown()


# --- The benchmark in bench/run.py ----------------------------------------------------------


class _Worker:
    def __init__(self, url: str):
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO_DIR)}
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO_DIR,
        )
        self._read("READY")

    def _read(self, prefix: str) -> str:
        for line in self.process.stdout:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        raise RuntimeError(f"the kurser bench worker stopped (exit {self.process.wait()})")

    def run(self, kind: str) -> int:
        """One run of ``kind``; the number of registrations made."""
        self.process.stdin.write(kind + "\n")
        self.process.stdin.flush()
        result = json.loads(self._read("RESULT "))
        if not result["ok"]:
            raise AssertionError(f"{kind}: {result['confirmed']} confirmed - oversold or lost")
        return result["registered"]

    def close(self) -> None:
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        self.process.wait(timeout=60)


if __name__ == "__main__" and "--worker" in sys.argv:
    worker()
elif __name__ != "__main__":
    from run import benchmark

    if _postgres_url():

        @benchmark(
            "kurser_contention",
            target=2.0,
            description=f"{PEOPLE} concurrent registrations on one session vs spread over "
            f"{PEOPLE} sessions (PostgreSQL)",
            equal_rows=True,
        )
        class CourseContentionBenchmark:
            def setup(self, tree):
                self.worker = _Worker(_postgres_url())

            def teardown(self):
                self.worker.close()

            def rows(self):
                """The registrations each side makes: 50 people on both."""
                return self.worker.run("spread"), self.worker.run("contended")

            def baseline(self):
                self.worker.run("spread")

            def measured(self):
                self.worker.run("contended")

    else:
        print(
            "kurser_contention skipped: the registration locks need PostgreSQL; set "
            "BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/frivillig_kurser",
            flush=True,
        )
