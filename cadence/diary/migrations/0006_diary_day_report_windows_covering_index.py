"""PostgreSQL only: a covering index of the diary for the clinic report's windows (issue 20).

The clinic report counts, per patient, the diary days recorded and the headache days in
the baseline and the week-24 period (``cadence.outcomes.selectors.clinic``). The
one-row-per-day unique index on (patient, date) finds each window, but every
``is_headache_day`` is then read from the table's wide rows. This index carries
``is_headache_day`` (INCLUDE) so that each window is one index-only range read.

SQLite cannot INCLUDE a column, and its report is far under its targets: nothing is done
there. The index is built CONCURRENTLY (no write lock on a large diary table), so this
migration is not atomic. Self-contained SQL: imports no app code; the model state is
unchanged (a performance index only, like the unique constraint's own index).
"""

from django.db import migrations

INDEX = "diary_day_patient_date_incl_headache"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON diary_diaryday (patient_id, date) INCLUDE (is_headache_day)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("diary", "0005_side_effect_alerts_and_urgent_list"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
