"""Backup and restore of the database and the media files, for ``manage.py backup`` and
``manage.py restore`` (``make backup`` / ``make restore``).

A backup is a folder: ``database.dump`` (PostgreSQL's custom format from ``pg_dump``) or
``database.sqlite3`` (SQLite's online backup), ``media.tar.gz`` (when media live on disk;
S3 media are versioned by the bucket), ``private.tar.gz`` (the private files, e.g. inbox
attachments, when they live on disk) and ``manifest.json`` with the row count of every
table, which ``restore`` checks after restoring."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

from .exceptions import BackupError

FORMAT_VERSION = 1


def row_counts() -> dict[str, int]:
    """Rows per table of the current database (only tables Django knows)."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            # Table names come from Django's introspection, quoted by the backend.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    cfg = connection.settings_dict
    args = ["--host", cfg.get("HOST") or "localhost", "--port", str(cfg.get("PORT") or 5432)]
    if cfg.get("USER"):
        args += ["--username", cfg["USER"]]
    env = {**os.environ}
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        # pg_dump/pg_restore with arguments from the settings, no shell.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client tools are needed)."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _disk_root(storage) -> Path | None:
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def _media_root() -> Path | None:
    return _disk_root(storages["default"])


def _private_root() -> Path | None:
    from .media import private_storage

    return _disk_root(private_storage())


def _archives() -> list[tuple[str, Path | None]]:
    """(name, folder on disk) of each storage a backup keeps: public media and private files."""
    return [("media", _media_root()), ("private", _private_root())]


def _pack(root: Path, archive_path: Path, name: str) -> None:
    with tarfile.open(archive_path, "w:gz") as archive:
        archive.add(root, arcname=name)


def _unpack(archive_path: Path, root: Path, name: str) -> None:
    """Replace what ``root`` holds with the archive's folder. The folder itself stays (it may
    be a mounted volume); the archive is unpacked beside it and its entries moved in."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    with tempfile.TemporaryDirectory(dir=root.parent) as scratch:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(scratch, filter="data")
        for entry in Path(scratch, name).iterdir():
            entry.rename(root / entry.name)


def backup(target: Path) -> dict:
    target.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_env()
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target / "database.dump"),
                connection.settings_dict["NAME"],
            ],
            env,
        )
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / "database.sqlite3") as destination:
            connection.connection.backup(destination)
    else:
        raise BackupError(f"Backups of {vendor} are not supported.")

    packed = {}
    for name, root in _archives():
        packed[name] = root is not None and root.exists()
        if packed[name]:
            _pack(root, target / f"{name}.tar.gz", name)
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": vendor,
        **packed,
        "rows": row_counts(),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(source: Path) -> dict:
    manifest_file = source / "manifest.json"
    if not manifest_file.exists():
        raise BackupError(f"{source} is not a backup: manifest.json is missing.")
    manifest = json.loads(manifest_file.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(f"The backup is of {manifest['database']}, this site runs {vendor}.")

    if vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connection.close()
        # An empty schema first, so a wiped or half-migrated database restores the same way.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
        _run(
            [
                "pg_restore",
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                name,
                str(source / "database.dump"),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / "database.sqlite3") as backup_db:
            backup_db.backup(connection.connection)
        connection.close()

    for name, root in _archives():
        archive_path = source / f"{name}.tar.gz"
        if root is not None and archive_path.exists():
            _unpack(archive_path, root, name)

    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    cache.clear()  # cached pages and layouts describe the database before the restore
    found = row_counts()
    missing = {t: n for t, n in manifest["rows"].items() if found.get(t) != n}
    if missing:
        raise BackupError(f"Restored, but row counts differ: {sorted(missing)[:10]}")
    return manifest


def default_target() -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    root = Path(os.environ.get("BACKUP_DIR", Path(getattr(settings, "BASE_DIR", ".")) / "backups"))
    return root / stamp
