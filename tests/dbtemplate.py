"""Migrations once per test run: the first test process that needs the database builds a
migrated template under a file lock, and every process (each pytest-xdist worker, or the
one process without xdist) gets its own copy of it, named by worker as pytest-django names
it (``test_frivillig_gw0``; on SQLite a file per worker).

- PostgreSQL: the template is a database, copied with ``CREATE DATABASE … TEMPLATE``.
- SQLite: the template is a file in rollback-journal mode (self-contained), copied whole.

The template's name carries a hash of everything that decides what the migrations make:
the settings module, the installed apps, the migration files of each of them, Django's
version and whether migrations run at all. A changed migration, another app set
(``make matrix``) or other settings get a template of their own; the stale template of the
same settings and app set is dropped when the new one is built.

Without ``--reuse-db`` the template is built once per run (the run's id from xdist) and
each worker's copy is dropped at the end, as pytest-django does. With ``--reuse-db`` a
template of the same hash is used again, so no migration runs at all, and the workers'
copies are kept after the run; each run still copies them afresh from the template, so a
kept copy that tests left behind (a flushed live-server test) never leaks into the next
run. ``--create-db`` builds the template again (once for the run).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

try:  # a real cross-platform lock where the package is there
    from filelock import FileLock
except ImportError:  # pragma: no cover - depends on the environment
    FileLock = None


@contextlib.contextmanager
def file_lock(path: Path):
    """One process at a time across the test workers (separate processes)."""
    if FileLock is not None:
        with FileLock(str(path)):
            yield
        return
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def scope_key() -> str:
    """The settings and the app set: templates of one scope replace each other."""
    from django.apps import apps

    names = [app_config.name for app_config in apps.get_app_configs()]
    return _digest(os.environ.get("DJANGO_SETTINGS_MODULE", ""), *names)


def template_key(*, use_migrations: bool) -> str:
    """Everything the migrations' result depends on: the scope, Django's version and the
    content of every installed app's migration files."""
    import django
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    parts = [scope_key(), django.get_version(), f"migrations={use_migrations}"]
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        if not use_migrations or module_name is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for folder in getattr(module, "__path__", []):
            for path in sorted(Path(folder).rglob("*.py")):
                parts += [f"{app_config.label}/{path.relative_to(folder)}", path.read_bytes()]
    return _digest(*parts)


class _Backend:
    """The few database-level operations the templates need, for one connection."""

    def __init__(self, connection):
        self.connection = connection

    def name(self, base: str, suffix: str) -> str:
        """A database name made from the test database's: the base with a suffix."""
        raise NotImplementedError

    def building(self, template: str) -> str:
        """The name the template is built under (renamed once it is complete)."""
        return self.name(template, "build")

    def exists(self, name: str) -> bool:
        raise NotImplementedError

    def names(self, prefix: str) -> list[str]:
        raise NotImplementedError

    def drop(self, name: str) -> None:
        raise NotImplementedError

    def finish(self, built: str, name: str) -> None:
        """Give the built template its final name (the name exists only when complete)."""
        raise NotImplementedError

    def copy(self, template: str, name: str) -> None:
        raise NotImplementedError

    def lock_path(self, prefix: str) -> Path:
        where = f"{self.connection.vendor}:{self.connection.settings_dict.get('HOST')}:"
        where += f"{self.connection.settings_dict.get('PORT')}:{prefix}"
        return Path(tempfile.gettempdir()) / f"frivillig-testdb-{_digest(where)[:16]}.lock"


class _PostgreSQL(_Backend):
    def name(self, base: str, suffix: str) -> str:
        # PostgreSQL's names are at most 63 bytes: "<35>_tpl_<6>_<10>_build" fits.
        return f"{base[:35]}_{suffix}"

    def building(self, template: str) -> str:
        return f"{template}_build"

    def _execute(self, sql: str, params=None, *, close: bool = True):
        if close:  # no connection of ours may stay on a database being copied or dropped
            self.connection.close()
            self.connection.close_pool()
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def exists(self, name: str) -> bool:
        sql = "SELECT 1 FROM pg_database WHERE datname = %s"
        return bool(self._execute(sql, [name], close=False))

    def names(self, prefix: str) -> list[str]:
        rows = self._execute("SELECT datname FROM pg_database", close=False)
        return [name for (name,) in rows if name.startswith(prefix)]

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self._quote(name)}")

    def finish(self, built: str, name: str) -> None:
        self.drop(name)
        self._execute(f"ALTER DATABASE {self._quote(built)} RENAME TO {self._quote(name)}")

    def copy(self, template: str, name: str) -> None:
        self.drop(name)
        self._execute(f"CREATE DATABASE {self._quote(name)} TEMPLATE {self._quote(template)}")


class _SQLite(_Backend):
    def name(self, base: str, suffix: str) -> str:
        root, ext = os.path.splitext(base)
        return f"{root}_{suffix}{ext}"

    def exists(self, name: str) -> bool:
        return Path(name).is_file()

    def names(self, prefix: str) -> list[str]:
        root, ext = os.path.splitext(prefix)
        return [str(path) for path in Path(root).parent.glob(f"{Path(root).name}*{ext}")]

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)

    def finish(self, built: str, name: str) -> None:
        # One self-contained file: the write-ahead log folded in and switched off in the
        # template (each copy's connections turn WAL on again, see settings/base.py).
        self.connection.close()
        with contextlib.closing(sqlite3.connect(built)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        self.drop(name)
        os.replace(built, name)

    def copy(self, template: str, name: str) -> None:
        self.connection.close()
        self.drop(name)
        shutil.copyfile(template, name)


def _backend(connection) -> _Backend | None:
    if connection.vendor == "postgresql":
        return _PostgreSQL(connection)
    if connection.vendor == "sqlite":
        name = connection.creation._get_test_db_name()
        if not connection.creation.is_in_memory_db(name):
            return _SQLite(connection)
    return None


def _build(connection, name: str, *, verbosity: int) -> None:
    """Migrate a new database of this name (Django's own test database creation)."""
    test = connection.settings_dict["TEST"]
    worker_name = test["NAME"]
    test["NAME"] = name
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
    finally:
        test["NAME"] = worker_name
    connection.close()


def _drop_quietly(backend: _Backend, name: str) -> None:
    """A stale template goes; one still in use elsewhere stays until the next build."""
    from django.db import DatabaseError

    try:
        backend.drop(name)
    except (DatabaseError, OSError) as error:
        backend.connection.creation.log(f"Kept the stale test template {name}: {error}")


def _use(connection, name: str) -> None:
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.settings_dict["TEST"]["NAME"] = name
    connection.ensure_connection()


def template_name(
    backend: _Backend, worker_name: str, *, worker_id: str | None, use_migrations: bool
) -> tuple[str, str]:
    """The template's name and the prefix every template of its scope (settings and app
    set) shares: "<test database>_tpl_<scope>_<key>", the worker's suffix taken off."""
    base = worker_name
    if worker_id and base.endswith(f"_{worker_id}"):
        base = base[: -len(worker_id) - 1]
    scope = f"tpl_{scope_key()[:6]}"
    key = template_key(use_migrations=use_migrations)[:10]
    return backend.name(base, f"{scope}_{key}"), backend.name(base, f"{scope}_")


def run_marker(backend: _Backend, prefix: str) -> Path:
    """A file that names the scope's template and the run that built it."""
    return backend.lock_path(prefix).with_suffix(".run")


def create_from_template(
    connection,
    *,
    run_id: str,
    worker_id: str | None,
    reuse: bool,
    use_migrations: bool,
    verbosity: int,
) -> bool:
    """Give this process its test database, copied from the run's template (built here
    when this process is the first to need it). False: not a database we can template
    (the caller falls back to Django's creation)."""
    backend = _backend(connection)
    if backend is None:
        return False
    worker_name = connection.creation._get_test_db_name()
    template, prefix = template_name(
        backend, worker_name, worker_id=worker_id, use_migrations=use_migrations
    )
    lock = backend.lock_path(prefix)
    marker = run_marker(backend, prefix)

    with file_lock(lock):
        built_this_run = marker.is_file() and marker.read_text() == f"{template}\n{run_id}"
        if not (backend.exists(template) and (built_this_run or reuse)):
            if verbosity >= 1:
                connection.creation.log(f"Migrating the test template {template} …")
            building = backend.building(template)
            _build(connection, building, verbosity=verbosity)
            backend.finish(building, template)
            marker.write_text(f"{template}\n{run_id}")
            for stale in backend.names(prefix):
                if stale != template:
                    _drop_quietly(backend, stale)
        if verbosity >= 1:
            connection.creation.log(f"Copying the test template to {worker_name} …")
        backend.copy(template, worker_name)
    _use(connection, worker_name)
    return True


def setup_databases(
    *,
    aliases,
    serialized_aliases,
    run_id: str,
    worker_id: str | None,
    reuse: bool,
    use_migrations: bool,
    verbosity: int,
):
    """Django's ``setup_databases`` with the template: returns the same configuration,
    for Django's ``teardown_databases``."""
    from django.db import connections
    from django.test.utils import get_unique_databases_and_mirrors

    test_databases, mirrored_aliases = get_unique_databases_and_mirrors(aliases)
    old_config, serialize = [], []
    for old_name, db_aliases in test_databases.values():
        first = None
        for alias in db_aliases:
            connection = connections[alias]
            old_config.append((connection, old_name, first is None))
            if first is not None:
                connection.creation.set_as_test_mirror(connections[first].settings_dict)
                continue
            first = alias
            templated = create_from_template(
                connection,
                run_id=run_id,
                worker_id=worker_id,
                reuse=reuse,
                use_migrations=use_migrations,
                verbosity=verbosity,
            )
            if not templated:
                connection.creation.create_test_db(
                    verbosity=verbosity, autoclobber=True, serialize=False, keepdb=reuse
                )
            if serialized_aliases is None or alias in serialized_aliases:
                serialize.append(connection)
    for alias, mirror_alias in mirrored_aliases.items():
        connections[alias].creation.set_as_test_mirror(connections[mirror_alias].settings_dict)
    for connection in serialize:
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return old_config
