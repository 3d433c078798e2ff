"""FHIR Bulk Data Access ($export, the HL7 Bulk Data IG v2 for R4): the kick-off's
parameters, the job's writes (services) and reads (selectors), and the export itself,
which the background worker runs (``cadence.interop.tasks``).

The export is streamed: patients are read ``.iterator(chunk_size=PATIENT_CHUNK)``, each
patient's resources come from the same selectors as ``$everything``
(``cadence.interop.selectors``), and each resource is written as one line of its type's
NDJSON file as soon as it is mapped, so memory stays flat whatever the clinic's size.

``_since`` keeps only what changed since that instant where the record has an
update timestamp: Patient (``Patient.updated_at``), the diary-day Observations
(``DiaryDay.updated_at``) and Appointment (``Appointment.updated_at``). The other types
(SINCE_NOT_APPLIED) have no such timestamp, so all of them are exported and the manifest
says so in its ``extension`` (never silently missing a change).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.diary.models import DiaryDay
from cadence.interop import selectors
from cadence.interop.fhir import mappers as m
from cadence.interop.models import BulkExportJob, BulkExportStatus
from cadence.patients.access import patients_visible_to
from cadence.scheduling.models import Appointment

logger = logging.getLogger(__name__)

#: Patients read per database round trip; also how often the worker reports progress and
#: looks for a cancellation.
PATIENT_CHUNK = 200

#: The resource types of a patient's compartment that Cadence exports.
PATIENT_TYPES: tuple[str, ...] = (
    "Patient",
    "Condition",
    "MedicationStatement",
    "Procedure",
    "MedicationAdministration",
    "Observation",
    "QuestionnaireResponse",
    "AdverseEvent",
    "Appointment",
)
#: The system-level export adds the definitions the responses point to.
SYSTEM_TYPES: tuple[str, ...] = (*PATIENT_TYPES, "Questionnaire")
#: Types whose records carry an update timestamp, so that _since filters them.
SINCE_APPLIED = frozenset({"Patient", "Observation", "Appointment"})
#: Exported whole even with _since (no update timestamp); named in the manifest. The
#: Observation type's 28-day period summaries are derived, so they come whole too.
SINCE_NOT_APPLIED_NOTE = (
    "_since is applied to Patient, Appointment and the diary-day Observations only; "
    "these have no update timestamp and are exported whole (for Observation, the 28-day "
    "period summaries, which are derived): {types}."
)

OUTPUT_FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
NDJSON_CONTENT_TYPE = "application/fhir+ndjson"

#: The one Group Cadence defines (it has no group model): every patient.
ALL_PATIENTS_GROUP = "all-patients"
GROUPS = frozenset({ALL_PATIENTS_GROUP})

LEVELS = ("system", "patient", "group")
_SUPPORTED_PARAMS = frozenset({"_type", "_since", "_outputFormat"})


def bulk_export_dir() -> Path:
    return Path(settings.CADENCE_BULK_EXPORT_DIR)


def job_dir(job: BulkExportJob) -> Path:
    return bulk_export_dir() / str(job.pk)


def file_name_for(resource_type: str) -> str:
    return f"{resource_type}.ndjson"


# ------------------------------------------------------------------ the kick-off request
@dataclass(frozen=True)
class ExportRequest:
    level: str
    types: tuple[str, ...]
    since: datetime | None
    group_id: str = ""


def export_request_from(*, level: str, params, prefer: str, group_id: str = "") -> ExportRequest:
    """The kick-off's parameters, checked. Refuses with ValidationError (the field named)
    — the view answers 400 with an OperationOutcome."""
    if "respond-async" not in [p.strip().lower() for p in re.split(r"[,;]", prefer)]:
        raise ValidationError(
            "An export runs in the background: send the header Prefer: respond-async.",
            code="required",
            params={"field": "Prefer"},
        )
    unsupported = sorted(set(params) - _SUPPORTED_PARAMS)
    if unsupported:
        raise ValidationError(
            f"Unsupported $export parameter(s): {', '.join(unsupported)}.",
            code="not-supported",
            params={"field": unsupported[0]},
        )
    # An unencoded "+" arrives as a space: application/fhir ndjson is meant as +ndjson.
    output_format = params.get("_outputFormat", "").strip().replace(" ", "+")
    if output_format and output_format not in OUTPUT_FORMATS:
        raise ValidationError(
            f"_outputFormat {output_format!r} is not served; use application/fhir+ndjson.",
            code="not-supported",
            params={"field": "_outputFormat"},
        )
    known = SYSTEM_TYPES if level == "system" else PATIENT_TYPES
    types = known
    if params.get("_type", "").strip():
        asked = [t.strip() for item in params.getlist("_type") for t in item.split(",")]
        asked = [t for t in asked if t]
        unknown = [t for t in asked if t not in known]
        if unknown:
            raise ValidationError(
                f"_type names resource types this export does not produce: "
                f"{', '.join(unknown)} (it produces {', '.join(known)}).",
                code="not-supported",
                params={"field": "_type"},
            )
        types = tuple(t for t in known if t in asked)
    since = None
    if params.get("_since", "").strip():
        since = _instant(params["_since"].strip())
    return ExportRequest(level=level, types=types, since=since, group_id=group_id)


def _instant(text: str) -> datetime:
    """A FHIR instant: date, time and time zone (e.g. 2026-01-05T10:00:00Z)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or "T" not in text or value.tzinfo is None:
        raise ValidationError(
            "_since must be an instant with a time zone, e.g. 2026-01-05T10:00:00Z.",
            code="invalid",
            params={"field": "_since"},
        )
    return value


# ------------------------------------------------------------------ services (writes)
def bulk_export_start(
    *, requester, export: ExportRequest, request_url: str, request=None
) -> BulkExportJob:
    """Record a new export job (the worker runs it) with its audit entry."""
    if export.level == "group" and export.group_id not in GROUPS:
        raise Http404(f"No Group {export.group_id!r} (Cadence defines {ALL_PATIENTS_GROUP!r}).")
    with transaction.atomic():
        job = BulkExportJob.objects.create(
            requested_by=requester,
            level=export.level,
            group_id=export.group_id,
            types=list(export.types),
            since=export.since,
            request_url=request_url,
        )
        audit_record(
            actor=requester,
            action=AuditAction.EXPORT,
            obj=job,
            request=request,
            summary=f"FHIR bulk export requested ({export.level}: {', '.join(export.types)})",
            details={"types": list(export.types), "since": _iso(export.since)},
        )
    return job


def bulk_export_cancel(*, job: BulkExportJob, actor, request=None) -> None:
    """DELETE on the status URL: stop the export (the worker looks between chunks) and
    remove its files."""
    with transaction.atomic():
        BulkExportJob.objects.filter(pk=job.pk).update(
            status=BulkExportStatus.CANCELLED, finished_at=timezone.now(), output=[]
        )
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=job,
            request=request,
            summary="FHIR bulk export cancelled and its files deleted",
        )
    shutil.rmtree(job_dir(job), ignore_errors=True)


def bulk_export_file_downloaded(*, job: BulkExportJob, entry: dict, actor, request=None) -> None:
    """The audit entry of one NDJSON file handed out."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=job,
        request=request,
        summary=f"FHIR bulk export file downloaded ({entry['type']}, {entry['count']} resources)",
        details={"file": entry["file"], "count": entry["count"]},
    )


def bulk_export_sweep(*, now: datetime | None = None) -> int:
    """Delete the files of expired exports (and of cancelled or failed ones left behind);
    mark the expired ones. Returns how many exports' folders were deleted."""
    now = now or timezone.now()
    expired = list(
        BulkExportJob.objects.filter(
            status=BulkExportStatus.COMPLETED, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    BulkExportJob.objects.filter(pk__in=expired).update(status=BulkExportStatus.EXPIRED, output=[])
    gone = BulkExportJob.objects.filter(
        status__in=[BulkExportStatus.CANCELLED, BulkExportStatus.FAILED, BulkExportStatus.EXPIRED]
    ).values_list("pk", flat=True)
    root = bulk_export_dir()
    swept = 0
    for pk in gone.iterator():
        folder = root / str(pk)
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


# ------------------------------------------------------------------ selectors (reads)
def bulk_export_job_for(user, job_id: str, *, now: datetime | None = None) -> BulkExportJob:
    """The user's own export job; 404 for another's, a cancelled or an expired one."""
    try:
        pk = UUID(str(job_id))
    except ValueError:
        raise Http404("No such export.") from None
    job = BulkExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None or job.status == BulkExportStatus.CANCELLED:
        raise Http404("No such export.")
    if job.status == BulkExportStatus.EXPIRED or (
        job.expires_at is not None and job.expires_at <= (now or timezone.now())
    ):
        raise Http404("This export has expired and its files were deleted.")
    return job


def bulk_export_manifest(job: BulkExportJob, *, file_url) -> dict:
    """The completion manifest. ``file_url(job, file_name)`` makes a file's URL."""
    manifest = {
        "transactionTime": _iso(job.transaction_time),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": entry["type"], "url": file_url(job, entry["file"]), "count": entry["count"]}
            for entry in job.output
        ],
        "error": [],
    }
    not_applied = [t for t in job.types if t not in SINCE_APPLIED or t == "Observation"]
    if job.since is not None and not_applied:
        manifest["extension"] = {
            "sinceNotApplied": not_applied,
            "sinceNote": SINCE_NOT_APPLIED_NOTE.format(types=", ".join(not_applied)),
        }
    return manifest


def bulk_export_output_entry(job: BulkExportJob, file_name: str) -> dict:
    for entry in job.output:
        if entry["file"] == file_name:
            return entry
    raise Http404("No such file in this export.")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ------------------------------------------------------------------ the export (worker)
class _Cancelled(Exception):
    pass


def _patients_for(job: BulkExportJob):
    # Every level exports the patients the requester may list; the one Group is all of them.
    return patients_visible_to(job.requested_by).order_by("pk")


def _patient_resources(patient, types: frozenset, since: datetime | None):
    """The requested resources of one patient, type by type, from the $everything
    selectors."""
    if "Patient" in types and (since is None or patient.updated_at >= since):
        yield m.patient_resource(patient)
    if "Condition" in types:
        yield from selectors.condition_resources(patient)
    if "MedicationStatement" in types:
        yield from selectors.medication_statement_resources(patient)
    if "Procedure" in types or "MedicationAdministration" in types:
        for resource in selectors.procedure_resources(
            patient, with_administrations="MedicationAdministration" in types
        ):
            if resource["resourceType"] in types:
                yield resource
    if "QuestionnaireResponse" in types:
        yield from selectors.questionnaire_response_resources(patient)
    if "AdverseEvent" in types:
        yield from selectors.adverse_event_resources(patient)
    if "Appointment" in types:
        appointments = Appointment.objects.filter(patient=patient)
        if since is not None:
            appointments = appointments.filter(updated_at__gte=since)
        yield from selectors.appointment_resources(patient, appointments)
    if "Observation" in types:
        yield from selectors.period_resources(patient)
        days = DiaryDay.objects.filter(patient=patient)
        if since is not None:
            days = days.filter(updated_at__gte=since)
        yield from selectors.diary_resources(patient, days.order_by("date"))


class _Writer:
    """One NDJSON file per type, opened when its first line comes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict = {}
        self.counts: dict[str, int] = {}

    def write(self, resource: dict) -> None:
        resource_type = resource["resourceType"]
        handle = self.files.get(resource_type)
        if handle is None:
            handle = (self.folder / file_name_for(resource_type)).open("w", encoding="utf-8")
            self.files[resource_type] = handle
            self.counts[resource_type] = 0
        handle.write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False))
        handle.write("\n")
        self.counts[resource_type] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def bulk_export_run(*, job_id: str, now: datetime | None = None) -> str:
    """Run one export (the worker's task): write the NDJSON files, then the manifest's
    outputs. Returns the job's final status."""
    job = BulkExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != BulkExportStatus.ACCEPTED:
        return job.status if job is not None else "missing"
    bulk_export_sweep()
    started = now or timezone.now()
    job.status = BulkExportStatus.IN_PROGRESS
    job.transaction_time = started
    job.progress = "starting"
    job.save(update_fields=["status", "transaction_time", "progress"])
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(folder)
    types = frozenset(job.types)
    try:
        patients = _patients_for(job)
        total = patients.count()
        done = 0
        for patient in patients.iterator(chunk_size=PATIENT_CHUNK):
            for resource in _patient_resources(patient, types, job.since):
                writer.write(resource)
            done += 1
            if done % PATIENT_CHUNK == 0:
                _report_progress(job, done, total)
        if job.level == "system" and "Questionnaire" in types:
            for resource in selectors.questionnaire_resources():
                writer.write(resource)
        writer.close()
        _report_progress(job, done, total)
    except _Cancelled:
        writer.close()
        shutil.rmtree(folder, ignore_errors=True)
        return BulkExportStatus.CANCELLED
    except Exception:  # noqa: BLE001 - any failure is the job's, reported as a 500 outcome
        writer.close()
        shutil.rmtree(folder, ignore_errors=True)
        logger.exception("bulk export %s failed", job.pk)
        BulkExportJob.objects.filter(pk=job.pk).exclude(status=BulkExportStatus.CANCELLED).update(
            status=BulkExportStatus.FAILED,
            finished_at=timezone.now(),
            error="The export failed on the server; start a new one.",
        )
        return BulkExportStatus.FAILED
    output = [
        {"type": t, "file": file_name_for(t), "count": writer.counts[t]}
        for t in SYSTEM_TYPES
        if writer.counts.get(t)
    ]
    finished = timezone.now()
    updated = BulkExportJob.objects.filter(pk=job.pk, status=BulkExportStatus.IN_PROGRESS).update(
        status=BulkExportStatus.COMPLETED,
        output=output,
        progress=f"{done} of {total} patients",
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.CADENCE_BULK_EXPORT_TTL_HOURS),
    )
    if not updated:  # cancelled during the last chunk
        shutil.rmtree(folder, ignore_errors=True)
        return BulkExportStatus.CANCELLED
    return BulkExportStatus.COMPLETED


def _report_progress(job: BulkExportJob, done: int, total: int) -> None:
    """Write the progress; stop when the job was cancelled meanwhile."""
    updated = BulkExportJob.objects.filter(pk=job.pk, status=BulkExportStatus.IN_PROGRESS).update(
        progress=f"{done} of {total} patients"
    )
    if not updated:
        raise _Cancelled
