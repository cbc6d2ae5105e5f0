"""``manage.py restore DIR --yes``: replace the database and the media with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frivillig_blocks.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and the media files with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data will be replaced."
        )

    def handle(self, *args, source, yes=False, **options):
        if not yes:
            raise CommandError("Restoring replaces every row and every media file: add --yes.")
        try:
            manifest = restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {source} (made {manifest['created']}): every table has its rows back."
            )
        )
