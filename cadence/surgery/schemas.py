"""API schemas of the surgery app (clinic-reference.md section 8)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

TriggerSiteCode = Literal[
    "frontal", "temporal", "rhinogenic", "occipital", "auriculotemporal", "lesser_occipital"
]
SideCode = Literal["left", "right", "both"]
AnswerCode = Literal["yes", "no", "unknown"]


class TriggerSiteOut(Schema):
    code: str
    numeral: str
    name: str
    nerves: list[str]
    regions: list[str] = Field(..., description="Pain-region codes of the diary")
    muscles: list[str] = Field(..., description="Muscles of the injection-site catalogue")
    injectable: bool


class CriterionOut(Schema):
    code: str
    met: bool | None
    detail: str


class SiteResponseOut(Schema):
    trigger_site: str
    side: str
    injected_on: date
    kind: str = Field(..., description="`botox` (a diagnostic targeted plan) or `nerve_block`")
    what: str
    days_before: float | None = Field(
        ..., description="Headache days at the site in the 28 days before, scaled to 28 days"
    )
    days_after: float | None
    recorded_days_before: int
    recorded_days_after: int
    percent_fewer: float | None
    responded: bool | None
    detail: str


class SketchShareOut(Schema):
    trigger_site: str
    label: str
    headache_days: int
    located_days: int
    percent: int | None


class SketchOut(Schema):
    start: date
    end: date
    days_recorded: int
    shares: list[SketchShareOut]


class SurgeryCandidacyOut(Schema):
    trigger_site: str | None = Field(..., description="The trigger site under evaluation")
    candidate: bool | None = Field(..., description="All five PAINS criteria met")
    criteria: list[CriterionOut]
    sites: list[SiteResponseOut]
    sketch: SketchOut


class DiagnosticTargetIn(Schema):
    trigger_site: TriggerSiteCode
    side: SideCode = "both"


class DiagnosticTargetOut(Schema):
    id: int
    plan: int
    trigger_site: str
    side: str


class NerveBlockIn(Schema):
    performed_on: date
    trigger_site: TriggerSiteCode
    side: SideCode
    agent: str = Field(..., max_length=120, description="The local anaesthetic, e.g. lidocaine 1%")
    volume_ml: float = Field(..., description="Volume injected, mL")
    dose_mg: float | None = Field(None, description="Dose, mg (optional)")
    nerve: str = Field("", max_length=80, description="Default: the site's first nerve")
    diagnostic: bool = True
    consent_obtained: bool = False
    notes: str = Field("", max_length=4000)


class NerveBlockBillingLineOut(Schema):
    code: str
    units: int
    modifier: str


class NerveBlockAmendmentOut(Schema):
    amended_at: datetime
    reason: str
    changes: dict


class NerveBlockOut(Schema):
    id: int
    performed_on: date
    trigger_site: str
    nerve: str
    side: str
    agent: str
    volume_ml: float
    dose_mg: float | None
    diagnostic: bool
    consent_obtained: bool
    notes: str
    status: str
    billing: list[NerveBlockBillingLineOut]
    signed_at: datetime | None
    amendments: list[NerveBlockAmendmentOut] = []


class NerveBlockVoidIn(Schema):
    reason: str = Field(..., max_length=4000)


class NerveBlockAmendIn(Schema):
    reason: str = Field(..., max_length=4000)
    agent: str | None = Field(None, max_length=120)
    volume_ml: float | None = None
    dose_mg: float | None = None
    notes: str | None = Field(None, max_length=4000)


class SurgicalWorkupIn(Schema):
    trigger_site: TriggerSiteCode
    pain_point: AnswerCode = Field(
        ..., description="Can the patient show the pain with one finger there?"
    )
    appropriate_symptoms: AnswerCode
    symptoms: str = Field("", max_length=4000)
    attack_start: str = Field("", max_length=200)
    recorded_on: date | None = None


class SurgicalWorkupOut(Schema):
    id: int
    recorded_on: date
    trigger_site: str
    pain_point: str
    appropriate_symptoms: str
    symptoms: str
    attack_start: str


class OperationSiteIn(Schema):
    trigger_site: TriggerSiteCode
    side: SideCode


class SurgicalOperationIn(Schema):
    performed_on: date
    surgeon: str = Field(..., max_length=120)
    sites: list[OperationSiteIn] = Field(..., max_length=12)
    technique: str = Field("", max_length=8000)


class OutcomeWindowOut(Schema):
    months: int | None = Field(..., description="null: the 28 days before the operation")
    start: date
    end: date
    ended: bool
    days_recorded: int
    headache_days: float | None
    mhi: float | None = Field(..., description="Migraine Headache Index over the window")
    mhi_detail: str
    headache_days_percent_fewer: float | None
    mhi_percent_fewer: float | None
    success: bool | None = Field(..., description="At least 50% fewer headache days")


class SurgicalOperationOut(Schema):
    id: int
    performed_on: date
    surgeon: str
    sites: list[dict]
    technique: str
    outcomes: list[OutcomeWindowOut]
