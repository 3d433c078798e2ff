"""Database-level protection of the audit trail: triggers refuse UPDATE and DELETE on
audit entries (and DELETE of the chain head), on SQLite and PostgreSQL.

A deliberate wipe (`manage.py flush`, used between transactional tests) lifts the delete
guard for its duration: on SQLite through the one-row table `audit_guard`, on PostgreSQL
TRUNCATE does not fire row triggers. The hash chain still detects any tamper done with
the triggers dropped (`manage.py verify_audit`). Self-contained SQL: imports no app code.
"""

from django.db import migrations

SQLITE_INSTALL = [
    "CREATE TABLE IF NOT EXISTS audit_guard (id INTEGER PRIMARY KEY CHECK (id = 1), enabled INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO audit_guard (id, enabled) VALUES (1, 1)",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN (SELECT enabled FROM audit_guard WHERE id = 1) IS NOT 0
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       WHEN (SELECT enabled FROM audit_guard WHERE id = 1) IS NOT 0
       BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
    "DROP TABLE IF EXISTS audit_guard",
]

POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_auditchainhead",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def _run(schema_editor, statements_by_vendor):
    statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRES_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_actor_kept")]

    operations = [migrations.RunPython(install, remove)]
