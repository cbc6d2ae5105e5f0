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
"""

from __future__ import annotations

from run import benchmark

SCALE = 45  # ~100,000 rows of history across the seven sources


@benchmark(
    "figures_year_100k",
    target=2.0,
    description="the follow-up report for a year on ~100,000 rows vs one aggregate query per figure",
)
class FiguresBenchmark:
    def setup(self, tree):
        from django.db import connection
        from django.db.models import Count
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from dragoer.demo import history
        from frivillig_blocks import figures

        today = timezone.localdate()
        self.period = figures.Period.last_twelve_months(today)
        rows = sum(history.create(today=today, months=24, scale=SCALE).values())
        report = figures.compute(self.period)
        self.plan = []
        for section in report.sections:
            for _comparison in section.comparisons:
                self.plan.append(history.baseline(section.key))
        self.count = Count
        with CaptureQueriesContext(connection) as measured:
            self.measured()
        with CaptureQueriesContext(connection) as baseline:
            self.baseline()
        print(
            f"    {rows:,} rows of history; {len(self.plan)} figures; queries: report {len(measured)}, "
            f"baseline {len(baseline)}"
        )

    def baseline(self):
        previous = self.period.year_before()
        for model, field in self.plan:
            for period in (self.period, previous):
                q = period.q_date(field) if _is_date(model, field) else period.q(field)
                model.objects.filter(q).aggregate(n=self.count("pk"))

    def measured(self):
        from frivillig_blocks import figures

        return figures.compute(self.period)


def _is_date(model, field):
    from django.db import models

    return type(model._meta.get_field(field)) is models.DateField
