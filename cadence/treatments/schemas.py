"""API schemas of the treatments app (units are Decimals in the database, JSON numbers here)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class InjectionSiteOut(Schema):
    code: str
    muscle: str
    side: str
    number: int
    default_units: float
    follow_the_pain: bool
    label: str
    view: str
    x: float
    y: float


class SiteUnitsIn(Schema):
    site: str = Field(..., max_length=60, description="Site code from GET /injection-sites")
    units: float = Field(
        ..., description="Units at this site (2.5-10 for targeted and follow-the-pain sites)"
    )


class SiteUnitsOut(Schema):
    site: str
    label: str
    units: float
    follow_the_pain: bool


class InjectionIn(SiteUnitsIn):
    vial_lot: str | None = Field(
        None,
        max_length=40,
        description="The lot of the vial this site's dose came from (one of vial_lots). "
        "Optional: the session's only lot by default; not recorded when several lots were "
        "opened and none is named.",
    )


class InjectionOut(SiteUnitsOut):
    vial_lot: str | None = Field(
        None, description="The lot of the vial the dose came from (null: not recorded)"
    )


class TreatmentPlanIn(Schema):
    template: Literal["preempt", "custom"]
    sites: list[SiteUnitsIn] = Field(
        default_factory=list,
        description="preempt: only the follow-the-pain additions; custom: every site of the plan",
    )
    planned_for: date | None = Field(
        None,
        description="Planned session date (default today); used for the 400 U in 84 days check",
    )
    notes: str = Field("", max_length=2000)


class TreatmentPlanOut(Schema):
    id: int
    patient_id: int
    template: str
    planned_for: date
    total_units: float
    site_count: int
    sites: list[SiteUnitsOut]
    consent_given_by: str
    consent_recorded_at: datetime | None


class PlanConsentIn(Schema):
    consent_given_by: str = Field(
        ..., max_length=120, description="Who consented: the patient or their representative"
    )


class VialIn(Schema):
    lot: str = Field(..., min_length=1, max_length=40)
    expires_on: date
    size_units: Literal[100, 200]
    quantity: int = Field(1, ge=1, le=1000)


class VialLotOut(Schema):
    id: int
    lot: str
    expires_on: date
    size_units: int
    quantity_received: int
    quantity_remaining: int


class ProcedureIn(Schema):
    performed_on: date
    plan: int = Field(..., description="Treatment plan id (this patient's)")
    vial_lots: list[str] = Field(
        ..., description="One lot number per vial opened; a lot may repeat"
    )
    injections: list[InjectionIn] | None = Field(None, description="Default: the plan's sites")
    consent_obtained: bool = Field(..., description="Must be true")
    performed_at: datetime | None = None
    immediate_reactions: str = Field("", max_length=4000)
    aftercare_given: str | None = Field(
        None, max_length=4000, description="Default: the clinic's aftercare instructions"
    )
    notes: str = Field("", max_length=4000)
    override_reason: str | None = Field(
        None,
        max_length=4000,
        description="Why the session goes ahead outside protocol (an infection at a site, a "
        "warning answered yes, before the earliest re-treatment date). Never lifts 195 U per "
        "session or 400 U in 84 days.",
    )
    confirm_second_session: bool = Field(
        False,
        description="Set true to record a second procedure on the same plan and day (without "
        "it such a procedure is refused with 409, naming this field).",
    )
    co_signer: str | None = Field(
        None,
        max_length=150,
        description="Username of another clinician who may sign the note in the performer's "
        "place (only the performer or this co-signer may sign it).",
    )


class ProcedureVoidIn(Schema):
    reason: str = Field(..., max_length=2000)


class BillingLineOut(Schema):
    code: str
    units: float
    modifier: str | None
    description: str


class ProcedureVialOut(Schema):
    lot: str
    size_units: int
    expires_on: date


class AmendmentOut(Schema):
    id: int
    amended_by: str
    amended_at: datetime
    reason: str
    changes: dict


class ProcedureOut(Schema):
    id: int
    patient_id: int
    plan_id: int | None
    performed_on: date
    performed_at: datetime | None
    clinician: str | None
    co_signer: str | None = None
    status: str
    total_units: float
    wasted_units: float
    drawn_units: float
    dilution: str
    billing: list[BillingLineOut]
    outside_protocol: bool = False
    override_reason: str | None = None
    outside_protocol_reason: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None


class ProcedureDetailOut(ProcedureOut):
    injections: list[InjectionOut]
    vials: list[ProcedureVialOut]
    consent_obtained: bool
    immediate_reactions: str
    aftercare_given: str
    notes: str
    signed_at: datetime | None
    signed_by: str | None
    signed_note: dict | None
    amendments: list[AmendmentOut]


class ProcedureAmendIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)
    immediate_reactions: str | None = Field(None, max_length=4000)
    aftercare_given: str | None = Field(None, max_length=4000)
    notes: str | None = Field(None, max_length=4000)
    injections: list[SiteUnitsIn] | None = None


class OtherToxinTreatmentIn(Schema):
    given_on: date
    units: float
    indication: str = Field(..., min_length=1, max_length=120)
    notes: str = Field("", max_length=2000)


class OtherToxinTreatmentOut(Schema):
    id: int
    given_on: date
    units: float
    indication: str
    notes: str


class RecallRowOut(Schema):
    procedure_id: int
    performed_on: date
    patient_id: int
    patient_name: str
    vials: int
    status: str


class RecallPatientOut(Schema):
    """One patient in a recall group, once, with every date they received the lot."""

    patient_id: int
    patient_name: str
    dates: list[date]
    procedure_ids: list[int]
    vials: int


class RecallOut(Schema):
    lot: str
    procedures: list[RecallRowOut]
    # Added (issue 19): each patient once with all their dates, signed notes apart from
    # drafts (notes not signed yet).
    signed: list[RecallPatientOut] = []
    drafts: list[RecallPatientOut] = []
