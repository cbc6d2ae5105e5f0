"""Benchmark of the council's follow-up report: a year's figures on ~100,000 rows.

``figures_year_100k``: the reference site's demo history (``dragoer.demo.history``) makes two
years of past activity for every installed app's figures source at ``scale=45`` (~100,000
rows in all across the loans, calendar, exchange, prize, courses, inbox and feedback; the
count is printed), then compares

* baseline: one aggregate query per figure – for each figure the report shows, a single
  ``COUNT`` over its source's principal table (``dragoer.demo.history.baseline``) in the
  period, and the same for the year before (the report compares both);
* measured: ``figures.compute()`` for the last twelve months against the twelve before:
  every figure with its breakdowns and medians, exactly what the admin report, its exports
  and the public page read.

The issue's target is at most 2× the baseline. The number of queries of each side is
printed too; the tests assert that the report's count does not grow with the data.

``figures_year_1m`` is the same at ``scale=450`` (~1,000,000 rows). It runs on PostgreSQL
only (``BENCH_DATABASE_URL``): on SQLite it is skipped with a line saying so.

``rows()``: both sides produce one value per figure and period (the figure and the year
before), so the two counts must be equal (``equal_rows=True``).
"""

from __future__ import annotations

import os

from run import benchmark

try:
    from run import scaled
except ImportError:  # the runner's data-size knob, where it exists

    def scaled(n):
        return n


SCALE = 45  # ~100,000 rows of history across the seven sources
SCALE_1M = 450  # ~1,000,000 rows


@benchmark(
    "figures_year_100k",
    target=2.0,
    description="the follow-up report for a year on ~100,000 rows vs one aggregate query per figure",
    equal_rows=True,
)
class FiguresBenchmark:
    scale = SCALE

    def setup(self, tree):
        from django.db import connection
        from django.db.models import Count
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from dragoer.demo import history
        from frivillig_blocks import figures

        today = timezone.localdate()
        self.period = figures.Period.last_twelve_months(today)
        rows = sum(history.create(today=today, months=24, scale=scaled(self.scale)).values())
        report = figures.compute(self.period)
        self.plan = []
        self.values = 0  # the figures' values the report gives: each figure and its year before
        for section in report.sections:
            for comparison in section.comparisons:
                self.plan.append(history.baseline(section.key))
                self.values += 1 + (comparison.previous is not None)
        self.count = Count
        with CaptureQueriesContext(connection) as measured:
            self.measured()
        with CaptureQueriesContext(connection) as baseline:
            self.baseline()
        print(
            f"    {rows:,} rows of history; {len(self.plan)} figures; queries: report {len(measured)}, "
            f"baseline {len(baseline)}"
        )

    def rows(self) -> tuple[int, int]:
        """(values the baseline counts, figure values the report gives): one per figure and
        period on both sides."""
        return 2 * len(self.plan), self.values

    def baseline(self):
        previous = self.period.year_before()
        for model, field in self.plan:
            for period in (self.period, previous):
                q = period.q_date(field) if _is_date(model, field) else period.q(field)
                model.objects.filter(q).aggregate(n=self.count("pk"))

    def measured(self):
        from frivillig_blocks import figures

        return figures.compute(self.period)


if os.environ.get("BENCH_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):

    @benchmark(
        "figures_year_1m",
        target=2.0,
        description="the follow-up report for a year on ~1,000,000 rows vs one aggregate "
        "query per figure (PostgreSQL)",
        equal_rows=True,
    )
    class FiguresMillionBenchmark(FiguresBenchmark):
        scale = SCALE_1M

else:
    print(
        "figures_year_1m skipped: a million rows of history are measured on PostgreSQL only; "
        "set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/frivillig_bench"
    )


def _is_date(model, field):
    from django.db import models

    return type(model._meta.get_field(field)) is models.DateField
