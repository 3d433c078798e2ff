"""Put the SQLite overlap triggers back after 0004 rebuilt the appointment table.

On SQLite, adding a column with a default (0004) rebuilds `scheduling_appointment`, and the
triggers of 0002 (a clinician's overlap) and 0003 (a patient's overlap) go with the old
table. This re-creates both (dropping any that survived first, so it is safe to run on a
database where they exist). PostgreSQL keeps its exclusion constraints through ALTER TABLE:
nothing to do there.
"""

from importlib import import_module

from django.db import migrations

_GUARDS = [
    import_module("cadence.scheduling.migrations.0002_no_double_booking"),
    import_module("cadence.scheduling.migrations.0003_no_patient_double_booking"),
]


def reinstall(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for guard in _GUARDS:
        for statement in guard.SQLITE_BACKWARD + guard.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_on_call_alerts")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop, elidable=False)]
