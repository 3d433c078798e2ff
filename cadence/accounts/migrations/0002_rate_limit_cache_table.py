"""The table of the shared `ratelimit` cache (settings.CACHES, DatabaseCache
"cadence_cache"): sign-in rate limits count in the database, across every worker."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", "ratelimit", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
