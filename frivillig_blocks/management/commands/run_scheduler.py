"""The scheduler process: enqueues each app's periodic tasks when they fall due."""

import time

from django.core.management.base import BaseCommand

from frivillig_blocks.scheduling import registered, run_due


class Command(BaseCommand):
    help = "Enqueue periodic tasks (every app's schedule.py) when due; runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=30, help="Seconds between checks.")

    def handle(self, *args, once, interval, **options):
        for periodic in registered():
            self.stdout.write(
                f"scheduled: {periodic.task} (minute={periodic.minute}, hour={periodic.hour})"
            )
        while True:
            for run in run_due():
                self.stdout.write(f"enqueued {run.task} for {run.slot:%Y-%m-%d %H:%M}")
            if once:
                return
            time.sleep(interval)
