"""No benchmark compares unequal work (issue #22): every benchmark marked ``equal_rows``
is set up on small data (``--scale 0.02``) and its two sides must produce the same rows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "bench" / "run.py"


def check_rows(*names: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("BENCH_DATABASE_URL", "BENCH_SCALE")}
    return subprocess.run(
        [sys.executable, str(RUN), "--check-rows", "--equal-rows", "--scale", "0.02", *names],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


def test_every_equal_rows_benchmark_does_equal_work():
    result = check_rows()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "UNEQUAL WORK (" not in output
    lines = re.findall(r"^(\w+) +rows (\d+) \| (\d+)$", result.stdout, re.MULTILINE)
    names = {name for name, _baseline, _measured in lines}
    # The calendar's equal-work benchmarks and the ones of the other apps are all there,
    # and each side produced something.
    assert {"kalender_month_occurrences", "kalender_month", "kalender_week"} <= names, output
    assert {"kalender_list", "booking_month_1000", "home_page", "hub_page"} <= names, output
    for name, baseline, measured in lines:
        assert int(baseline) == int(measured) > 0, name


def test_unequal_work_is_reported_and_fails(monkeypatch):
    """The runner's verdict on a benchmark whose sides differ: UNEQUAL WORK, exit 1."""
    sys.path.insert(0, str(RUN.parent))
    try:
        import run
    finally:
        sys.path.remove(str(RUN.parent))

    class Lopsided:
        def baseline(self):
            return [1, 2, 3]

        def measured(self):
            return [1, 2]

        def rows(self):
            return len(self.baseline()), len(self.measured())

    equal = run.Benchmark("lopsided", 1.0, "", Lopsided, equal_rows=True)
    work = run.work_of(equal, Lopsided())
    assert (work.baseline, work.measured, work.unequal) == (3, 2, True)
    assert str(work) == "rows 3 | 2  UNEQUAL WORK"
    informative = run.Benchmark("lopsided", 1.0, "", Lopsided, equal_rows=False)
    assert str(run.work_of(informative, Lopsided())) == "rows 3 | 2"
