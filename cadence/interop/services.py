"""Writes of the interop app: importing a referred patient from a FHIR Bundle.

Re-importing the same patient updates, never duplicates: the patient is matched on an
identifier (Cadence's own, or one another system gave and an earlier import kept), then
on name + birth date; each kept record is matched the same way (diagnosis by code, trial
and medicine by name and start, history entry by coding and onset, session by date).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cadence.accounts.roles import Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.interop.fhir.importer import ImportPlan
from cadence.interop.models import CodedHistoryEntry, MedicationHistoryEntry, PatientIdentifier
from cadence.patients.models import Diagnosis, Patient, PreventiveTrial
from cadence.treatments.models import (
    InjectionSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    VialLot,
)

IMPORT_NOTE = "Imported from a FHIR Bundle: a session given before the patient was referred."
CREATED, UPDATED, UNCHANGED = "201 Created", "200 OK", "200 OK"


@dataclass
class EntryResult:
    status: str
    location: str = ""
    note: str = ""


@dataclass
class ImportResult:
    patient: Patient
    matched_by: str = ""  # "", "identifier", "name and birth date"
    entries: list[EntryResult] = field(default_factory=list)  # one per Bundle entry
    created: list[tuple[str, str]] = field(default_factory=list)  # (FHIR type, id)
    possible_duplicates: list[int] = field(default_factory=list)


def _match_patient(plan: ImportPlan) -> tuple[Patient | None, str]:
    p = plan.patient
    if p.cadence_id is not None:
        found = Patient.objects.filter(pk=p.cadence_id, date_of_birth=p.date_of_birth).first()
        if found is not None:
            return found, "identifier"
    for system, value in p.identifiers:
        known = PatientIdentifier.objects.filter(system=system, value=value).first()
        if known is not None:
            return known.patient, "identifier"
    same = list(
        Patient.objects.filter(
            last_name__iexact=p.last_name,
            first_name__iexact=p.first_name,
            date_of_birth=p.date_of_birth,
        ).order_by("pk")[:2]
    )
    if len(same) == 1:
        return same[0], "name and birth date"
    return None, ""


def _clinician_named(name: str):
    if not name:
        return None
    users = get_user_model().objects.filter(role=Role.CLINICIAN, is_active=True)
    matches = [u for u in users if u.display_name == name]
    return matches[0] if len(matches) == 1 else None


def _save_changed(instance, values: dict) -> bool:
    changed = [k for k, v in values.items() if getattr(instance, k) != v]
    for key in changed:
        setattr(instance, key, values[key])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def bundle_import(*, plan: ImportPlan, actor, request=None) -> ImportResult:
    """Create or update the referred patient with what the plan keeps, all in one
    transaction (nothing is half-imported), with an audit entry for each record written."""
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        patient, matched_by = _match_patient(plan)
        demographics = {
            "first_name": plan.patient.first_name,
            "last_name": plan.patient.last_name,
            "date_of_birth": plan.patient.date_of_birth,
            "sex": plan.patient.sex,
            "email": plan.patient.email,
            "phone": plan.patient.phone,
            "referring_clinician": plan.patient.referring_clinician,
        }
        if patient is None:
            patient = Patient.objects.create(**demographics)
            patient_status = CREATED
            summary = "Patient imported from a FHIR Bundle"
        else:
            keep = {k: v for k, v in demographics.items() if v or k == "sex"}
            patient_status = UPDATED
            changed = _save_changed(patient, keep)
            summary = f"Patient matched on {matched_by} by a FHIR import" + (
                " and updated" if changed else " (no change)"
            )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if patient_status == CREATED else AuditAction.CHANGE,
            summary=summary,
            patient=patient,
            obj=patient,
            request=request,
            details={
                "matched_by": matched_by,
                "diagnoses": len(plan.diagnoses),
                "history": len(plan.history),
                "trials": len(plan.trials),
                "medications": len(plan.medications),
                "procedures": len(plan.procedures),
            },
        )
        for system, value in plan.patient.identifiers:
            PatientIdentifier.objects.get_or_create(
                system=system, value=value, defaults={"patient": patient}
            )
        result = ImportResult(patient=patient, matched_by=matched_by)
        written: dict[str, list[EntryResult]] = {
            "diagnosis": [
                _diagnosis(item, patient, recorder, actor, request) for item in plan.diagnoses
            ],
            "history": [_history(item, patient) for item in plan.history],
            "trial": [_trial(item, patient, recorder, actor, request) for item in plan.trials],
            "medication": [_medication(item, patient) for item in plan.medications],
            "procedure": [_procedure(item, patient, actor, request) for item in plan.procedures],
        }
        if plan.history or plan.medications:
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=f"Referral history imported ({len(plan.history)} conditions, "
                f"{len(plan.medications)} medicines)",
                patient=patient,
                obj=patient,
                request=request,
            )
        for entry in plan.entries:
            if entry.action == "patient":
                outcome = EntryResult(patient_status, f"Patient/{patient.pk}")
            elif entry.action == "skipped":
                outcome = EntryResult(
                    "200 OK",
                    note=f"{entry.resource_type}/{entry.resource_id} not imported: {entry.note}",
                )
            elif entry.action == "administration":
                session = written["procedure"][entry.item]
                outcome = EntryResult(session.status, session.location, "part of the session")
            else:
                outcome = written[entry.action][entry.item]
            result.entries.append(outcome)
            if outcome.status == CREATED and outcome.location and entry.action != "administration":
                kind, _, ident = outcome.location.partition("/")
                result.created.append((kind, ident))
    return result


def _diagnosis(item, patient, recorder, actor, request) -> EntryResult:
    values = {
        "confirmed_by_neurologist": item.confirmed_by_neurologist,
        "neurologist": item.neurologist,
        "confirmed_on": item.confirmed_on,
    }
    diagnosis = Diagnosis.objects.filter(patient=patient, icd10_code=item.icd10_code).first()
    if diagnosis is None:
        diagnosis = Diagnosis.objects.create(
            patient=patient, icd10_code=item.icd10_code, recorded_by=recorder, **values
        )
        status = CREATED
    else:
        status = UPDATED if _save_changed(diagnosis, values) else UNCHANGED
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if status == CREATED else AuditAction.CHANGE,
        summary=f"Diagnosis {item.icd10_code} imported",
        patient=patient,
        obj=diagnosis,
        request=request,
    )
    return EntryResult(status, f"Condition/diagnosis-{diagnosis.pk}")


def _history(item, patient) -> EntryResult:
    match = CodedHistoryEntry.objects.filter(
        patient=patient, system=item.system, code=item.code, onset_on=item.onset_on
    )
    if not item.code:
        match = match.filter(display=item.display)
    values = {
        "display": item.display,
        "clinical_status": item.clinical_status,
        "abated_on": item.abated_on,
    }
    entry = match.first()
    if entry is None:
        CodedHistoryEntry.objects.create(
            patient=patient, system=item.system, code=item.code, onset_on=item.onset_on, **values
        )
        return EntryResult(CREATED, note="kept as a coded history entry")
    _save_changed(entry, values)
    return EntryResult(UPDATED, note="kept as a coded history entry (already known)")


def _trial(item, patient, recorder, actor, request) -> EntryResult:
    values = {
        "drug_class": item.drug_class,
        "end": item.end,
        "dose": item.dose,
        "outcome": item.outcome,
    }
    trial = PreventiveTrial.objects.filter(
        patient=patient, drug=item.drug, start=item.start
    ).first()
    if trial is None:
        trial = PreventiveTrial.objects.create(
            patient=patient, drug=item.drug, start=item.start, recorded_by=recorder, **values
        )
        status = CREATED
    else:
        status = UPDATED if _save_changed(trial, values) else UNCHANGED
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if status == CREATED else AuditAction.CHANGE,
        summary=f"Preventive trial {item.drug} imported",
        patient=patient,
        obj=trial,
        request=request,
    )
    return EntryResult(status, f"MedicationStatement/trial-{trial.pk}")


def _medication(item, patient) -> EntryResult:
    values = {
        "system": item.system,
        "code": item.code,
        "status": item.status,
        "ended_on": item.ended_on,
        "outcome": item.outcome,
        "dose": item.dose,
    }
    entry = MedicationHistoryEntry.objects.filter(
        patient=patient, name=item.name, started_on=item.started_on
    ).first()
    if entry is None:
        MedicationHistoryEntry.objects.create(
            patient=patient, name=item.name, started_on=item.started_on, **values
        )
        return EntryResult(CREATED, note="kept as medication history")
    _save_changed(entry, values)
    return EntryResult(UPDATED, note="kept as medication history (already known)")


def _procedure(item, patient, actor, request) -> EntryResult:
    existing = Procedure.objects.filter(patient=patient, performed_on=item.performed_on).first()
    if existing is not None:
        # A signed session is never rewritten by an import (amendments are the only way).
        return EntryResult(UNCHANGED, f"Procedure/procedure-{existing.pk}", "session already known")
    clinician = _clinician_named(item.performer)
    notes = IMPORT_NOTE
    if item.performer and clinician is None:
        notes += f" Performed by {item.performer} (as sent)."
    procedure = Procedure.objects.create(
        patient=patient,
        performed_on=item.performed_on,
        performed_at=item.performed_at,
        clinician=clinician,
        total_units=item.total_units,
        wasted_units=item.wasted_units,
        drawn_units=item.total_units + item.wasted_units,
        status=ProcedureStatus.SIGNED,
        signed_at=timezone.now(),
        notes=notes,
    )
    first_of_lot: dict[str, ProcedureVial] = {}
    for vial in item.vials:
        lot = VialLot.objects.filter(lot_number=vial.lot_number).first()
        if lot is None:
            # A lot used elsewhere: recorded for traceability, never in this clinic's stock.
            lot = VialLot.objects.create(
                lot_number=vial.lot_number,
                expires_on=vial.expires_on,
                size_units=vial.size_units,
                quantity_received=0,
                quantity_remaining=0,
            )
        opened = ProcedureVial.objects.create(
            procedure=procedure,
            lot=lot,
            lot_number=vial.lot_number,
            size_units=vial.size_units,
            expires_on=vial.expires_on,
        )
        first_of_lot.setdefault(opened.lot_number, opened)
    # Each injection linked to the vial it came from: the lot sent for it, else the
    # session's only lot (issue 17).
    single = next(iter(first_of_lot.values())) if len(first_of_lot) == 1 else None
    sites = {
        s.code: s for s in InjectionSite.objects.filter(code__in=[c for c, _ in item.injections])
    }
    if item.injections and all(code in sites for code, _ in item.injections):
        ProcedureInjection.objects.bulk_create(
            [
                ProcedureInjection(
                    procedure=procedure,
                    site=sites[code],
                    units=units,
                    vial=first_of_lot.get(item.injection_lots.get(code, ""), single),
                )
                for code, units in item.injections
            ]
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"Prior session of {item.performed_on} imported ({item.total_units} U)",
        patient=patient,
        obj=procedure,
        request=request,
    )
    return EntryResult(CREATED, f"Procedure/procedure-{procedure.pk}")
