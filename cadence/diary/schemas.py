"""API schemas of the diary app (the contract's "A diary day", questionnaires and
side-effect reports)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt, StrictStr

from cadence.accounts.validation import IsoDate, Number
from cadence.rules.diary import AcuteDrugClass, PeakSeverity
from cadence.rules.pain_regions import PainRegion
from cadence.rules.side_effects import Severity, SideEffect
from cadence.rules.triggers import OTHER_TRIGGERS_MAX_LENGTH, Trigger

from .services import MAX_ATTACKS_PER_DAY, MEDICINE_NAME_MAX_LENGTH, NOTES_MAX_LENGTH


class AcuteMedicationIn(Schema):
    name: str = Field(..., min_length=1, max_length=MEDICINE_NAME_MAX_LENGTH)
    drug_class: AcuteDrugClass
    relieved: bool = False


class AttackIn(Schema):
    """One attack, in local date-times (a time with an offset is turned into the clinic's
    local time). An attack across midnight is recorded on each day it touched."""

    started_at: dt.datetime = Field(..., examples=["2026-03-07T22:15"])
    ended_at: dt.datetime | None = Field(
        None, description="null while the attack goes on", examples=["2026-03-08T03:40"]
    )
    peak_severity: PeakSeverity = PeakSeverity.none


class AttackOut(Schema):
    started_at: dt.datetime
    ended_at: dt.datetime | None
    peak_severity: str


#: Version 1.1 fields of a diary day (all optional; absent or null means not recorded).
_PAIN_REGIONS_DOC = (
    "Where it hurt: codes of the published pain regions (left and right are the "
    "patient's). null or absent: not recorded."
)
_TRIGGERS_DOC = "Trigger codes from GET /diary/triggers. null or absent: not recorded."
_ATTACKS_DOC = (
    "The attacks that touched this day, in local date-times. The day's headache hours "
    "and worst pain are at least those of its attacks (the hours of the day they covered)."
)
_MENSTRUATING_DOC = "Whether the patient had her period that day (null: not recorded)."


class DiaryDayIn(Schema):
    """One day of the headache diary. `headache_hours` 0 means no headache."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "headache_hours": 6,
                    "peak_severity": "severe",
                    "pulsating": True,
                    "nausea": True,
                    "acute_medications": [
                        {"name": "sumatriptan", "drug_class": "triptan", "relieved": True}
                    ],
                    "pain_regions": ["temple_left", "eye_left"],
                    "triggers": ["poor_sleep", "stress"],
                    "other_triggers": "long drive",
                    "attacks": [
                        {
                            "started_at": "2026-03-07T14:00",
                            "ended_at": "2026-03-07T20:00",
                            "peak_severity": "severe",
                        }
                    ],
                    "menstruating": False,
                }
            ]
        }
    }

    headache_hours: Number = Field(..., ge=0, le=24, description="0-24; 0 means no headache")
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
    aura_without_headache: bool = Field(
        False, description="An aura with no headache at all (only with headache_hours 0)."
    )
    pain_regions: list[PainRegion] | None = Field(
        None,
        max_length=len(PainRegion),
        description=_PAIN_REGIONS_DOC,
        examples=[["temple_left", "back_of_head_left"]],
    )
    triggers: list[Trigger] | None = Field(
        None, max_length=len(Trigger), description=_TRIGGERS_DOC, examples=[["stress"]]
    )
    other_triggers: str = Field(
        "",
        max_length=OTHER_TRIGGERS_MAX_LENGTH,
        description="Triggers not on the list.",
        examples=["long drive"],
    )
    attacks: list[AttackIn] | None = Field(
        None, max_length=MAX_ATTACKS_PER_DAY, description=_ATTACKS_DOC
    )
    menstruating: bool | None = Field(None, description=_MENSTRUATING_DOC, examples=[True])


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
    aura_without_headache: bool
    pain_regions: list[str] | None = Field(..., description=_PAIN_REGIONS_DOC)
    triggers: list[str] | None = Field(..., description=_TRIGGERS_DOC)
    other_triggers: str
    attacks: list[AttackOut] | None = Field(..., description=_ATTACKS_DOC)
    menstruating: bool | None = Field(..., description=_MENSTRUATING_DOC)
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
    completed_on: IsoDate
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
    onset_on: IsoDate
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
    acknowledgement_note: str = Field("", description="What was done, written on acknowledging")
    escalated_at: dt.datetime | None = Field(
        None, description="When the on-call alert was sent again, unacknowledged after 30 minutes"
    )


class TriggerOut(Schema):
    code: str = Field(..., examples=["stress"])
    label: str = Field(..., examples=["Stress"])


class PainRegionDaysOut(Schema):
    region: str = Field(..., examples=["temple_left"])
    days: int = Field(..., description="On how many of the days the region hurt", examples=[9])


class PainMapOut(Schema):
    days: int = Field(..., examples=[28])
    regions: list[PainRegionDaysOut]


class FollowThePainSiteOut(Schema):
    site: str = Field(..., examples=["temporalis_left_ftp_1"])
    units: float = Field(..., examples=[5])
    region: str = Field(..., examples=["temple_left"])
    days: int = Field(..., examples=[9])


class FollowThePainOut(Schema):
    sites: list[FollowThePainSiteOut]


class AttackStartIn(Schema):
    started_at: dt.datetime | None = Field(None, description="Local time; default now.")


class AttackEndIn(Schema):
    ended_at: dt.datetime | None = Field(None, description="Local time; default now.")
    peak_severity: PeakSeverity = PeakSeverity.none
    acute_medications: list[AcuteMedicationIn] = Field(default_factory=list, max_length=20)


class OpenAttackOut(Schema):
    attack: AttackOut | None = Field(..., description="The attack going on, or null")
