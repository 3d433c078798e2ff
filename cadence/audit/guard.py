"""The database-level guard of the audit trail (see migration 0003).

`delete_guard_lifted(connection)` lifts the DELETE guard for a deliberate wipe of the
whole database (the `flush` command); nothing else should use it.
"""

from __future__ import annotations

from contextlib import contextmanager

SQLITE_GUARD_TABLE = "audit_guard"


def _sqlite_guard_exists(cursor) -> bool:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name=%s", [SQLITE_GUARD_TABLE]
    )
    return cursor.fetchone() is not None


@contextmanager
def delete_guard_lifted(connection):
    if connection.vendor != "sqlite":
        # PostgreSQL: flush uses TRUNCATE, which row triggers do not see.
        yield
        return
    with connection.cursor() as cursor:
        present = _sqlite_guard_exists(cursor)
        if present:
            cursor.execute(f"UPDATE {SQLITE_GUARD_TABLE} SET enabled = 0 WHERE id = 1")
    try:
        yield
    finally:
        if present:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {SQLITE_GUARD_TABLE} SET enabled = 1 WHERE id = 1")


def triggers_present(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_auditevent'"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            return False
        return cursor.fetchone()[0] > 0
