"""Schemas of the patients API."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import field_validator

from cadence.patients.contact import check_email, normalise_phone

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


class PreventiveTrialIn(Schema):
    drug: str
    drug_class: DrugClassValue
    start: date
    end: date | None = None
    dose: str = ""
    outcome: OutcomeValue


class PreventiveTrialOut(Schema):
    id: int
    drug: str
    drug_class: str
    start: date
    end: date | None
    dose: str
    outcome: str


class ChecklistOut(Schema):
    infection_at_site: str
    hypersensitivity: str
    neuromuscular_disease: str
    aminoglycosides: str
    swallowing_or_breathing_difficulty: str
    pregnant_or_breastfeeding: str


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
    age_override_reason: str
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
    payer_profile: str
    history: HistoryOut | None = None
    diagnosis: DiagnosisOut | None = None
    preventive_trials: list[PreventiveTrialOut] | None = None
    candidacy_decision: DecisionOut | None = None
