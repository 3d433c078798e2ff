"""FHIR Bulk Data Access endpoints (the HL7 Bulk Data IG v2, R4) under /fhir/r4:

- kick-off: ``GET $export``, ``GET Patient/$export``, ``GET Group/{id}/$export`` with
  ``Prefer: respond-async`` → 202 and ``Content-Location: <status URL>``;
- status: ``GET bulk/{job}`` → 202 with ``X-Progress`` while running, 200 with the
  manifest when done, 500 OperationOutcome on failure; ``DELETE`` cancels and deletes;
- files: ``GET bulk/{job}/{Type}.ndjson`` (the requester's own export only).

Clinicians only (session or their API tokens): the admin role sees no clinical data and
a patient's export is ``Patient/{id}/$everything``. Every kick-off, download and delete
is audited (``cadence.interop.bulk``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date

from cadence.accounts.models import ApiToken, hash_token
from cadence.accounts.roles import Role
from cadence.interop import bulk, tasks
from cadence.interop.auth import fhir_methods, fhir_response, fhir_roles, outcome_response
from cadence.interop.fhir.mappers import operation_outcome
from cadence.interop.models import BulkExportStatus

BULK_ROLES = frozenset({Role.CLINICIAN})
#: Seconds a client is asked to wait between status requests.
RETRY_AFTER_SECONDS = 5


#: Token scopes that allow a bulk export (issue 21): the export scope and full access.
EXPORT_SCOPES = frozenset({"export", "full"})
_SCOPE_FIELDS = ("scope", "scopes")


def scope_allows_export(scope) -> bool:
    """A token's scope (a string of space- or comma-separated names, or a list) allows an
    export when it names export or read (SMART's ``*.read`` too)."""
    names = scope.replace(",", " ").split() if isinstance(scope, str) else list(scope or [])
    return any(n in EXPORT_SCOPES or str(n).endswith(".read") for n in names)


def _token_scope_refusal(request):
    """403 when the request's bearer token has a scope that does not allow exports. Tokens
    without a scope field (before issue 21 adds one) are the clinician's full access."""
    field = next((f.name for f in ApiToken._meta.get_fields() if f.name in _SCOPE_FIELDS), None)
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if field is None or scheme.lower() != "bearer":
        return None
    scope = (
        ApiToken.objects.filter(token_hash=hash_token(raw.strip()))
        .values_list(field, flat=True)
        .first()
    )
    if scope_allows_export(scope):
        return None
    return outcome_response(
        "This API token's scope does not allow exports: issue one with the export scope.",
        403,
        code="forbidden",
    )


def _status_url(request, job) -> str:
    return request.build_absolute_uri(reverse("interop:bulk-status", args=[str(job.pk)]))


def _kick_off(request, *, level: str, group_id: str = ""):
    refused = _token_scope_refusal(request)
    if refused is not None:
        return refused
    if level == "group" and group_id not in bulk.GROUPS:
        return outcome_response(
            f"No Group {group_id!r}: Cadence defines the Group {bulk.ALL_PATIENTS_GROUP!r}.",
            404,
            code="not-found",
        )
    try:
        export = bulk.export_request_from(
            level=level,
            params=request.GET,
            prefer=request.headers.get("Prefer", ""),
            group_id=group_id,
        )
    except ValidationError as exc:
        return outcome_response(exc.messages[0], 400, code=exc.code or "invalid")
    job = bulk.bulk_export_start(
        requester=request.user,
        export=export,
        request_url=request.build_absolute_uri(),
        request=request,
    )
    tasks.bulk_export_enqueue(job)
    response = HttpResponse(status=202)
    response["Content-Location"] = _status_url(request, job)
    return response


@fhir_methods("GET")
@fhir_roles(BULK_ROLES)
def system_export(request):
    """$export: every patient's record (and the Questionnaires), as NDJSON files."""
    return _kick_off(request, level="system")


@fhir_methods("GET")
@fhir_roles(BULK_ROLES)
def patient_export(request):
    """Patient/$export: every patient's compartment, as NDJSON files."""
    return _kick_off(request, level="patient")


@fhir_methods("GET")
@fhir_roles(BULK_ROLES)
def group_export(request, group_id: str):
    """Group/{id}/$export: the Group's patients (Cadence's one Group: all-patients)."""
    return _kick_off(request, level="group", group_id=group_id)


@fhir_methods("GET", "DELETE")
@fhir_roles(BULK_ROLES)
def export_status(request, job_id: str):
    """The export's status (202 running, 200 manifest, 500 failed); DELETE cancels it."""
    job = bulk.bulk_export_job_for(request.user, job_id)
    if request.method == "DELETE":
        bulk.bulk_export_cancel(job=job, actor=request.user, request=request)
        return fhir_response(
            operation_outcome(
                "The export was cancelled and its files deleted.",
                severity="information",
                code="informational",
            ),
            status=202,
        )
    if job.status == BulkExportStatus.FAILED:
        return outcome_response(job.error or "The export failed.", 500, code="exception")
    if job.status != BulkExportStatus.COMPLETED:
        response = HttpResponse(status=202)
        response["X-Progress"] = job.progress or "waiting for the worker"
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def file_url(job, file_name: str) -> str:
        return request.build_absolute_uri(
            reverse("interop:bulk-file", args=[str(job.pk), file_name])
        )

    response = JsonResponse(bulk.bulk_export_manifest(job, file_url=file_url))
    response["Expires"] = http_date(job.expires_at.timestamp())
    return response


@fhir_methods("GET")
@fhir_roles(BULK_ROLES)
def export_file(request, job_id: str, file_name: str):
    """One NDJSON file of the requester's completed export."""
    job = bulk.bulk_export_job_for(request.user, job_id)
    if job.status != BulkExportStatus.COMPLETED:
        return outcome_response("This export has no files yet.", 404, code="not-found")
    entry = bulk.bulk_export_output_entry(job, file_name)
    path = bulk.job_dir(job) / entry["file"]
    if not path.is_file():
        return outcome_response(
            "This export's files were deleted; start a new export.", 404, code="not-found"
        )
    bulk.bulk_export_file_downloaded(job=job, entry=entry, actor=request.user, request=request)
    return FileResponse(path.open("rb"), content_type=bulk.NDJSON_CONTENT_TYPE)
