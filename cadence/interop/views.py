"""FHIR R4 endpoints (plain Django views answering application/fhir+json) and CSV exports.

Access: ``fhir_roles`` (bearer token or session; 401/403 OperationOutcomes), then every
patient is reached through ``patient_for_user``. Reads write an audit VIEW entry, the
export ($everything, CSV) an EXPORT entry.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from cadence.accounts.roles import ALL_ROLES, CLINICAL_AND_PATIENT_ROLES, PATIENT_RECORD_ROLES, Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record, audit_view
from cadence.interop import csv_export, selectors
from cadence.interop.auth import (
    FHIR_CONTENT_TYPE,
    fhir_methods,
    fhir_public,
    fhir_response,
    fhir_roles,
    outcome_response,
)
from cadence.interop.capability import (
    capability_statement,
    code_system_resource,
    structure_definition_resource,
)
from cadence.interop.fhir import mappers as m
from cadence.interop.fhir.codes import DEMOGRAPHIC_TYPES
from cadence.interop.fhir.importer import parse_bundle
from cadence.interop.services import bundle_import
from cadence.interop.uploads import REFUSAL_STATUS, read_upload
from cadence.patients.access import patient_for_user


def fhir_base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("interop:metadata")).removesuffix("metadata")


def _sees_clinical(user) -> bool:
    return user.role in CLINICAL_AND_PATIENT_ROLES


# ---------------------------------------------------------------- metadata
@fhir_methods("GET")
@fhir_public
def metadata(request):
    """The CapabilityStatement (public)."""
    return fhir_response(capability_statement(base_url=fhir_base_url(request)))


@fhir_methods("GET")
@fhir_public
def code_system_read(request, code_system_id: str):
    """A Cadence code system (public: codes and display text only)."""
    resource = code_system_resource(code_system_id)
    if resource is None:
        return outcome_response("No such code system.", 404, code="not-found")
    return fhir_response(resource)


@fhir_methods("GET")
@fhir_public
def structure_definition_read(request, structure_definition_id: str):
    """The StructureDefinition of a Cadence extension, at its canonical URL (public)."""
    resource = structure_definition_resource(structure_definition_id)
    if resource is None:
        return outcome_response("No such StructureDefinition.", 404, code="not-found")
    return fhir_response(resource)


@fhir_public
def unknown_route(request, *args, **kwargs):
    """Anything else under /fhir/r4: 404 as an OperationOutcome, whatever the method."""
    return outcome_response(
        f"No FHIR interaction at {request.path}: see {fhir_base_url(request)}metadata.",
        404,
        code="not-found",
    )


@fhir_methods("GET")
@fhir_roles(ALL_ROLES)
def questionnaire_read(request, resource_id: str):
    """The MIDAS or HIT-6 Questionnaire (neutral HIT-6 labels only)."""
    return fhir_response(selectors.questionnaire_read(resource_id))


# ---------------------------------------------------------------- Patient
def _stream_bundle(resources, base_url: str):
    yield b'{"resourceType":"Bundle","type":"searchset","entry":['
    first = True
    for resource in resources:
        entry = m.bundle_entry(resource, base_url)
        yield (b"" if first else b",") + json.dumps(entry, separators=(",", ":")).encode()
        first = False
    yield b"]}"


@fhir_methods("GET")
@fhir_roles(PATIENT_RECORD_ROLES)
def patient_everything(request, patient_id: str):
    """Patient/{id}/$everything: a searchset Bundle of the whole record, streamed.

    Clinicians, nurses and the patient themself get every resource; front desk and
    admins get demographics and appointments only."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    clinical = _sees_clinical(request.user)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        patient=patient,
        obj=patient,
        request=request,
        summary="FHIR export ($everything)"
        + ("" if clinical else " – demographics and appointments"),
    )
    resources = selectors.patient_everything(patient, clinical=clinical)
    return StreamingHttpResponse(
        _stream_bundle(resources, fhir_base_url(request)), content_type=FHIR_CONTENT_TYPE
    )


@fhir_methods("GET")
@fhir_roles(PATIENT_RECORD_ROLES)
def patient_search(request):
    """Patient?family=&birthdate= (family name starts with; birth date YYYY-MM-DD)."""
    unknown = set(request.GET) - {"family", "birthdate", "_format"}
    if unknown:
        return outcome_response(
            f"Unsupported search parameter(s): {', '.join(sorted(unknown))}.",
            400,
            code="not-supported",
        )
    family = request.GET.get("family", "").strip()
    birthdate_text = request.GET.get("birthdate", "").strip()
    birthdate = None
    if birthdate_text:
        try:
            birthdate = date.fromisoformat(birthdate_text.removeprefix("eq"))
        except ValueError:
            return outcome_response("birthdate must be a date YYYY-MM-DD.", 400, code="invalid")
    if not family and birthdate is None:
        return outcome_response("Search by family and/or birthdate.", 400, code="required")
    patients = selectors.patient_search(request.user, family=family, birthdate=birthdate)
    for patient in patients:
        audit_view(request, patient=patient, obj=patient, summary="FHIR Patient search")
    bundle = m.searchset_bundle((m.patient_resource(p) for p in patients), fhir_base_url(request))
    return fhir_response(bundle)


def roles_for_type(resource_type: str) -> frozenset:
    """Who may read a resource type: clinical types are for clinicians and nurses (and
    the patient's own), Patient and Appointment also for front desk (not administrators:
    issue 21)."""
    if resource_type in DEMOGRAPHIC_TYPES:
        return PATIENT_RECORD_ROLES
    return CLINICAL_AND_PATIENT_ROLES


def _read(request, resource_type: str, resource_id: str):
    resource, patient = selectors.resource_read(request.user, resource_type, resource_id)
    audit_view(
        request,
        patient=patient,
        object_type=f"fhir.{resource_type}",
        object_id=resource_id,
        summary=f"FHIR read {resource_type}/{resource_id}",
    )
    return fhir_response(resource)


def read_view_for(resource_type: str):
    """The read view of one resource type (<Type>/<id>), with that type's roles."""

    def resource_read(request, resource_id: str, **kwargs):
        return _read(request, resource_type, resource_id)

    resource_read.__name__ = resource_read.__qualname__ = f"{resource_type.lower()}_read"
    resource_read.__doc__ = f"{resource_type}/<id>: one resource, with the record's access rules."
    return fhir_methods("GET")(fhir_roles(roles_for_type(resource_type))(resource_read))


@fhir_methods("GET")
@fhir_roles(PATIENT_RECORD_ROLES)
def patient_read(request, patient_id: str):
    """Patient/<id>: demographics."""
    return _read(request, "Patient", patient_id)


# ---------------------------------------------------------------- import
@fhir_methods("POST")
@fhir_roles(Role.CLINICIAN)
def bundle_transaction(request):
    """POST [base] (with or without the trailing slash) or [base]/Bundle: a transaction,
    batch, collection or document Bundle. What Cadence understands is kept (all or
    nothing); the rest is reported per entry. Problems come back as an OperationOutcome."""
    try:
        raw = read_upload(request)
    except ValidationError as exc:
        status = REFUSAL_STATUS[exc.code]
        return outcome_response(
            exc.messages[0], status, code="too-costly" if status == 413 else "invalid"
        )
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return outcome_response("The body is not valid JSON.", 400, code="structure")
    plan, problems = parse_bundle(data, today=timezone.localdate())
    if problems:
        return fhir_response(m.operation_outcome(problems, code="invalid"), status=422)
    result = bundle_import(plan=plan, actor=request.user, request=request)
    return fhir_response(transaction_response(result, plan, fhir_base_url(request)))


def transaction_response(result, plan, base_url: str) -> dict:
    """One response entry per request entry, in order (R4 3.1.0.11.3); what was not
    kept says why in its entry's outcome, assumptions made go on the Patient's entry."""
    assumptions = [(w, msg) for w, msg in plan.notes if "not imported:" not in msg]
    entries = []
    for entry_plan, outcome in zip(plan.entries, result.entries, strict=True):
        response: dict = {"status": outcome.status}
        if outcome.location:
            response["location"] = outcome.location
        notes = [("", outcome.note)] if outcome.note else []
        if entry_plan.action == "patient":
            if result.matched_by:
                notes.append(("", f"matched an existing patient on {result.matched_by}"))
            notes.extend(assumptions)
        if notes:
            response["outcome"] = m.operation_outcome(
                notes, severity="information", code="informational"
            )
        entry: dict = {"response": response}
        if outcome.location:
            entry["fullUrl"] = f"{base_url}{outcome.location}"
        entries.append(entry)
    kind = "batch-response" if plan.bundle_type == "batch" else "transaction-response"
    return {"resourceType": "Bundle", "type": kind, "entry": entries}


# ---------------------------------------------------------------- CSV
@fhir_methods("GET")
@fhir_roles(CLINICAL_AND_PATIENT_ROLES)
def diary_csv(request, patient_id: str):
    """The patient's diary as CSV (one row per day), streamed."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        patient=patient,
        obj=patient,
        request=request,
        summary="Diary exported as CSV",
    )
    response = StreamingHttpResponse(
        csv_export.diary_rows(patient), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="diary-{patient.pk}.csv"'
    return response


@fhir_methods("GET")
@fhir_roles(Role.CLINICIAN)
def outcomes_csv(request):
    """The clinic's outcome table as CSV (one row per treated patient), streamed. Names
    are included for clinicians only."""
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        request=request,
        summary="Clinic outcome table exported as CSV",
    )
    rows = csv_export.outcome_rows(
        with_names=request.user.role == Role.CLINICIAN, as_of=timezone.localdate()
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="outcomes.csv"'
    return response
