"""API schemas of the diary app (the contract's "A diary day", questionnaires and
side-effect reports)."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, StrictStr, WithJsonSchema

from cadence.accounts.validation import IsoDate, Number
from cadence.rules.diary import AcuteDrugClass, PeakSeverity
from cadence.rules.pain_regions import PainRegion
from cadence.rules.side_effects import Severity, SideEffect
from cadence.rules.triggers import OTHER_TRIGGERS_MAX_LENGTH, Trigger

from .services import MAX_ATTACKS_PER_DAY, MEDICINE_NAME_MAX_LENGTH, NOTES_MAX_LENGTH


class AcuteMedicationIn(Schema):
    name: str = Field(..., min_length=1, max_length=MEDICINE_NAME_MAX_LENGTH)
    drug_class: AcuteDrugClass
    relieved: StrictBool = False


class AttackIn(Schema):
    """One attack, in local date-times (a time with an offset is turned into the clinic's
    local time). An attack across midnight is recorded on each day it touched."""

    started_at: dt.datetime = Field(..., examples=["2026-03-07T22:15"])
    ended_at: dt.datetime | None = Field(
        None, description="null while the attack goes on", examples=["2026-03-08T03:40"]
    )
    peak_severity: PeakSeverity = PeakSeverity.none


#: A date-time as the diary answers it: the clinic's local time to the minute, without an
#: offset (`2026-03-07T22:15`), which OpenAPI's `date-time` (RFC 3339) would not allow.
LocalDateTime = Annotated[
    dt.datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "Local time in the clinic's time zone, without an offset.",
        }
    ),
]


class AttackOut(Schema):
    started_at: LocalDateTime
    ended_at: LocalDateTime | None
    peak_severity: str


#: Version 1.1 fields of a diary day (all optional; null means not recorded). A PUT
#: that omits one leaves the stored value unchanged (an older client's PUT never
#: clears them); an explicit null or [] clears it.
_KEPT_DOC = " Omitted from a PUT: left as stored; null or [] clears it."
_PAIN_REGIONS_DOC = (
    "Where it hurt: codes of the published pain regions (left and right are the "
    "patient's). null: not recorded." + _KEPT_DOC
)
_TRIGGERS_DOC = "Trigger codes from GET /diary/triggers. null: not recorded." + _KEPT_DOC
_OTHER_TRIGGERS_DOC = 'Triggers not on the list. Omitted from a PUT: left as stored; "" clears it.'
_ATTACKS_DOC = (
    "The attacks that touched this day, in local date-times. The day's headache hours "
    "and worst pain are at least those of its attacks (the hours of the day they covered)."
    + _KEPT_DOC
)
_MENSTRUATING_DOC = (
    "Whether the patient had her period that day (null: not recorded). Omitted from a "
    "PUT: left as stored; null clears it."
)


class DiaryDayIn(Schema):
    """One day of the headache diary. `headache_hours` 0 means no headache.

    A PUT replaces the day. The version 1.1 fields (`pain_regions`, `triggers`,
    `other_triggers`, `attacks`, `menstruating`) are the exception: omitted, they keep
    their stored values (so an older client that does not know them never clears them);
    sent as null (or [] / ""), they are cleared."""

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
    unilateral: StrictBool = False
    pulsating: StrictBool = False
    worse_with_activity: StrictBool = False
    nausea: StrictBool = False
    vomiting: StrictBool = False
    photophobia: StrictBool = False
    phonophobia: StrictBool = False
    aura: StrictBool = False
    missed_activity: StrictBool = False
    acute_medications: list[AcuteMedicationIn] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=NOTES_MAX_LENGTH)
    aura_without_headache: StrictBool = Field(
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
        description=_OTHER_TRIGGERS_DOC,
        examples=["long drive"],
    )
    attacks: list[AttackIn] | None = Field(
        None, max_length=MAX_ATTACKS_PER_DAY, description=_ATTACKS_DOC
    )
    menstruating: StrictBool | None = Field(None, description=_MENSTRUATING_DOC, examples=[True])


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
    replace: StrictBool = Field(
        False,
        description=(
            "One response per instrument and day: when one is already recorded for "
            "`completed_on`, the request is refused with 409 unless `replace` is true, "
            "which replaces that response (same `id`, audited) instead of adding another."
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
    started_at: dt.datetime | None = Field(
        None,
        description=(
            "Local time; default now. Sending the same start again (a queued offline "
            "start resent) answers the attack already recorded and stores nothing more."
        ),
    )


class AttackEndIn(Schema):
    ended_at: dt.datetime | None = Field(None, description="Local time; default now.")
    started_at: dt.datetime | None = Field(
        None,
        description=(
            "The start of the attack being ended (optional). With it, a resent end of an "
            "attack already ended answers that attack and stores nothing again."
        ),
        examples=["2026-03-07T22:15"],
    )
    peak_severity: PeakSeverity = PeakSeverity.none
    acute_medications: list[AcuteMedicationIn] = Field(default_factory=list, max_length=20)


class OpenAttackOut(Schema):
    attack: AttackOut | None = Field(..., description="The attack going on, or null")
