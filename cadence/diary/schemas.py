"""API schemas of the diary app (the contract's "A diary day", questionnaires and
side-effect reports)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt, StrictStr

from cadence.rules.diary import AcuteDrugClass, PeakSeverity
from cadence.rules.side_effects import Severity, SideEffect

from .services import MEDICINE_NAME_MAX_LENGTH, NOTES_MAX_LENGTH


class AcuteMedicationIn(Schema):
    name: str = Field(..., min_length=1, max_length=MEDICINE_NAME_MAX_LENGTH)
    drug_class: AcuteDrugClass
    relieved: bool = False


class DiaryDayIn(Schema):
    """One day of the headache diary. `headache_hours` 0 means no headache."""

    headache_hours: float = Field(..., ge=0, le=24, description="0-24; 0 means no headache")
    peak_severity: PeakSeverity = PeakSeverity.none
    unilateral: bool = False
    pulsating: bool = False
    worse_with_activity: bool = False
    nausea: bool = False
    vomiting: bool = False
    photophobia: bool = False
    phonophobia: bool = False
    aura: bool = False
    missed_activity: bool = False
    acute_medications: list[AcuteMedicationIn] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=NOTES_MAX_LENGTH)


class AcuteMedicationOut(Schema):
    name: str
    drug_class: str
    relieved: bool


class DiaryDayOut(Schema):
    """The stored day with its derived classification (clinic-reference.md section 1)."""

    patient_id: int
    date: dt.date
    headache_hours: float
    peak_severity: str
    unilateral: bool
    pulsating: bool
    worse_with_activity: bool
    nausea: bool
    vomiting: bool
    photophobia: bool
    phonophobia: bool
    aura: bool
    missed_activity: bool
    acute_medications: list[AcuteMedicationOut]
    notes: str
    is_headache_day: bool
    is_migraine_day: bool
    is_moderate_severe_day: bool
    is_probable_migraine_day: bool
    is_acute_medication_day: bool
    is_triptan_day: bool
    entered_on_behalf: bool
    updated_at: dt.datetime


class QuestionnaireIn(Schema):
    instrument: Literal["MIDAS", "HIT-6"]
    completed_on: dt.date
    answers: list[StrictInt | StrictStr] = Field(
        ...,
        max_length=10,
        description=(
            "MIDAS: the five scored day counts in questionnaire order (integers 0-90). "
            "HIT-6: six of never, rarely, sometimes, very_often, always."
        ),
    )


class ChangeOut(Schema):
    points: int
    percent: float | None
    meaningful: bool
    direction: str


class QuestionnaireOut(Schema):
    id: int
    instrument: str
    completed_on: dt.date
    answers: list[int | str]
    score: int
    grade: str | None = Field(None, description='MIDAS grade "I".."IV" (null for HIT-6)')
    band: str | None = Field(
        None, description='HIT-6 band "little", "some", "substantial", "severe" (null for MIDAS)'
    )
    change: ChangeOut | None = Field(
        None, description="Against the previous response of the same instrument, if any"
    )


class SideEffectIn(Schema):
    effect: SideEffect
    severity: Severity
    onset_on: dt.date
    notes: str = Field("", max_length=NOTES_MAX_LENGTH)


class SideEffectOut(Schema):
    id: int
    effect: str
    label: str
    severity: str
    onset_on: dt.date
    notes: str
    procedure_id: int | None
    urgent: bool
    advice: str | None
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
