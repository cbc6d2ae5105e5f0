"""`make loadtest`: the production processes on this machine under load.

Starts `deploy/prod.sh` (gunicorn, the task worker and the scheduler, production settings)
on its own PostgreSQL database and Redis database with the demo content, waits for
/healthz, then drives each page with wrk on the loopback: 50 connections for 30 seconds per
page by default. It prints requests per second, p50, p99 and errors for each page, and the
page's throughput as a ratio of /healthz served by the same processes (the floor of the
stack: one database round trip, no template).

    .venv/bin/python deploy/loadtest.py [--connections 50] [--duration 30] [--threads 2]

The pages: the hub, the directory, the calendar month, a course page and the calendar
feed, when their apps are installed (a page that does not answer 200 is reported and
skipped). Everything is measured anonymously, as a newsletter's readers arrive.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def discover(base: str) -> list[tuple[str, str]]:
    """The pages to load, found on the running demo site (links from the section pages)."""
    pages = [("hub", "/frivillig/"), ("directory", "/frivillig/foreninger/")]
    status, html = fetch(base + "/frivillig/kalender/")
    if status == 200:
        month = re.search(r'href="(/frivillig/kalender/[^"]*(?:maaned|month)[^"]*)"', html)
        pages.append(("calendar month", month.group(1) if month else "/frivillig/kalender/"))
        feed = re.search(r'<link[^>]+type="text/calendar"[^>]+href="([^"]+)"', html) or re.search(
            r'<link[^>]+href="([^"]+)"[^>]+type="text/calendar"', html
        )
        if feed:
            pages.append(("calendar feed", feed.group(1).replace("&amp;", "&")))
    status, html = fetch(base + "/frivillig/kurser/")
    if status == 200:
        course = re.search(
            r'href="(/frivillig/kurser/(?!behov/|afmeld/|accepter/|evaluering/|kursusbevis/)'
            r'[a-z0-9-]+/)"',
            html,
        )
        if course:
            pages.append(("course page", course.group(1)))
    return pages


def wrk(url: str, connections: int, duration: int, threads: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percentile: str) -> float:
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8790)))
    args = parser.parse_args()

    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "PORT": str(args.port),
        "DATABASE_URL": os.environ.get(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/frivillig_loadtest"
        ),
        "REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/2"),
        "GUNICORN_ACCESS_LOG": "0",
        "LOG_LEVEL": "WARNING",
        "SEED_DEMO": "1",
    }
    # A database of its own, made fresh, so every run measures the same demo site.
    subprocess.run(
        [
            sys.executable,
            str(REPO / "deploy" / "ensure_database.py"),
            "--fresh",
            env["DATABASE_URL"],
        ],
        check=True,
    )
    server = subprocess.Popen(
        [str(REPO / "deploy" / "prod.sh")],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while fetch(base + "/healthz", timeout=2)[0] != 200:
            if server.poll() is not None:
                print(server.stderr.read().decode()[-3000:], file=sys.stderr)
                return 1
            if time.monotonic() > deadline:
                print("the production processes did not start", file=sys.stderr)
                return 1
            time.sleep(1)

        pages = discover(base)
        print(
            f"wrk: {args.connections} connections, {args.duration} s per page, "
            f"{args.threads} threads; gunicorn workers: "
            f"{os.environ.get('WEB_CONCURRENCY', os.cpu_count() * 2 + 1)}; {os.cpu_count()} CPUs"
        )
        floor = None
        rows = []
        for name, path in [("healthz", "/healthz"), *pages]:
            status, _ = fetch(base + path)
            if status != 200:
                print(f"  {name:<16} {path}: answers {status}, skipped")
                continue
            fetch(base + path)  # the first anonymous request fills the page cache
            result = wrk(base + path, args.connections, args.duration, args.threads)
            if floor is None:
                floor = result["rps"]
            rows.append((name, path, result))
        print(f"\n{'page':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}")
        worst = 0
        for name, path, r in rows:
            ratio = r["rps"] / floor if floor else float("nan")
            print(
                f"{name:<16} {r['rps']:>9.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                f"{r['errors']:>7} {ratio:>6.2f}   {path}"
            )
            worst += r["errors"]
        print("\nratio: the page's requests per second / /healthz's (target: >= 0.5, errors 0)")
        return 1 if worst else 0
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except ProcessLookupError:
            pass  # it stopped already (its error is printed above)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
