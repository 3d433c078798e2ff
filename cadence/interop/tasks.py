"""Background tasks of the interop app (django-tasks; `manage.py db_worker` runs them):
the FHIR Bulk Data export. What an export does lives in `cadence.interop.bulk`; this
module only hands it to the worker."""

from __future__ import annotations

from django_tasks import task

from cadence.interop.bulk import bulk_export_run
from cadence.interop.models import BulkExportJob


@task()
def bulk_export_task(job_id: str) -> str:
    """Write one export's NDJSON files (a job that is no longer waiting is left alone)."""
    return bulk_export_run(job_id=job_id)


def bulk_export_enqueue(job: BulkExportJob) -> None:
    bulk_export_task.enqueue(str(job.pk))
