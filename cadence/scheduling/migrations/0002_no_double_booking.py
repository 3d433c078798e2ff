"""The database refuses a clinician's overlapping active appointments.

PostgreSQL: an exclusion constraint on (clinician, [starts_at, ends_at)) for rows that are
not cancelled (needs the btree_gist extension). SQLite: triggers before INSERT and UPDATE
that abort on an overlap. Each part runs only on its own vendor; the migration state is
unchanged (the model declares no such constraint), so `makemigrations --check` stays
clean. Datetimes are stored in UTC on both (SQLite as ISO text, which compares in order).

Note for later migrations: when Django alters this table on SQLite by rebuilding it, the
triggers go with the old table; such a migration must run SQLITE_FORWARD again
(`test_the_database_itself_refuses_an_overlap` fails if it does not).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE scheduling_appointment
    ADD CONSTRAINT appointment_no_overlap_per_clinician
    EXCLUDE USING gist (
        clinician_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status <> 'cancelled')
    """,
]
PG_BACKWARD = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_clinician",
]

_SQLITE_OVERLAP_CHECK = """
    SELECT RAISE(ABORT, 'appointment_no_overlap_per_clinician: the clinician already has an appointment at that time')
    WHERE NEW.status <> 'cancelled' AND EXISTS (
        SELECT 1 FROM scheduling_appointment AS other
        WHERE other.clinician_id = NEW.clinician_id
          AND other.id IS NOT NEW.id
          AND other.status <> 'cancelled'
          AND other.starts_at < NEW.ends_at
          AND other.ends_at > NEW.starts_at
    );
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER appointment_no_overlap_insert
    BEFORE INSERT ON scheduling_appointment
    BEGIN {_SQLITE_OVERLAP_CHECK} END
    """,
    f"""
    CREATE TRIGGER appointment_no_overlap_update
    BEFORE UPDATE OF clinician_id, starts_at, ends_at, status ON scheduling_appointment
    BEGIN {_SQLITE_OVERLAP_CHECK} END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
