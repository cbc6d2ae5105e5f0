"""``manage.py backup [--output DIR]``: the database and the media in one folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frivillig_blocks.backup import BackupError, backup, default_target


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's online backup) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Folder to create (default: backups/<timestamp>).")

    def handle(self, *args, output=None, **options):
        target = Path(output) if output else default_target()
        try:
            manifest = backup(target)
        except (BackupError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backup in {target}: {len(manifest['rows'])} tables, {rows} rows.")
        )
