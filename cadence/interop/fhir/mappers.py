"""Pure mappers: one Cadence record (or plain value object) -> one FHIR R4 resource dict.

No database access here: callers (``cadence.interop.selectors``) gather the records and
pass them in. Mappers read attributes with ``getattr`` defaults so that a record from an
app still being extended maps with whatever fields it has. Every dict produced validates
with ``fhir.resources.R4B`` (see the tests).

Resource ids (stable, readable at ``/fhir/r4/<Type>/<id>``):

==========================  ==========================================
Patient                     ``<patient pk>``
Condition                   ``diagnosis-<pk>``
MedicationStatement         ``trial-<pk>``
Procedure                   ``procedure-<pk>``
MedicationAdministration    ``injection-<pk>`` (one per injection site) or
                            ``procedure-<pk>`` (session total when no sites are recorded)
Observation                 ``diary-<pk>`` (a diary day),
                            ``period-<patient pk>-<YYYYMMDD start>`` (a 28-day period),
                            ``response-<patient pk>`` (the course response) and
                            ``response-<patient pk>-week-24`` (the 24-week review)
Questionnaire               ``midas``, ``hit-6``
QuestionnaireResponse       ``questionnaire-<pk>``
Appointment                 ``appointment-<pk>``
AdverseEvent                ``side-effect-<pk>``
==========================  ==========================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cadence.interop.fhir import codes as c
from cadence.rules.outcomes import exact_count
from cadence.rules.questionnaires import (
    HIT6_NEUTRAL_LABELS,
    MIDAS_ITEMS,
    hit6_band,
    midas_grade,
)
from cadence.rules.side_effects import SIDE_EFFECT_LABELS, SideEffect, is_urgent
from cadence.rules.sites import SITE_CATALOGUE, format_units
from cadence.treatments.models import ProcedureStatus

FhirDict = dict[str, Any]


# ---------------------------------------------------------------------------- helpers
def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _drop_empty(resource: FhirDict) -> FhirDict:
    """Remove keys whose value is None, "" or an empty list/dict (FHIR forbids empties)."""
    cleaned: FhirDict = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = _drop_empty(value)
        elif isinstance(value, list):
            value = [_drop_empty(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value in (None, "", {}, []):
            continue
        cleaned[key] = value
    return cleaned


def coding(
    system: str, code: str, display: str | None = None, version: str | None = None
) -> FhirDict:
    return _drop_empty({"system": system, "version": version, "code": code, "display": display})


def concept(
    system: str, code: str, table: dict[str, str] | None = None, text: str | None = None
) -> FhirDict:
    display = (table or {}).get(code)
    return _drop_empty({"coding": [coding(system, code, display)], "text": text or display})


def units_quantity(units: Decimal | float | int | None) -> FhirDict | None:
    """Toxin units as a FHIR Quantity (UCUM ``U``, the valid code; ``[U]`` is not UCUM)."""
    if units is None:
        return None
    value = float(Decimal(str(units)))
    return {"value": value, "unit": "U", "system": c.UCUM_SYSTEM, "code": c.UCUM_TOXIN_UNIT}


def _number(value: float | int) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def reference(resource_type: str, resource_id: str | int, display: str | None = None) -> FhirDict:
    return _drop_empty({"reference": f"{resource_type}/{resource_id}", "display": display})


def patient_ref(patient_id: int | str) -> FhirDict:
    return reference("Patient", patient_id)


def person_display(user) -> str | None:
    if user is None:
        return None
    name = getattr(user, "display_name", None) or str(user)
    return name or None


# ---------------------------------------------------------------------------- Patient
def patient_resource(patient) -> FhirDict:
    """Patient demographics."""
    telecom = []
    if getattr(patient, "phone", ""):
        telecom.append({"system": "phone", "value": patient.phone})
    if getattr(patient, "email", ""):
        telecom.append({"system": "email", "value": patient.email})
    sex = getattr(patient, "sex", "unknown") or "unknown"
    return _drop_empty(
        {
            "resourceType": "Patient",
            "id": str(patient.pk),
            "identifier": [{"system": c.IDENTIFIER_SYSTEM_PATIENT, "value": str(patient.pk)}],
            "active": True,
            "name": [
                {"use": "official", "family": patient.last_name, "given": [patient.first_name]}
            ],
            "telecom": telecom,
            "gender": sex if sex in ("female", "male", "other", "unknown") else "unknown",
            "birthDate": _iso(patient.date_of_birth),
            # The referring clinician (name and practice), as text: not a Cadence user.
            "generalPractitioner": [{"display": getattr(patient, "referring_clinician", "")}],
        }
    )


# ---------------------------------------------------------------------------- Condition
def condition_codings(icd10_code: str) -> list[FhirDict]:
    """ICD-10-CM always; SNOMED CT (US edition named) only for G43.719 (section 6)."""
    codings = [coding(c.ICD10CM_SYSTEM, icd10_code, c.CHRONIC_MIGRAINE_ICD10.get(icd10_code))]
    if icd10_code == c.SNOMED_US_ICD10_MATCH:
        codings.append(
            coding(
                c.SNOMED_SYSTEM,
                c.SNOMED_US_CHRONIC_MIGRAINE,
                c.SNOMED_US_CHRONIC_MIGRAINE_DISPLAY,
                version=c.SNOMED_US_EDITION,
            )
        )
    return codings


def condition_resource(diagnosis, *, patient_id: int) -> FhirDict:
    """A chronic-migraine diagnosis (ICD-10-CM G43.7x) and the neurologist who confirmed it."""
    icd10 = str(getattr(diagnosis, "icd10_code", "") or "")
    neurologist = str(getattr(diagnosis, "neurologist", "") or "")
    confirmed = bool(getattr(diagnosis, "confirmed_by_neurologist", False))
    return _drop_empty(
        {
            "resourceType": "Condition",
            "id": f"diagnosis-{diagnosis.pk}",
            "extension": [{"url": c.EXT_NEUROLOGIST, "valueBoolean": confirmed}],
            "clinicalStatus": concept(c.CONDITION_CLINICAL_SYSTEM, "active"),
            "verificationStatus": concept(
                c.CONDITION_VERIFICATION_SYSTEM, "confirmed" if confirmed else "provisional"
            ),
            "category": [concept(c.CONDITION_CATEGORY_SYSTEM, "encounter-diagnosis")],
            "code": {
                "coding": condition_codings(icd10),
                "text": c.CHRONIC_MIGRAINE_ICD10.get(icd10, icd10),
            },
            "subject": patient_ref(patient_id),
            "recordedDate": _iso(getattr(diagnosis, "confirmed_on", None)),
            "asserter": {"display": neurologist} if neurologist else None,
        }
    )


# ------------------------------------------------------------------ MedicationStatement
_TRIAL_STATUS = {
    "ongoing": "active",
    "effective": "completed",
    "ineffective": "stopped",
    "not_tolerated": "stopped",
    "contraindicated": "not-taken",
}


def medication_statement_resource(trial, *, patient_id: int) -> FhirDict:
    """A preventive trial (oral preventive or other) with its outcome."""
    outcome = getattr(trial, "outcome", "") or ""
    drug_class = getattr(trial, "drug_class", "") or ""
    end = getattr(trial, "end", None) or getattr(trial, "ended_on", None)
    start = getattr(trial, "start", None) or getattr(trial, "started_on", None)
    status = _TRIAL_STATUS.get(outcome, "unknown")
    if status == "active" and end is not None:
        status = "completed"
    outcome_concept = (
        concept(c.PREVENTIVE_OUTCOME_CS, outcome, c.PREVENTIVE_OUTCOME_CODES) if outcome else None
    )
    dose = getattr(trial, "dose", "") or ""
    return _drop_empty(
        {
            "resourceType": "MedicationStatement",
            "id": f"trial-{trial.pk}",
            "extension": [
                {
                    "url": c.EXT_DRUG_CLASS,
                    "valueCodeableConcept": concept(
                        c.PREVENTIVE_DRUG_CLASS_CS, drug_class, c.PREVENTIVE_DRUG_CLASS_CODES
                    ),
                }
                if drug_class
                else None,
                {"url": c.EXT_PREVENTIVE_OUTCOME, "valueCodeableConcept": outcome_concept}
                if outcome_concept
                else None,
            ],
            "status": status,
            "statusReason": [outcome_concept]
            if outcome_concept and status in ("stopped", "not-taken")
            else None,
            "medicationCodeableConcept": {"text": getattr(trial, "drug", "")},
            "subject": patient_ref(patient_id),
            "effectivePeriod": {"start": _iso(start), "end": _iso(end)},
            # A medicine the patient entered in the diary: they are the source, and it says
            # so until a clinician has confirmed it (issue 18).
            "informationSource": patient_ref(patient_id)
            if getattr(trial, "reported_by_patient", False)
            else None,
            "dosage": [{"text": str(dose)}] if dose else None,
            "note": [
                {"text": getattr(trial, "notes", "")},
                {"text": "Entered by the patient; not yet confirmed by the clinic."}
                if getattr(trial, "awaiting_confirmation", False)
                else None,
            ],
        }
    )


# ---------------------------------------------------------------------------- Procedure
def site_concept(site_code: str) -> FhirDict:
    """An injection site in Cadence's site code system (muscle, side, site number)."""
    spec = SITE_CATALOGUE.get(site_code)
    display = spec.label if spec else site_code
    return {"coding": [coding(c.INJECTION_SITE_CS, site_code, display)], "text": display}


def procedure_resource(
    procedure, *, patient_id: int, site_codes: Sequence[str] = (), condition_ids: Sequence[str] = ()
) -> FhirDict:
    """One treatment session: CPT 64615, once per session (section 2)."""
    performed_at = getattr(procedure, "performed_at", None)
    status = getattr(procedure, "status", ProcedureStatus.SIGNED)
    clinician = (
        getattr(procedure, "clinician", None) if getattr(procedure, "clinician_id", None) else None
    )
    return _drop_empty(
        {
            "resourceType": "Procedure",
            "id": f"procedure-{procedure.pk}",
            "extension": [
                {"url": c.EXT_TOTAL_UNITS, "valueQuantity": units_quantity(procedure.total_units)},
                {
                    "url": c.EXT_WASTED_UNITS,
                    "valueQuantity": units_quantity(procedure.wasted_units),
                },
            ],
            "status": "completed" if status == ProcedureStatus.SIGNED else "in-progress",
            "code": {
                "coding": [coding(c.CPT_SYSTEM, c.CPT_CHEMODENERVATION_MIGRAINE)],
                "text": c.CPT_CHEMODENERVATION_TEXT,
            },
            "subject": patient_ref(patient_id),
            "performedDateTime": _iso(performed_at)
            if performed_at
            else _iso(procedure.performed_on),
            "performer": [{"actor": {"display": person_display(clinician)}}] if clinician else None,
            "reasonReference": [reference("Condition", cid) for cid in condition_ids],
            "bodySite": [site_concept(code) for code in site_codes],
        }
    )


def toxin_medication(vials: Sequence = (), vial=None) -> FhirDict:
    """The contained Medication: onabotulinumtoxinA (HCPCS J0585). ``batch`` holds the lot
    and expiry of the vial the dose came from (``vial``), or, when none is recorded, of
    the session's vials when they were all of a single lot."""
    lots = {(v.lot_number, v.expires_on) for v in vials}
    sizes = {v.size_units for v in vials}
    lot, expires_on = next(iter(lots)) if len(lots) == 1 else (None, None)
    if vial is not None:
        lot, expires_on = vial.lot_number, vial.expires_on
        sizes = {vial.size_units}
    return _drop_empty(
        {
            "resourceType": "Medication",
            "id": "toxin",
            "code": {
                "coding": [coding(c.HCPCS_SYSTEM, c.HCPCS_ONABOTULINUMTOXINA)],
                "text": c.TOXIN_TEXT,
            },
            "amount": {
                "numerator": units_quantity(next(iter(sizes))),
                "denominator": {"value": 1, "unit": "vial"},
            }
            if len(sizes) == 1
            else None,
            "batch": {"lotNumber": lot, "expirationDate": _iso(expires_on)} if lot else None,
        }
    )


def vial_extension(vial) -> FhirDict:
    """One vial opened in the session: lot number, expiry date and size in units."""
    return {
        "url": c.EXT_VIAL,
        "extension": [
            {"url": "lot", "valueString": vial.lot_number},
            {"url": "expiry", "valueDate": _iso(vial.expires_on)},
            {"url": "size", "valueQuantity": units_quantity(vial.size_units)},
        ],
    }


def medication_administration_resource(
    *,
    resource_id: str,
    procedure,
    patient_id: int,
    units: Decimal | float | int,
    site_code: str | None = None,
    vials: Sequence = (),
    vial=None,
) -> FhirDict:
    """The toxin given at one site (or the whole session when no sites are recorded), with
    every vial of the session (lot, expiry, size: the vial extensions) and, in the
    contained Medication's ``batch``, the lot of the vial this dose came from (``vial``,
    a ``ProcedureVial``; issue 17: each injection linked to its vial)."""
    performed_at = getattr(procedure, "performed_at", None)
    status = getattr(procedure, "status", ProcedureStatus.SIGNED)
    site = site_concept(site_code) if site_code else None
    return _drop_empty(
        {
            "resourceType": "MedicationAdministration",
            "id": resource_id,
            "contained": [toxin_medication(vials, vial)],
            "extension": [vial_extension(v) for v in vials],
            "partOf": [reference("Procedure", f"procedure-{procedure.pk}")],
            "status": "completed" if status == ProcedureStatus.SIGNED else "in-progress",
            "medicationReference": {"reference": "#toxin"},
            "subject": patient_ref(patient_id),
            "effectiveDateTime": _iso(performed_at)
            if performed_at
            else _iso(procedure.performed_on),
            "dosage": {
                "site": site,
                "route": {"text": "intramuscular"},
                "dose": units_quantity(units),
                "text": f"{format_units(Decimal(str(units)))} U"
                + (f" at {site['text']}" if site else ""),
            },
        }
    )


# ---------------------------------------------------------------------------- Observation
def _obs_code(code: str) -> FhirDict:
    return {
        "coding": [coding(c.OBSERVATION_CS, code, c.OBSERVATION_CODES.get(code))],
        "text": c.OBSERVATION_CODES.get(code, code),
    }


_SURVEY = [concept(c.OBSERVATION_CATEGORY_SYSTEM, "survey")]


def diary_day_resource(day, *, patient_id: int | None = None) -> FhirDict:
    """One diary day: duration, peak severity, features, acute medicines, classification."""
    pid = patient_id if patient_id is not None else day.patient_id
    components: list[FhirDict] = [
        {
            "code": _obs_code("headache-hours"),
            "valueQuantity": {
                "value": _number(day.headache_hours),
                "unit": "h",
                "system": c.UCUM_SYSTEM,
                "code": "h",
            },
        },
        {
            "code": _obs_code("peak-severity"),
            "valueCodeableConcept": concept(
                c.PEAK_SEVERITY_CS, day.peak_severity, c.PEAK_SEVERITY_CODES
            ),
        },
    ]
    for field_name, code in c.DIARY_BOOLEAN_FIELDS:
        components.append(
            {"code": _obs_code(code), "valueBoolean": bool(getattr(day, field_name, False))}
        )
    for medicine in getattr(day, "acute_medications", None) or []:
        if not isinstance(medicine, dict):
            continue
        drug_class = str(medicine.get("drug_class") or "other")
        components.append(
            {
                "extension": [
                    {"url": c.EXT_RELIEVED, "valueBoolean": bool(medicine.get("relieved"))}
                ],
                "code": _obs_code("acute-medication"),
                "valueCodeableConcept": concept(
                    c.ACUTE_DRUG_CLASS_CS,
                    drug_class,
                    c.ACUTE_DRUG_CLASS_CODES,
                    text=str(medicine.get("name") or "") or None,
                ),
            }
        )
    return _drop_empty(
        {
            "resourceType": "Observation",
            "id": f"diary-{day.pk}",
            "status": "final",
            "category": _SURVEY,
            "code": _obs_code(c.DIARY_DAY),
            "subject": patient_ref(pid),
            "effectiveDateTime": _iso(day.date),
            "component": components,
            "note": [{"text": getattr(day, "notes", "")}],
        }
    )


def period_observation_id(patient_id: int, start: date) -> str:
    return f"period-{patient_id}-{start:%Y%m%d}"


def period_resource(period, *, patient_id: int, baseline: bool) -> FhirDict:
    """One 28-day period (``cadence.rules.outcomes.PeriodMetrics``): counts scaled to 28
    days; counts are absent (data-absent-reason) when fewer than 20 days were recorded."""
    components: list[FhirDict] = [
        {"code": _obs_code("period-baseline"), "valueBoolean": baseline},
        {
            "code": _obs_code("days-recorded"),
            "valueQuantity": {
                "value": period.days_recorded,
                "unit": "d",
                "system": c.UCUM_SYSTEM,
                "code": "d",
            },
        },
    ]
    for attribute, code, unit in c.PERIOD_COUNT_FIELDS:
        value = getattr(period, attribute)
        if value is None:
            components.append(
                {
                    "code": _obs_code(code),
                    "dataAbsentReason": concept(c.DATA_ABSENT_SYSTEM, "unknown"),
                }
            )
        else:
            components.append(
                {
                    "code": _obs_code(code),
                    "valueQuantity": {
                        "value": _number(value),
                        "unit": unit,
                        "system": c.UCUM_SYSTEM,
                        "code": unit,
                    },
                }
            )
    return _drop_empty(
        {
            "resourceType": "Observation",
            "id": period_observation_id(patient_id, period.start),
            "status": "final" if period.complete else "preliminary",
            "category": _SURVEY,
            "code": _obs_code(c.DIARY_PERIOD),
            "subject": patient_ref(patient_id),
            "effectivePeriod": {"start": _iso(period.start), "end": _iso(period.end)},
            "component": components,
        }
    )


def exact_decimal(value: Fraction) -> float | int:
    """An exact count (a ``Fraction`` such as 280/21) as a decimal of
    ``RESPONSE_DECIMAL_PLACES`` places (exact whenever it terminates within them)."""
    places = Decimal(1).scaleb(-c.RESPONSE_DECIMAL_PLACES)
    number = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places)
    return _number(number.normalize())


def response_observation_id(patient_id: int, *, review: bool) -> str:
    return f"response-{patient_id}" + ("-week-24" if review else "")


def _days(value: float | int, unit: str = "d") -> FhirDict:
    return {"value": _number(value), "unit": unit, "system": c.UCUM_SYSTEM, "code": unit}


def response_resource(response, baseline, *, patient_id: int, review: bool = False) -> FhirDict:
    """The course response (``cadence.rules.outcomes.Response`` against ``baseline``, a
    ``PeriodMetrics``): the payer profile's rule, the status (responder, partial,
    non-responder, insufficient data) over the compared period, and the baseline and
    follow-up headache days per 28 days, their change and percent change as exact
    decimals (``exact_count``: the unrounded values the status was decided on), with
    the raw counts and days recorded they come from. ``review=True``: the 24-week course
    review (the weeks 21-24 period)."""
    period = response.compared_period
    status = str(response.status)
    rule = str(response.rule)
    components: list[FhirDict] = [
        {
            "code": _obs_code("responder-rule"),
            "valueCodeableConcept": concept(c.RESPONDER_RULE_CS, rule, c.RESPONDER_RULE_CODES),
        },
        {
            "code": _obs_code("response-status"),
            "valueCodeableConcept": concept(c.RESPONSE_STATUS_CS, status, c.RESPONSE_STATUS_CODES),
        },
    ]
    exact: dict[str, Fraction | None] = {}
    for prefix, metrics in (("baseline", baseline), ("follow-up", period)):
        if metrics is None:
            continue
        count = exact_count(metrics)
        exact[prefix] = count
        if count is not None:
            components += [
                {
                    "code": _obs_code(f"{prefix}-headache-days"),
                    "valueQuantity": _days(exact_decimal(count)),
                },
                {
                    "code": _obs_code(f"{prefix}-headache-days-recorded"),
                    "valueQuantity": _days(metrics.raw.headache_days),
                },
            ]
        components.append(
            {
                "code": _obs_code(f"{prefix}-days-recorded"),
                "valueQuantity": _days(metrics.days_recorded),
            }
        )
    base, follow = exact.get("baseline"), exact.get("follow-up")
    if status != "insufficient_data" and base and follow is not None:
        change = follow - base
        components += [
            {
                "code": _obs_code("headache-day-change"),
                "valueQuantity": _days(exact_decimal(change)),
            },
            {
                "code": _obs_code("headache-day-percent-change"),
                "valueQuantity": _days(exact_decimal(change * 100 / base), "%"),
            },
        ]
    code = c.COURSE_REVIEW_24_WEEKS if review else c.COURSE_RESPONSE
    derived = [
        reference("Observation", period_observation_id(patient_id, p.start))
        for p in (baseline, period)
        if p is not None
    ]
    return _drop_empty(
        {
            "resourceType": "Observation",
            "id": response_observation_id(patient_id, review=review),
            "status": "final",
            "category": [concept(c.OBSERVATION_CATEGORY_SYSTEM, "therapy")],
            "code": _obs_code(code),
            "subject": patient_ref(patient_id),
            "effectivePeriod": {"start": _iso(period.start), "end": _iso(period.end)}
            if period is not None
            else None,
            "valueCodeableConcept": concept(c.RESPONSE_STATUS_CS, status, c.RESPONSE_STATUS_CODES),
            "note": [{"text": response.reason}],
            "derivedFrom": derived,
            "component": components,
        }
    )


# ------------------------------------------------------------------------- Questionnaire
def _q_code(code: str) -> FhirDict:
    return coding(c.QUESTIONNAIRE_CS, code, c.QUESTIONNAIRE_CODES.get(code))


def questionnaire_resource(instrument: str) -> FhirDict:
    """The MIDAS or HIT-6 Questionnaire. HIT-6 carries neutral labels only (licensed text)."""
    if instrument == c.MIDAS:
        items = [
            {
                "linkId": f"midas-{n}",
                "code": [_q_code(f"midas-{n}")],
                "text": text,
                "type": "integer",
                "required": True,
            }
            for n, text in enumerate(MIDAS_ITEMS, start=1)
        ]
        url, title = c.QUESTIONNAIRE_MIDAS_URL, "MIDAS"
        score_items = [
            {
                "linkId": "midas-score",
                "code": [_q_code("midas-score")],
                "text": "Total score",
                "type": "integer",
                "readOnly": True,
            },
            {
                "linkId": "midas-grade",
                "code": [_q_code("midas-grade")],
                "text": "Grade",
                "type": "string",
                "readOnly": True,
            },
        ]
    else:
        answer_options = [
            {"valueCoding": coding(c.HIT6_ANSWER_CS, code, label)}
            for code, label in c.HIT6_ANSWER_CODES.items()
        ]
        items = [
            {
                "linkId": f"hit-6-{n}",
                "code": [_q_code(f"hit-6-{n}")],
                "text": label,
                "type": "choice",
                "required": True,
                "answerOption": answer_options,
            }
            for n, label in enumerate(HIT6_NEUTRAL_LABELS, start=1)
        ]
        url, title = c.QUESTIONNAIRE_HIT6_URL, "HIT-6"
        score_items = [
            {
                "linkId": "hit-6-score",
                "code": [_q_code("hit-6-score")],
                "text": "Total score",
                "type": "integer",
                "readOnly": True,
            },
            {
                "linkId": "hit-6-band",
                "code": [_q_code("hit-6-band")],
                "text": "Impact band",
                "type": "string",
                "readOnly": True,
            },
        ]
    return {
        "resourceType": "Questionnaire",
        "id": instrument,
        "url": url,
        "name": title.replace("-", ""),
        "title": title,
        "status": "active",
        "subjectType": ["Patient"],
        "code": [_q_code(instrument)],
        "item": items + score_items,
    }


def _instrument_code(instrument: str) -> str:
    return c.HIT6 if instrument.upper().replace("_", "-") in ("HIT-6", "HIT6") else c.MIDAS


def questionnaire_response_resource(response, *, patient_id: int) -> FhirDict:
    """A completed MIDAS or HIT-6 with its answers, score and grade/band."""
    instrument = _instrument_code(str(getattr(response, "instrument", "")))
    answers = list(getattr(response, "answers", None) or [])
    score = getattr(response, "score", None)
    completed_on = getattr(response, "completed_on", None)
    items: list[FhirDict] = []
    if instrument == c.MIDAS:
        for n, value in enumerate(answers[: len(MIDAS_ITEMS)], start=1):
            items.append(
                {
                    "linkId": f"midas-{n}",
                    "text": MIDAS_ITEMS[n - 1],
                    "answer": [{"valueInteger": int(value)}],
                }
            )
        if score is None and len(answers) == len(MIDAS_ITEMS):
            score = sum(int(v) for v in answers)
        if score is not None:
            grade = getattr(response, "grade", None) or midas_grade(int(score))
            items.append({"linkId": "midas-score", "answer": [{"valueInteger": int(score)}]})
            items.append({"linkId": "midas-grade", "answer": [{"valueString": str(grade)}]})
        url = c.QUESTIONNAIRE_MIDAS_URL
    else:
        for n, value in enumerate(answers[: len(HIT6_NEUTRAL_LABELS)], start=1):
            items.append(
                {
                    "linkId": f"hit-6-{n}",
                    "text": HIT6_NEUTRAL_LABELS[n - 1],
                    "answer": [
                        {
                            "valueCoding": coding(
                                c.HIT6_ANSWER_CS, str(value), c.HIT6_ANSWER_CODES.get(str(value))
                            )
                        }
                    ],
                }
            )
        if score is not None:
            band = getattr(response, "band", None) or hit6_band(int(score))
            items.append({"linkId": "hit-6-score", "answer": [{"valueInteger": int(score)}]})
            items.append({"linkId": "hit-6-band", "answer": [{"valueString": str(band)}]})
        url = c.QUESTIONNAIRE_HIT6_URL
    return _drop_empty(
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"questionnaire-{response.pk}",
            "questionnaire": url,
            "status": "completed",
            "subject": patient_ref(patient_id),
            "authored": _iso(completed_on),
            "item": items,
        }
    )


# ------------------------------------------------------------------------- Appointment
_APPOINTMENT_STATUS = {
    "booked": "booked",
    "scheduled": "booked",
    "confirmed": "booked",
    "arrived": "arrived",
    "attended": "fulfilled",
    "completed": "fulfilled",
    "fulfilled": "fulfilled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "no_show": "noshow",
    "noshow": "noshow",
    "proposed": "proposed",
    "pending": "pending",
}


def appointment_resource(appointment, *, patient_id: int) -> FhirDict:
    start = getattr(appointment, "starts_at", None) or getattr(appointment, "start", None)
    end = getattr(appointment, "ends_at", None) or getattr(appointment, "end", None)
    status = _APPOINTMENT_STATUS.get(str(getattr(appointment, "status", "booked")), "booked")
    kind = getattr(appointment, "get_kind_display", None)
    kind_text = kind() if callable(kind) else str(getattr(appointment, "kind", "") or "")
    has_times = isinstance(start, datetime) and isinstance(end, datetime)
    if status not in ("proposed", "cancelled", "waitlist") and not has_times:
        status = "proposed"
    return _drop_empty(
        {
            "resourceType": "Appointment",
            "id": f"appointment-{appointment.pk}",
            "status": status,
            "appointmentType": {"text": kind_text} if kind_text else None,
            "description": kind_text or None,
            "start": _iso(start) if has_times else None,
            "end": _iso(end) if has_times else None,
            "participant": [
                {"actor": patient_ref(patient_id), "status": "accepted"},
                {
                    "actor": {"display": person_display(getattr(appointment, "clinician", None))},
                    "status": "accepted",
                }
                if getattr(appointment, "clinician_id", None)
                else None,
            ],
        }
    )


# ------------------------------------------------------------------------- AdverseEvent
def adverse_event_resource(report, *, patient_id: int) -> FhirDict:
    """A side effect reported after a session (section 5); urgent ones are "serious"."""
    effect = str(getattr(report, "effect", "") or "")
    try:
        label = SIDE_EFFECT_LABELS[SideEffect(effect)]
        # section 7: a common effect reported severe is urgent too
        urgent = is_urgent(effect) or bool(getattr(report, "urgent", False))
    except ValueError:
        label, urgent = effect, bool(getattr(report, "urgent", False))
    severity = str(getattr(report, "severity", "") or "")
    procedure_id = getattr(report, "procedure_id", None)
    return _drop_empty(
        {
            "resourceType": "AdverseEvent",
            "id": f"side-effect-{report.pk}",
            "actuality": "actual",
            "event": {"coding": [coding(c.SIDE_EFFECT_CS, effect, label)], "text": label},
            "subject": patient_ref(patient_id),
            "date": _iso(getattr(report, "onset_on", None)),
            "recordedDate": _iso(getattr(report, "created_at", None)),
            "seriousness": concept(
                c.ADVERSE_SERIOUSNESS_SYSTEM, c.SERIOUS if urgent else c.NON_SERIOUS
            ),
            "severity": concept(c.ADVERSE_SEVERITY_SYSTEM, severity)
            if severity in ("mild", "moderate", "severe")
            else None,
            "suspectEntity": [{"instance": reference("Procedure", f"procedure-{procedure_id}")}]
            if procedure_id
            else None,
        }
    )


# ---------------------------------------------------------------------------- Bundles
def bundle_entry(resource: FhirDict, base_url: str) -> FhirDict:
    return {
        "fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": "match"},
    }


def searchset_bundle(
    resources: Iterable[FhirDict], base_url: str, *, total: int | None = None
) -> FhirDict:
    entries = [bundle_entry(r, base_url) for r in resources]
    return _drop_empty(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(entries) if total is None else total,
            "entry": entries,
        }
    )


def operation_outcome(
    issues: Iterable[tuple[str, str]] | str, *, severity: str = "error", code: str = "processing"
) -> FhirDict:
    """An OperationOutcome. ``issues`` is a message or (location, message) pairs."""
    if isinstance(issues, str):
        issue_list = [{"severity": severity, "code": code, "diagnostics": issues}]
    else:
        issue_list = []
        for location, message in issues:
            issue = {"severity": severity, "code": code, "diagnostics": message}
            if location:
                issue["expression"] = [location]
            issue_list.append(issue)
    return {
        "resourceType": "OperationOutcome",
        "issue": issue_list or [{"severity": severity, "code": code}],
    }
