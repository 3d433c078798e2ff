"""Schemas of the outcomes API (api-contract.md "Outcomes")."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class PeriodOut(Schema):
    start: date
    end: date
    days_recorded: int
    headache_days: float | None
    migraine_days: float | None
    moderate_severe_days: float | None
    acute_medication_days: float | None
    triptan_days: float | None
    headache_hours: float | None
    coverage: float
    complete: bool
    scaled: bool


class ResponseOut(Schema):
    status: str
    headache_day_change: float | None
    percent_change: float | None
    reason: str
    rule: str
    # Version 1.1 additions (issue 16): the other day counts against the baseline, beside
    # headache days (change per 28 days; percent null when the baseline count is 0).
    migraine_day_change: float | None = None
    migraine_day_percent_change: float | None = None
    moderate_severe_day_change: float | None = None
    moderate_severe_day_percent_change: float | None = None
    acute_medication_day_change: float | None = None
    acute_medication_day_percent_change: float | None = None


class FlagOut(Schema):
    flagged: bool
    detail: str


class WearingOffOut(Schema):
    detected: bool
    evidence: str
    suggestion: str | None


class OutcomesOut(Schema):
    baseline: PeriodOut | None
    periods: list[PeriodOut]
    response: ResponseOut
    #: The 24-week review: the weeks 21-24 period against the baseline (version 1.1).
    week_24_response: ResponseOut | None = None
    medication_overuse: FlagOut
    wearing_off: WearingOffOut
