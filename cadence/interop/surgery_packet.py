"""The surgery-evaluation packet as a FHIR R4 document Bundle (clinic-reference.md
section 8): a Composition (sections: PAINS, pain sketch, site-level response, Botox
history, medication history) followed by the Patient, the diagnosis (Condition),
the PAINS criteria, sketch shares and site responses (Observations), the Botox sessions
and nerve blocks (Procedures) and the preventive medicines (MedicationStatements).

Cadence's own codes for the surgery pathway live in the code system
``{CADENCE_FHIR_BASE}/CodeSystem/surgery``. Every Bundle built here is validated with
``fhir.resources`` (R4B, the same as R4 for these resources) before it is returned.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from cadence.interop.fhir import codes as c
from cadence.interop.fhir.mappers import (
    coding,
    condition_resource,
    medication_statement_resource,
    patient_ref,
    patient_resource,
    procedure_resource,
    reference,
)
from cadence.patients.models import Diagnosis, PreventiveTrial
from cadence.rules.surgery import TRIGGER_SITES, TriggerSite
from cadence.surgery import selectors as surgery_selectors
from cadence.surgery.models import NerveBlock, NoteStatus
from cadence.treatments.models import Procedure, ProcedureStatus

SURGERY_CS = f"{c.CADENCE_FHIR_BASE}/CodeSystem/surgery"
TRIGGER_SITE_CS = f"{c.CADENCE_FHIR_BASE}/CodeSystem/trigger-site"

FhirDict = dict[str, Any]


def _site_concept(code: str) -> FhirDict:
    spec = TRIGGER_SITES[TriggerSite(code)]
    return {"coding": [coding(TRIGGER_SITE_CS, code, spec.label)], "text": spec.label}


def _observation(
    obs_id: str, code: str, display: str, patient_id: int, issued: date, **value
) -> FhirDict:
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "code": {"coding": [coding(SURGERY_CS, code, display)], "text": display},
        "subject": patient_ref(patient_id),
        "effectiveDateTime": issued.isoformat(),
        **value,
    }


def _met_value(met: bool | None) -> FhirDict:
    if met is None:
        return {
            "dataAbsentReason": {
                "coding": [coding(c.DATA_ABSENT_SYSTEM, "unknown", "Unknown")],
            }
        }
    return {"valueBoolean": met}


def _criteria(evaluation, patient_id: int, today: date) -> list[FhirDict]:
    site = evaluation.pains.trigger_site
    resources = []
    for criterion in evaluation.pains.criteria:
        obs = _observation(
            f"pains-{patient_id}-{criterion.code.replace('_', '-')}",
            f"pains-{criterion.code.replace('_', '-')}",
            f"PAINS: {criterion.code.replace('_', ' ')}",
            patient_id,
            today,
            **_met_value(criterion.met),
        )
        obs["note"] = [{"text": criterion.detail}]
        if site is not None:
            obs["bodySite"] = _site_concept(site.value)
        resources.append(obs)
    return resources


def _sketch(evaluation, patient_id: int, today: date) -> list[FhirDict]:
    sketch = evaluation.sketch
    resources = []
    for row in sketch.rows():
        obs = _observation(
            f"sketch-{patient_id}-{row['trigger_site'].replace('_', '-')}",
            "sketch-share",
            "Share of headache days at the trigger site (last 28 days)",
            patient_id,
            today,
        )
        obs["effectivePeriod"] = {"start": sketch.start.isoformat(), "end": sketch.end.isoformat()}
        del obs["effectiveDateTime"]
        obs["bodySite"] = _site_concept(row["trigger_site"])
        if row["share"] is None:
            obs.update(_met_value(None))
        else:
            obs["valueQuantity"] = {
                "value": round(float(row["share"]) * 100, 1),
                "unit": "%",
                "system": c.UCUM_SYSTEM,
                "code": "%",
            }
        obs["note"] = [{"text": f"{row['headache_days']} of {row['located_days']} headache days"}]
        resources.append(obs)
    return resources


def _days(value) -> FhirDict | None:
    if value is None:
        return None
    return {"value": float(value), "unit": "d", "system": c.UCUM_SYSTEM, "code": "d"}


def _site_responses(evaluation, patient_id: int) -> list[FhirDict]:
    resources = []
    for i, line in enumerate(evaluation.sites):
        r = line.response
        obs = _observation(
            f"site-response-{patient_id}-{i + 1}",
            "site-response",
            "Response of the headaches starting at a trigger site to a diagnostic injection",
            patient_id,
            r.injected_on,
            **_met_value(r.responded),
        )
        obs["bodySite"] = _site_concept(r.trigger_site.value)
        obs["note"] = [{"text": f"{line.injection.what}, {r.side}: {r.reason}"}]
        components = []
        for code, display, value in (
            (
                "days-before",
                "Headache days at the site, 28 days before (per 28 days)",
                r.before.shown,
            ),
            ("days-after", "Headache days at the site, 28 days after (per 28 days)", r.after.shown),
        ):
            component: FhirDict = {"code": {"coding": [coding(SURGERY_CS, code, display)]}}
            if value is None:
                component["dataAbsentReason"] = {
                    "coding": [coding(c.DATA_ABSENT_SYSTEM, "unknown", "Unknown")]
                }
            else:
                component["valueQuantity"] = _days(value)
            components.append(component)
        obs["component"] = components
        resources.append(obs)
    return resources


def _nerve_blocks(patient, patient_id: int) -> list[FhirDict]:
    resources = []
    for block in NerveBlock.objects.filter(patient=patient).exclude(status=NoteStatus.VOIDED):
        resources.append(
            {
                "resourceType": "Procedure",
                "id": f"nerve-block-{block.pk}",
                "status": "completed" if block.status == NoteStatus.SIGNED else "in-progress",
                "code": {
                    "coding": [
                        coding(c.CPT_SYSTEM, code)
                        for code in (line["code"] for line in block.billing)
                    ]
                    or None,
                    "text": f"Nerve block: {block.nerve} ({block.agent}, {block.volume_ml} mL"
                    + (f", {block.dose_mg} mg" if block.dose_mg is not None else "")
                    + ")",
                },
                "subject": patient_ref(patient_id),
                "performedDateTime": block.performed_on.isoformat(),
                "bodySite": [_site_concept(block.trigger_site)],
                "note": [
                    {"text": ("Diagnostic. " if block.diagnostic else "") + f"Side: {block.side}."}
                ],
            }
        )
        if resources[-1]["code"]["coding"] is None:
            del resources[-1]["code"]["coding"]
    return resources


def surgery_packet_bundle(patient, *, today: date | None = None) -> FhirDict:
    """The packet as a FHIR document Bundle, validated with fhir.resources."""
    today = today or timezone.localdate()
    pid = patient.pk
    evaluation = surgery_selectors.evaluation_for(patient, today=today)
    courses, _ = surgery_selectors.botox_history(patient, today=today)
    diagnosis = Diagnosis.objects.filter(patient=patient).order_by("-id").first()
    conditions = [condition_resource(diagnosis, patient_id=pid)] if diagnosis else []
    sessions = [
        procedure_resource(p, patient_id=pid)
        for p in Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED).order_by(
            "performed_on", "id"
        )
    ]
    for session, course in zip(sessions, courses, strict=False):
        session["note"] = [{"text": f"Response of this cycle: {course.status}"}]
    blocks = _nerve_blocks(patient, pid)
    trials = [
        medication_statement_resource(t, patient_id=pid)
        for t in PreventiveTrial.objects.filter(patient=patient).order_by("start", "id")
    ]
    criteria = _criteria(evaluation, pid, today)
    sketch = _sketch(evaluation, pid, today)
    sites = _site_responses(evaluation, pid)
    site = evaluation.pains.trigger_site
    verdict = {True: "PAINS met", False: "PAINS not met", None: "PAINS not decided"}[
        evaluation.pains.candidate
    ]

    def section(title: str, resources: list[FhirDict], empty: str) -> FhirDict:
        out: FhirDict = {"title": title}
        if resources:
            out["entry"] = [reference(r["resourceType"], r["id"]) for r in resources]
        else:
            out["emptyReason"] = {"text": empty}
        return out

    now = timezone.make_aware(datetime.combine(today, time(12)))
    composition = {
        "resourceType": "Composition",
        "id": f"surgery-packet-{pid}-{today.isoformat()}",
        "status": "final",
        "type": {
            "coding": [
                coding(SURGERY_CS, "surgery-evaluation-packet", "Surgery-evaluation packet")
            ],
            "text": "Surgery-evaluation packet",
        },
        "subject": patient_ref(pid),
        "date": now.isoformat(),
        "author": [{"display": "Cadence"}],
        "title": "Surgery-evaluation packet"
        + (f": {TRIGGER_SITES[site].label}" if site else "")
        + f" ({verdict})",
        "section": [
            section("Surgery candidacy (PAINS)", criteria, "No criteria"),
            section("Pain sketch", sketch, "No diary"),
            section(
                "Site-level response to diagnostic injections and blocks",
                sites,
                "No diagnostic injection or block yet",
            ),
            section("Botox history", sessions, "No signed Botox session"),
            section("Nerve blocks", blocks, "No nerve block"),
            section("Diagnosis", conditions, "No diagnosis recorded"),
            section("Medication history", trials, "No preventive medicine recorded"),
        ],
    }
    resources = [
        composition,
        patient_resource(patient),
        *conditions,
        *criteria,
        *sketch,
        *sites,
        *sessions,
        *blocks,
        *trials,
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": f"surgery-packet-{pid}-{today.isoformat()}",
        "identifier": {
            "system": f"{c.CADENCE_FHIR_BASE}/NamingSystem/surgery-packet",
            "value": f"{pid}-{today.isoformat()}",
        },
        "type": "document",
        "timestamp": now.isoformat(),
        "entry": [
            {
                "fullUrl": f"{c.CADENCE_FHIR_BASE}/{r['resourceType']}/{r['id']}",
                "resource": r,
            }
            for r in resources
        ],
    }
    Bundle.model_validate(bundle)  # raises on a structural problem: a bug, not the user's
    return bundle
