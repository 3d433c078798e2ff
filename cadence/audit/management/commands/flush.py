"""Django's `flush`, lifting the audit trail's delete guard for the deliberate wipe.

Without this, the audit table's DELETE trigger (SQLite) would refuse `flush`, which the
test runner uses between transactional tests. The guard is back on afterwards.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from cadence.audit.guard import delete_guard_lifted


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        with delete_guard_lifted(connection):
            return super().handle(**options)
