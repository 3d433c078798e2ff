"""Code systems, identifiers and URLs of Cadence's FHIR R4 interface.

Only codes confirmed in clinic-reference.md section 6 come from external systems:
ICD-10-CM G43.7x, CPT 64615, HCPCS J0585 and, for G43.719 only, the US-edition SNOMED CT
concept 124171000119105. Everything else (diary observations, 28-day periods, MIDAS and
HIT-6 items and scores, injection sites, preventive drug classes and outcomes, side
effects) is coded in Cadence's own code systems under ``CADENCE_FHIR_BASE``; each one is
listed in the CapabilityStatement and readable at ``/fhir/r4/CodeSystem/<id>``.
"""

from __future__ import annotations

from django.conf import settings

from cadence.rules.candidacy import ICD10_CHRONIC_MIGRAINE_CODES

# Section 6's billing codes are defined once, in the rules; the FHIR mappers read them here.
from cadence.rules.vials import CPT_CHEMODENERVATION_MIGRAINE as CPT_CHEMODENERVATION_MIGRAINE
from cadence.rules.vials import HCPCS_ONABOTULINUMTOXINA as HCPCS_ONABOTULINUMTOXINA

#: This deployment's base URL (setting ``CADENCE_FHIR_BASE``): the canonical base of every
#: Cadence-defined code system, extension and questionnaire, and the system of its patient
#: identifiers. Each clinic sets its own, so identifiers never collide between clinics.
CADENCE_FHIR_BASE = settings.CADENCE_FHIR_BASE.rstrip("/")

# --- external systems (clinic-reference.md section 6) ----------------------------------
ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED_SYSTEM = "http://snomed.info/sct"
#: The US edition of SNOMED CT; 124171000119105 exists only there.
SNOMED_US_EDITION = "http://snomed.info/sct/731000124108"
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
UCUM_SYSTEM = "http://unitsofmeasure.org"
#: Toxin units in UCUM: ``U`` (the enzyme unit symbol, valid UCUM); ``[U]`` is not UCUM.
UCUM_TOXIN_UNIT = "U"
#: Unit codes accepted on import as toxin units (``[iU]`` and the invalid-but-common ``[U]``
#: too: what was meant is clear, and the value is kept as sent).
ACCEPTED_TOXIN_UNIT_CODES = frozenset({"U", "[iU]", "[IU]", "[U]"})

# HL7 terminology (FHIR's own code systems).
CONDITION_CLINICAL_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ADVERSE_SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
ADVERSE_SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
#: R4 (4.0.1) codes of adverse-event-seriousness, case as published (codes are case-sensitive).
SERIOUS = "Serious"
NON_SERIOUS = "Non-serious"

# Required bindings checked on import (the R4 value sets, every code).
ADMINISTRATIVE_GENDERS = frozenset({"male", "female", "other", "unknown"})
CONDITION_CLINICAL_CODES = frozenset(
    {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}
)
CONDITION_VERIFICATION_CODES = frozenset(
    {"unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error"}
)
MEDICATION_STATEMENT_STATUSES = frozenset(
    {
        "active",
        "completed",
        "entered-in-error",
        "intended",
        "stopped",
        "on-hold",
        "unknown",
        "not-taken",
    }
)
MEDICATION_REQUEST_STATUSES = frozenset(
    {
        "active",
        "on-hold",
        "cancelled",
        "completed",
        "entered-in-error",
        "stopped",
        "draft",
        "unknown",
    }
)
PROCEDURE_STATUSES = frozenset(
    {
        "preparation",
        "in-progress",
        "not-done",
        "on-hold",
        "stopped",
        "completed",
        "entered-in-error",
        "unknown",
    }
)
MEDICATION_ADMINISTRATION_STATUSES = frozenset(
    {"in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"}
)

#: Chronic-migraine ICD-10-CM codes (clinic-reference.md sections 1, 6 and 7: G43.7x and,
#: with aura, G43.E01/E09/E11/E19): the rules' one list, so forms, API and FHIR agree.
CHRONIC_MIGRAINE_ICD10 = dict(ICD10_CHRONIC_MIGRAINE_CODES)
#: Section 6: the US-edition concept, used only with that edition named and only for G43.719.
SNOMED_US_CHRONIC_MIGRAINE = "124171000119105"
SNOMED_US_CHRONIC_MIGRAINE_DISPLAY = "Chronic migraine without aura"
SNOMED_US_ICD10_MATCH = "G43.719"

CPT_CHEMODENERVATION_TEXT = "Chemodenervation for chronic migraine"
TOXIN_TEXT = "onabotulinumtoxinA"


def _cs(name: str) -> str:
    return f"{CADENCE_FHIR_BASE}/CodeSystem/{name}"


def _sd(name: str) -> str:
    return f"{CADENCE_FHIR_BASE}/StructureDefinition/{name}"


# --- Cadence code systems ----------------------------------------------------------------
OBSERVATION_CS = _cs("observation")
PEAK_SEVERITY_CS = _cs("peak-severity")
ACUTE_DRUG_CLASS_CS = _cs("acute-drug-class")
INJECTION_SITE_CS = _cs("injection-site")
QUESTIONNAIRE_CS = _cs("questionnaire")
HIT6_ANSWER_CS = _cs("hit6-answer")
PREVENTIVE_DRUG_CLASS_CS = _cs("preventive-drug-class")
PREVENTIVE_OUTCOME_CS = _cs("preventive-outcome")
SIDE_EFFECT_CS = _cs("side-effect")
RESPONDER_RULE_CS = _cs("responder-rule")
RESPONSE_STATUS_CS = _cs("response-status")
IDENTIFIER_SYSTEM_PATIENT = f"{CADENCE_FHIR_BASE}/NamingSystem/patient-id"

# Extensions.
EXT_RELIEVED = _sd("acute-medication-relieved")
EXT_DRUG_CLASS = _sd("preventive-drug-class")
EXT_PREVENTIVE_OUTCOME = _sd("preventive-outcome")
EXT_TOTAL_UNITS = _sd("procedure-total-units")
EXT_WASTED_UNITS = _sd("procedure-wasted-units")
EXT_NEUROLOGIST = _sd("confirmed-by-neurologist")
#: A vial opened in the session (complex: lot, expiry, size), repeated per vial.
EXT_VIAL = _sd("vial")
#: On the CapabilityStatement: each Cadence code system published (valueUri).
EXT_CODE_SYSTEM = _sd("code-system")

QUESTIONNAIRE_MIDAS_URL = f"{CADENCE_FHIR_BASE}/Questionnaire/midas"
QUESTIONNAIRE_HIT6_URL = f"{CADENCE_FHIR_BASE}/Questionnaire/hit-6"

# Observation codes (Cadence "observation" code system): code -> display.
DIARY_DAY = "diary-day"
DIARY_PERIOD = "diary-period-28d"
#: The course response Observations (``response-<patient>`` and
#: ``response-<patient>-week-24``): the outcomes app's response, its rule and exact numbers.
COURSE_RESPONSE = "course-response"
COURSE_REVIEW_24_WEEKS = "course-review-24-weeks"
#: Decimal places of the exact values in a response Observation (a count per 28 days is a
#: fraction such as 280/21; the raw counts and days recorded are exported beside it, so
#: a receiver can recompute it exactly). Display elsewhere rounds to 1.
RESPONSE_DECIMAL_PLACES = 6
OBSERVATION_CODES: dict[str, str] = {
    DIARY_DAY: "Headache diary day",
    "headache-hours": "Headache duration (hours)",
    "peak-severity": "Peak headache severity",
    "unilateral": "Unilateral pain",
    "pulsating": "Pulsating pain",
    "worse-with-activity": "Pain worse with routine physical activity",
    "nausea": "Nausea",
    "vomiting": "Vomiting",
    "photophobia": "Sensitivity to light",
    "phonophobia": "Sensitivity to sound",
    "aura": "Aura",
    "missed-activity": "Missed activity because of headache",
    "acute-medication": "Acute medication taken",
    "is-headache-day": "Headache day",
    "is-migraine-day": "Migraine day (incl. probable)",
    "is-moderate-severe-day": "Moderate/severe headache day",
    DIARY_PERIOD: "Headache diary, 28-day period",
    "period-baseline": "Baseline period (28 days before the first session)",
    "days-recorded": "Diary days recorded in the period",
    "headache-days": "Headache days (per 28 days)",
    "migraine-days": "Migraine days (per 28 days)",
    "moderate-severe-days": "Moderate/severe headache days (per 28 days)",
    "acute-medication-days": "Acute-medication days (per 28 days)",
    "triptan-days": "Triptan days (per 28 days)",
    "period-headache-hours": "Cumulative headache hours (per 28 days)",
    COURSE_RESPONSE: "Response to treatment: the latest ended 28-day period against the baseline",
    COURSE_REVIEW_24_WEEKS: "Response at the 24-week course review (weeks 21-24 against the baseline)",
    "responder-rule": "The payer profile's responder rule",
    "response-status": "Response status",
    "baseline-headache-days": "Baseline headache days (per 28 days, exact)",
    "baseline-headache-days-recorded": "Baseline headache days as recorded (not scaled)",
    "baseline-days-recorded": "Diary days recorded in the baseline period",
    "follow-up-headache-days": "Follow-up headache days (per 28 days, exact)",
    "follow-up-headache-days-recorded": "Follow-up headache days as recorded (not scaled)",
    "follow-up-days-recorded": "Diary days recorded in the follow-up period",
    "headache-day-change": "Change in headache days (per 28 days, exact)",
    "headache-day-percent-change": "Change in headache days against the baseline (percent, exact)",
}
#: Diary booleans in export order: (model field, observation code).
DIARY_BOOLEAN_FIELDS: tuple[tuple[str, str], ...] = (
    ("unilateral", "unilateral"),
    ("pulsating", "pulsating"),
    ("worse_with_activity", "worse-with-activity"),
    ("nausea", "nausea"),
    ("vomiting", "vomiting"),
    ("photophobia", "photophobia"),
    ("phonophobia", "phonophobia"),
    ("aura", "aura"),
    ("missed_activity", "missed-activity"),
    ("is_headache_day", "is-headache-day"),
    ("is_migraine_day", "is-migraine-day"),
    ("is_moderate_severe_day", "is-moderate-severe-day"),
)
#: 28-day period counts: (PeriodMetrics attribute, observation code, UCUM unit).
PERIOD_COUNT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("headache_days", "headache-days", "d"),
    ("migraine_days", "migraine-days", "d"),
    ("moderate_severe_days", "moderate-severe-days", "d"),
    ("acute_medication_days", "acute-medication-days", "d"),
    ("triptan_days", "triptan-days", "d"),
    ("headache_hours", "period-headache-hours", "h"),
)

#: The payer profile's responder rule (``cadence.rules.payer.ResponderRule``).
RESPONDER_RULE_CODES = {
    "percent_50": "At least 50% fewer headache days than baseline",
    "fewer_7_days": "At least 7 fewer headache days than baseline",
}
#: ``cadence.rules.outcomes.ResponseStatus``.
RESPONSE_STATUS_CODES = {
    "responder": "Responder",
    "partial": "Partial response (at least 30% fewer headache days)",
    "non_responder": "Non-responder",
    "insufficient_data": "Insufficient data",
}

PEAK_SEVERITY_CODES = {"none": "None", "mild": "Mild", "moderate": "Moderate", "severe": "Severe"}
ACUTE_DRUG_CLASS_CODES = {
    "triptan": "Triptan",
    "ergot": "Ergot",
    "opioid": "Opioid",
    "combination_analgesic": "Combination analgesic",
    "simple_analgesic": "Simple analgesic",
    "gepant": "Gepant",
    "antiemetic": "Antiemetic",
    "other": "Other",
}
PREVENTIVE_DRUG_CLASS_CODES = {
    "antiepileptic": "Antiepileptic",
    "beta_blocker": "Beta-blocker",
    "tricyclic": "Tricyclic",
    "snri": "SNRI",
    "arb_ace_inhibitor": "ARB/ACE inhibitor",
    "calcium_channel_blocker": "Calcium-channel blocker",
    "cgrp_antibody": "CGRP monoclonal antibody",
    "gepant": "Gepant",
    "other": "Other",
}
PREVENTIVE_OUTCOME_CODES = {
    "ineffective": "Ineffective",
    "not_tolerated": "Not tolerated",
    "contraindicated": "Contraindicated",
    "effective": "Effective",
    "ongoing": "Ongoing",
}

# Questionnaire codes (Cadence "questionnaire" code system).
MIDAS = "midas"
HIT6 = "hit-6"
QUESTIONNAIRE_CODES: dict[str, str] = {
    MIDAS: "MIDAS (Migraine Disability Assessment)",
    HIT6: "HIT-6 (Headache Impact Test)",
    "midas-score": "MIDAS total score",
    "midas-grade": "MIDAS grade",
    "hit-6-score": "HIT-6 total score",
    "hit-6-band": "HIT-6 impact band",
    **{f"midas-{n}": f"MIDAS scored item {n}" for n in range(1, 6)},
    **{f"hit-6-{n}": f"HIT-6 item {n}" for n in range(1, 7)},
}
HIT6_ANSWER_CODES = {
    "never": "Never",
    "rarely": "Rarely",
    "sometimes": "Sometimes",
    "very_often": "Very often",
    "always": "Always",
}

#: Resource types Cadence produces (CapabilityStatement, read endpoints).
RESOURCE_TYPES: tuple[str, ...] = (
    "Patient",
    "Condition",
    "MedicationStatement",
    "Procedure",
    "MedicationAdministration",
    "Observation",
    "Questionnaire",
    "QuestionnaireResponse",
    "Appointment",
    "AdverseEvent",
)
#: Types front desk may read (demographics and scheduling only).
DEMOGRAPHIC_TYPES = frozenset({"Patient", "Appointment"})
