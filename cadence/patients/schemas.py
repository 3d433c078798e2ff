"""Schemas of the patients API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema, field_validator

from cadence.accounts.validation import bounded_integer
from cadence.patients.contact import check_email, normalise_phone
from cadence.patients.selectors import trial_adequacy_for

SexValue = Literal["female", "male", "other", "unknown"]
DrugClassValue = Literal[
    "antiepileptic",
    "beta_blocker",
    "tricyclic",
    "snri",
    "arb_ace_inhibitor",
    "calcium_channel_blocker",
    "cgrp_antibody",
    "gepant",
    "other",
]
OutcomeValue = Literal["ineffective", "not_tolerated", "contraindicated", "effective", "ongoing"]


class PatientIn(Schema):
    first_name: str
    last_name: str
    date_of_birth: date
    sex: SexValue = "unknown"
    email: str = ""
    phone: str = ""
    referring_clinician: str = ""
    # Optional since API 1.x (issue 19): the referrer's practice and address, the member ID.
    referrer_practice: str = Field("", max_length=200)
    referrer_address: str = Field("", max_length=500)
    payer_member_id: str = Field("", max_length=64)

    @field_validator("first_name", "last_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("This field is required.")
        if len(value) > 100:
            raise ValueError("At most 100 characters.")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value) if value.strip() else ""

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value) if value.strip() else ""

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, value: date) -> date:
        from django.utils import timezone

        if value >= timezone.localdate():
            raise ValueError("The date of birth must be in the past.")
        return value


class DiagnosisOut(Schema):
    icd10_code: str
    confirmed_by_neurologist: bool
    neurologist: str
    confirmed_on: date | None


AnswerValue = Literal["yes", "no", "unknown"]


class MedicalHistoryIn(Schema):
    """Any of the checklist answers and the headache pattern; fields left out keep their
    value (contract 1.1)."""

    infection_at_site: AnswerValue | None = None
    hypersensitivity: AnswerValue | None = None
    neuromuscular_disease: AnswerValue | None = None
    aminoglycosides: AnswerValue | None = None
    swallowing_or_breathing_difficulty: AnswerValue | None = None
    pregnant_or_breastfeeding: AnswerValue | None = None
    medication_overuse: AnswerValue | None = None
    headache_days_per_month: bounded_integer(ge=0, le=31) | None = None
    migraine_days_per_month: bounded_integer(ge=0, le=31) | None = None
    months_with_pattern: bounded_integer(ge=0, le=1200) | None = None
    preventive_history_taken: bool | None = None


class MedicalHistoryOut(Schema):
    infection_at_site: str
    hypersensitivity: str
    neuromuscular_disease: str
    aminoglycosides: str
    swallowing_or_breathing_difficulty: str
    pregnant_or_breastfeeding: str
    medication_overuse: str
    headache_days_per_month: int | None
    migraine_days_per_month: int | None
    months_with_pattern: int | None
    preventive_history_taken: bool
    medical_history: str
    current_medicines: str


class DiagnosisIn(Schema):
    icd10_code: str = Field(..., max_length=20)
    confirmed_by_neurologist: bool = True
    neurologist: str = Field("", max_length=200)
    confirmed_on: date | None = None


class DiagnosisCreatedOut(DiagnosisOut):
    id: int


#: Days per 28 (0 to 28 in 0.1 steps) and a daily dose in mg (above 0, below 100,000, in
#: 0.01 steps), as JSON numbers or strings: documented as exactly what is accepted.
BaselineDays = Annotated[
    Decimal,
    Field(ge=0, le=28, max_digits=3, decimal_places=1),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 28, "multipleOf": 0.1},
                {"type": "string", "pattern": r"^(?:(?:1?[0-9]|2[0-7])(?:\.[0-9])?|28(?:\.0)?)$"},
            ]
        }
    ),
]
DailyDoseMg = Annotated[
    Decimal,
    Field(gt=0, max_digits=7, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": 99999.99,
                    "multipleOf": 0.01,
                },
                {
                    "type": "string",
                    "pattern": r"^(?:[1-9][0-9]{0,4}(?:\.[0-9]{1,2})?|0\.(?:0[1-9]|[1-9][0-9]?))$",
                },
            ]
        }
    ),
]


class PreventiveTrialIn(Schema):
    drug: str
    drug_class: DrugClassValue
    start: date
    end: date | None = None
    dose: str = ""
    outcome: OutcomeValue
    #: Optional (version 1.1 addition): the highest daily dose in mg, and how many weeks it
    #: was taken when the dates do not say. Payers check an adequate trial.
    daily_dose_mg: DailyDoseMg | None = None
    duration_weeks: int | None = Field(None, ge=1, le=1000)


class PreventiveTrialOut(Schema):
    id: int
    drug: str
    drug_class: str
    start: date
    end: date | None
    dose: str
    outcome: str
    daily_dose_mg: Decimal | None = None
    duration_weeks: int | None = None
    #: ``adequate``, ``too_short``, ``low_dose``, ``unknown_duration``,
    #: ``dose_not_checked`` or ``not_applicable`` (cadence.rules.preventives).
    adequacy: str = ""
    adequacy_detail: str = ""
    reported_by_patient: bool = Field(
        False,
        description="Entered by the patient (issue 18); counts for candidacy only once "
        "a clinician confirmed it (`confirmed_at`).",
    )
    confirmed_at: datetime | None = Field(
        None, description="When a clinician confirmed a patient-reported medicine."
    )

    @staticmethod
    def resolve_adequacy(obj) -> str:
        return str(trial_adequacy_for(obj).adequacy) if hasattr(obj, "pk") else ""

    @staticmethod
    def resolve_adequacy_detail(obj) -> str:
        return trial_adequacy_for(obj).detail if hasattr(obj, "pk") else ""


class HistoricalBaselineIn(Schema):
    """A patient transferring in: the baseline before treatment elsewhere."""

    headache_days: BaselineDays
    migraine_days: BaselineDays | None = None
    source: str = Field(..., max_length=200)
    recorded_on: date


class HistoricalBaselineOut(Schema):
    id: int
    headache_days: Decimal
    migraine_days: Decimal | None
    source: str
    recorded_on: date


class ChecklistOut(Schema):
    infection_at_site: str
    hypersensitivity: str
    neuromuscular_disease: str
    aminoglycosides: str
    swallowing_or_breathing_difficulty: str
    pregnant_or_breastfeeding: str
    medication_overuse: str


class HistoryOut(Schema):
    headache_days_per_month: int | None
    migraine_days_per_month: int | None
    months_with_pattern: int | None
    medical_history: str
    current_medicines: str
    checklist: ChecklistOut


class DecisionOut(Schema):
    decision: str
    note: str
    override_reason: str
    outside_protocol: bool
    decided_by: str
    decided_at: datetime


class PatientOut(Schema):
    """The record. Front desk and admin get demographics only (the clinical parts null)."""

    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str
    email: str
    phone: str
    referring_clinician: str
    referrer_practice: str = ""
    referrer_address: str = ""
    payer_profile: str
    payer_member_id: str = ""
    history: HistoryOut | None = None
    diagnosis: DiagnosisOut | None = None
    preventive_trials: list[PreventiveTrialOut] | None = None
    candidacy_decision: DecisionOut | None = None
