"""API schemas of the candidacy app (the contract's Candidacy object)."""

from typing import Literal

from ninja import Field, Schema


class CandidacyCriterionOut(Schema):
    code: str
    met: bool | None
    detail: str


class CandidacyFlagOut(Schema):
    code: str
    detail: str


class AlternativeOut(Schema):
    code: str
    label: str
    detail: str


class CandidacyOut(Schema):
    eligible: bool | None
    criteria: list[CandidacyCriterionOut]
    flags: list[CandidacyFlagOut]
    alternatives: list[AlternativeOut]
    unanswered_screening: list[str]
    payer_profile: str
    chronic_source: str | None


DecisionValue = Literal[
    "botox", "surgery_evaluation", "botox_and_surgery_evaluation", "alternative", "not_now"
]


class CandidacyDecisionIn(Schema):
    decision: DecisionValue
    reason: str = Field("", max_length=4000)
    override_reason: str | None = Field(None, max_length=4000)


class CandidacyDecisionOut(Schema):
    id: int
    decision: str
    eligible: bool | None
    override_reason: str | None
    outside_protocol: bool
