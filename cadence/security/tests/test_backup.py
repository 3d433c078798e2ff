"""`manage.py backup` and `restore` round-trip: every table's row count and row checksum
is the same after restoring, on SQLite and (when available) PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from cadence.security.tests.helpers import clean_env, manage

CHECKSUMS = (
    "import json; from cadence.security.backups import table_checksums; "
    "print(json.dumps(table_checksums()))"
)


def checksums(env) -> dict:
    result = manage("shell", "-c", CHECKSUMS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_ok(*args, env):
    result = manage(*args, env=env, timeout=120)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def round_trip(env, backup_path):
    run_ok("migrate", "--noinput", env=env)
    run_ok("seed_demo", "--patients", "6", "--seed", "5", env=env)
    before = checksums(env)
    # Six story patients plus the demo's worked examples: two course reviews
    # (cadence.demo.course_reviews) and one surgery pathway (cadence.demo.surgery).
    assert before["patients_patient"][0] == 9
    assert before["audit_auditevent"][0] >= 0
    run_ok("backup", str(backup_path), env=env)
    assert backup_path.stat().st_size > 0
    assert oct(backup_path.stat().st_mode & 0o777) == "0o600"
    # Life goes on after the backup...
    run_ok(
        "createuser", "after_backup", "--role", "nurse", "--password", "long-enough-pw-7", env=env
    )
    assert checksums(env) != before
    # ...and the restore brings back exactly what was backed up.
    run_ok("restore", str(backup_path), "--yes", env=env)
    after = checksums(env)
    assert after.keys() == before.keys()
    differing = [table for table in before if before[table] != after[table]]
    assert differing == []
    run_ok("verify_audit", env=env)


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    env = clean_env(
        CADENCE_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'cadence.sqlite3'}"
    )
    round_trip(env, tmp_path / "backups" / "cadence.sqlite3.bak")


def test_restore_refuses_a_missing_file(tmp_path):
    env = clean_env(
        CADENCE_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    result = manage("restore", str(tmp_path / "nope.bak"), "--yes", env=env)
    assert result.returncode != 0
    assert "No backup file" in result.stderr


def _postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return os.environ.get("CADENCE_BACKUP_TEST_PG")  # e.g. the development server


@pytest.mark.postgres
def test_postgresql_backup_and_restore_round_trip(tmp_path):
    base_url = _postgres_server_url()
    if not base_url:
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://... (CI) or CADENCE_BACKUP_TEST_PG")
    import dj_database_url
    import psycopg

    settings_dict = dj_database_url.parse(base_url)
    scratch = f"cadence_backup_{uuid.uuid4().hex[:8]}"
    admin_dsn = base_url.rsplit("/", 1)[0] + "/" + settings_dict["NAME"]
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        env = clean_env(
            CADENCE_VAR_DIR=str(tmp_path), DATABASE_URL=base_url.rsplit("/", 1)[0] + "/" + scratch
        )
        round_trip(env, tmp_path / "cadence.pgdump")
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
