"""API schemas of the candidacy app (the contract's Candidacy object)."""

from ninja import Schema


class CriterionOut(Schema):
    code: str
    met: bool | None
    detail: str


class FlagOut(Schema):
    code: str
    detail: str


class AlternativeOut(Schema):
    code: str
    label: str
    detail: str


class CandidacyOut(Schema):
    eligible: bool | None
    criteria: list[CriterionOut]
    flags: list[FlagOut]
    alternatives: list[AlternativeOut]
    unanswered_screening: list[str]
    payer_profile: str
    chronic_source: str | None
