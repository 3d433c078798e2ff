"""Delete the NDJSON files of FHIR bulk exports that have expired
(CADENCE_BULK_EXPORT_TTL_HOURS after they completed) or were cancelled.

Run hourly from cron or a systemd timer, e.g.
    7 * * * *  cd /srv/cadence && .venv/bin/python manage.py sweep_bulk_exports
Each new export also sweeps before it starts. Safe to run as often as you like.
"""

from django.core.management.base import BaseCommand

from cadence.interop.bulk import bulk_export_sweep


class Command(BaseCommand):
    help = "Delete the files of expired or cancelled FHIR bulk exports."

    def handle(self, *args, **options):
        count = bulk_export_sweep()
        self.stdout.write(f"Deleted the files of {count} export(s).")
