"""The database refuses a patient's overlapping active appointments (a patient can't be in
two rooms at once), as migration 0002 does for a clinician.

PostgreSQL: an exclusion constraint on (patient, [starts_at, ends_at)) for rows that are
not cancelled (btree_gist, created by 0002). SQLite: triggers before INSERT and UPDATE that
abort on an overlap. The migration state is unchanged (the model declares no such
constraint), so `makemigrations --check` stays clean.

Note for later migrations: when Django rebuilds this table on SQLite, the triggers go with
the old table; such a migration must run SQLITE_FORWARD of 0002 and of this one again
(`test_the_database_itself_refuses_a_patient_overlap` fails if it does not).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE scheduling_appointment
    ADD CONSTRAINT appointment_no_overlap_per_patient
    EXCLUDE USING gist (
        patient_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status <> 'cancelled')
    """,
]
PG_BACKWARD = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_patient",
]

_SQLITE_OVERLAP_CHECK = """
    SELECT RAISE(ABORT, 'appointment_no_overlap_per_patient: the patient already has an appointment at that time')
    WHERE NEW.status <> 'cancelled' AND EXISTS (
        SELECT 1 FROM scheduling_appointment AS other
        WHERE other.patient_id = NEW.patient_id
          AND other.id IS NOT NEW.id
          AND other.status <> 'cancelled'
          AND other.starts_at < NEW.ends_at
          AND other.ends_at > NEW.starts_at
    );
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER appointment_no_patient_overlap_insert
    BEFORE INSERT ON scheduling_appointment
    BEGIN {_SQLITE_OVERLAP_CHECK} END
    """,
    f"""
    CREATE TRIGGER appointment_no_patient_overlap_update
    BEFORE UPDATE OF patient_id, starts_at, ends_at, status ON scheduling_appointment
    BEGIN {_SQLITE_OVERLAP_CHECK} END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS appointment_no_patient_overlap_insert",
    "DROP TRIGGER IF EXISTS appointment_no_patient_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_no_double_booking")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
