"""Writes of the interop app: importing a referred patient from a FHIR Bundle."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.interop.fhir.importer import ImportPlan
from cadence.patients.models import Diagnosis, Patient, PreventiveTrial
from cadence.treatments.models import (
    InjectionSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
)

IMPORT_NOTE = "Imported from a FHIR Bundle: a session given before the patient was referred."


@dataclass
class ImportResult:
    patient: Patient
    created: list[tuple[str, str]] = field(default_factory=list)  # (FHIR type, id)
    possible_duplicates: list[int] = field(default_factory=list)


def bundle_import(*, plan: ImportPlan, actor, request=None) -> ImportResult:
    """Create the referred patient with diagnoses, preventive trials and prior sessions,
    all in one transaction (nothing is half-imported), with one audit entry each."""
    with transaction.atomic():
        duplicates = list(
            Patient.objects.filter(
                last_name__iexact=plan.patient.last_name,
                first_name__iexact=plan.patient.first_name,
                date_of_birth=plan.patient.date_of_birth,
            ).values_list("pk", flat=True)
        )
        extra = {}
        if "referring_clinician" in {f.name for f in Patient._meta.get_fields()}:
            extra["referring_clinician"] = plan.patient.referring_clinician
        patient = Patient.objects.create(
            **extra,
            first_name=plan.patient.first_name,
            last_name=plan.patient.last_name,
            date_of_birth=plan.patient.date_of_birth,
            sex=plan.patient.sex,
            email=plan.patient.email,
            phone=plan.patient.phone,
        )
        result = ImportResult(
            patient=patient, created=[("Patient", str(patient.pk))], possible_duplicates=duplicates
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary="Patient imported from a FHIR Bundle",
            patient=patient,
            obj=patient,
            request=request,
            details={
                "diagnoses": len(plan.diagnoses),
                "trials": len(plan.trials),
                "procedures": len(plan.procedures),
                "possible_duplicates": duplicates,
            },
        )
        for item in plan.diagnoses:
            diagnosis = Diagnosis.objects.create(
                patient=patient,
                icd10_code=item.icd10_code,
                confirmed_by_neurologist=item.confirmed_by_neurologist,
                neurologist=item.neurologist,
                confirmed_on=item.confirmed_on,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            result.created.append(("Condition", f"diagnosis-{diagnosis.pk}"))
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                summary=f"Diagnosis {item.icd10_code} imported",
                patient=patient,
                obj=diagnosis,
                request=request,
            )
        for item in plan.trials:
            trial = PreventiveTrial.objects.create(
                patient=patient,
                drug=item.drug,
                drug_class=item.drug_class,
                start=item.start,
                end=item.end,
                dose=item.dose,
                outcome=item.outcome,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            result.created.append(("MedicationStatement", f"trial-{trial.pk}"))
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                summary=f"Preventive trial {item.drug} imported",
                patient=patient,
                obj=trial,
                request=request,
            )
        _import_procedures(plan, patient, actor, request, result)
    return result


def _import_procedures(plan: ImportPlan, patient, actor, request, result: ImportResult) -> None:
    sites = {s.code: s for s in InjectionSite.objects.all()}
    field_names = {f.name for f in Procedure._meta.get_fields()}
    for item in plan.procedures:
        extra = {"notes": IMPORT_NOTE} if "notes" in field_names else {}
        if "drawn_units" in field_names:
            extra["drawn_units"] = item.total_units + item.wasted_units
        procedure = Procedure.objects.create(
            patient=patient,
            performed_on=item.performed_on,
            total_units=item.total_units,
            wasted_units=item.wasted_units,
            status=ProcedureStatus.SIGNED,
            signed_at=timezone.now(),
            **extra,
        )
        if item.injections and all(code in sites for code, _ in item.injections):
            ProcedureInjection.objects.bulk_create(
                [
                    ProcedureInjection(procedure=procedure, site=sites[code], units=units)
                    for code, units in item.injections
                ]
            )
        result.created.append(("Procedure", f"procedure-{procedure.pk}"))
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Prior session of {item.performed_on} imported ({item.total_units} U)",
            patient=patient,
            obj=procedure,
            request=request,
        )
