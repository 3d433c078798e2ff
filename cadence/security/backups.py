"""Backups of the whole database: SQLite through its online backup API (a consistent copy
while the server runs), PostgreSQL through pg_dump's custom format and pg_restore.

`manage.py backup PATH` / `manage.py restore PATH`; `table_checksums()` fingerprints every
table (row count and a checksum of its rows) so that a round trip can be compared.

A backup is written to a temporary file beside PATH created with mode 0600 (and a 0077
umask) before the first byte, and renamed into place only when complete: nobody else can
read it while it is written, and a failed backup leaves nothing behind. Restore refuses a
file that is not a Cadence backup (no Cadence tables) or whose schema this code does not
know (a migration recorded in it that this code lacks: a backup of a newer release).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.db import connections
from django.db.migrations.loader import MigrationLoader

#: Tables every Cadence backup holds (a file without them is not a Cadence backup).
CADENCE_TABLES = ("django_migrations", "patients_patient", "audit_auditevent")


class BackupError(Exception):
    pass


def _pg_env_and_args(settings_dict) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def _pg_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed).")


@contextmanager
def _private_umask():
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def backup(path: str | Path, *, database: str = "default") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with _private_umask():
        # Mode 0600 from the first byte: the file exists, empty and private, before the
        # database (or pg_dump) writes into it.
        os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            _write_backup(draft, database)
            os.chmod(draft, 0o600)
            os.replace(draft, path)
        except BaseException:
            draft.unlink(missing_ok=True)
            raise
    return path


def _write_backup(path: Path, database: str) -> None:
    connection = connections[database]
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(str(path))
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings_dict)
        result = subprocess.run(
            [
                _pg_binary("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(path),
                *args,
                str(settings_dict["NAME"]),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Backups are not supported on {connection.vendor}.")


def _known_migrations(database: str) -> set[tuple[str, str]]:
    return set(MigrationLoader(connections[database], ignore_no_migrations=True).disk_migrations)


def _check_applied(applied: set[tuple[str, str]], database: str) -> None:
    unknown = sorted(applied - _known_migrations(database))
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            "The backup's schema is newer than this release (migrations it has that this "
            f"code does not: {names}). Restore it with the release that wrote it."
        )


def check_sqlite_backup(source: sqlite3.Connection, database: str = "default") -> None:
    """Refuse a file that is not a Cadence backup of a schema this code knows."""
    try:
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        raise BackupError("The file is not a Cadence backup (not a database).") from None
    missing = [t for t in CADENCE_TABLES if t not in tables]
    if missing:
        raise BackupError(f"The file is not a Cadence backup (no {', '.join(missing)} table).")
    if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BackupError("The backup file fails SQLite's integrity check.")
    applied = set(source.execute("SELECT app, name FROM django_migrations"))
    _check_applied(applied, database)


def check_pg_backup(path: Path, env: dict, database: str = "default") -> None:
    """Refuse a file pg_restore cannot list, or one without Cadence's tables."""
    result = subprocess.run(
        [_pg_binary("pg_restore"), "--list", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError("The file is not a Cadence backup (not a pg_dump archive).")
    missing = [t for t in CADENCE_TABLES if f" TABLE public {t} " not in result.stdout]
    if missing:
        raise BackupError(f"The file is not a Cadence backup (no {', '.join(missing)} table).")
    migrations = subprocess.run(
        [
            _pg_binary("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(path),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrations.returncode != 0:
        raise BackupError("The backup's migration history could not be read.")
    _check_applied(_applied_in_pg_dump(migrations.stdout), database)


def _applied_in_pg_dump(sql: str) -> set[tuple[str, str]]:
    """The (app, name) rows of django_migrations in pg_restore's plain COPY output."""
    applied: set[tuple[str, str]] = set()
    columns: list[str] | None = None
    for line in sql.splitlines():
        if columns is None:
            if line.startswith("COPY public.django_migrations ("):
                columns = [c.strip() for c in line.split("(", 1)[1].split(")", 1)[0].split(",")]
            continue
        if line == "\\.":
            break
        row = dict(zip(columns, line.split("\t"), strict=False))
        applied.add((row["app"], row["name"]))
    return applied


def restore(path: str | Path, *, database: str = "default") -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[database]
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check_sqlite_backup(source, database)
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings_dict)
        check_pg_backup(path, env, database)
        connection.close()
        result = subprocess.run(
            [
                _pg_binary("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(settings_dict["NAME"]),
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Restore is not supported on {connection.vendor}.")


def table_checksums(*, database: str = "default") -> dict[str, tuple[int, str]]:
    """Every table: (row count, SHA-256 over its rows in primary-key/column order)."""
    connection = connections[database]
    result: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            quoted = connection.ops.quote_name(table)
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            order = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 - names from introspection
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                count += 1
                digest.update(repr(tuple(row)).encode())
            result[table] = (count, digest.hexdigest())
    return result
