"""Demo content for the reference site. Idempotent: run it as often as you like.

The one door comes first (home page, hub, snippets, users), then each installed app's demo
module in ``SEED_ORDER`` (dragoer/demo/installed.py), so the command fills exactly the apps
that are installed; then the hub's task cards and the follow-up's history."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dragoer.demo import frivillig_blocks as one_door
from dragoer.demo import history
from dragoer.demo.installed import demo_modules


class Command(BaseCommand):
    help = "Fill the site with demo content (idempotent) and print a dev admin login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password", default=os.environ.get("DEMO_ADMIN_PASSWORD", "dragoer-demo")
        )

    @transaction.atomic
    def handle(self, *args, admin_password, **options):
        admin, hub, section = one_door.seed(self.stdout, admin_password=admin_password)
        # Each installed app adds its content, and its section page below the hub at its
        # slug (laan, kalender, boers, initiativpris, kurser), before the cards are made.
        for module in demo_modules():
            if module is not one_door:
                module.seed(self.stdout)
        one_door.task_cards(hub, section)
        # A year and more of history behind the follow-up's figures, from every installed
        # service, so the report and /frivillig/i-tal/ look real on the first run.
        for key, created in history.create(today=timezone.localdate(), months=24).items():
            if created:
                self.stdout.write(f"History for the follow-up: {key} ({created} rows)")
        # The search index, whole: some demo rows are made in bulk, which Wagtail's signals
        # (and so its indexing) do not see.
        call_command("update_index", verbosity=0)

        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(
            f"Admin (superuser): {base}/konto/login/?next=/admin/  e-mail: {admin.email}  "
            f"password: {admin_password}; the first visit to the admin sets up an "
            "authenticator app (TOTP), whose code every later login asks for."
        )
        self.stdout.write(
            f"Staff at {base}/admin/login/ (same password, a password always: staff get no "
            "login code): kommunikation, koordinator, institutionsleder, kursus. "
            "Citizen login by e-mail code: borger@example.org (the code is printed by the console mail)."
        )
