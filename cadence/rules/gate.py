"""The clinical gate before the needle: may a clinician decide for Botox, and may a
procedure go ahead?

Source: clinic-reference.md section 7 ("Safety before the needle"), which refines
section 1 (contraindications, warnings, age) and section 3 (the earliest re-treatment
date):

- *Absolute* (refused whatever the reason): known hypersensitivity to a botulinum toxin
  or excipient. No decision for Botox and no procedure while it is recorded as present;
  the history itself must be corrected first. At the procedure, also: no current
  decision that includes Botox.
- *Needs a recorded reason* (an override; the session is "outside protocol"): infection at
  a proposed site; the warnings of section 1 (neuromuscular disease, aminoglycosides,
  swallowing or breathing difficulty, pregnancy or breastfeeding); a decision for Botox
  while candidacy is not met; under 18 (off-label); a session earlier than the earliest
  re-treatment date (drafts count as sessions for this).
- *Never bends*: 195 U per session and 400 U in any 84 days: not this module's question
  (``rules.plans.validate_plan``); an override here never lifts them.

Interpretation choices (Cadence's, not the reference's):

- A history answer is ``yes``, ``no`` or ``unknown`` ("not asked yet"). Only ``yes``
  refuses or needs a reason at the gate (the API contract's wording); ``unknown`` answers
  are *open warnings* shown before the clinician commits (``open_warnings``). An unknown
  hypersensitivity still reaches the decision gate through candidacy: its
  ``no_contraindication`` criterion is not met, so ``eligible`` is not true and the
  decision needs a reason.
- The decision gate asks about age and candidacy; the procedure gate asks about the
  history and the date (the decision already carries its own override).
- A decision that does not include Botox (surgery evaluation, an alternative, not now)
  is always allowed.

Public API
----------
- ``HistoryAnswer`` (yes/no/unknown), ``GateAnswer`` (refused/needs_reason/allowed),
  ``GateRule`` (the codes of the rules), ``HISTORY_QUESTIONS`` (field -> label),
  ``WARNING_FIELDS``, ``BOTOX_DECISIONS``
- ``GateFacts`` (the facts), ``GateFinding`` (rule + message), ``GateVerdict``
- ``decision_gate(facts) -> GateVerdict``; ``procedure_gate(facts) -> GateVerdict``
- ``GateVerdict.refusal_for(override_reason) -> list[GateFinding]``: what stops the
  action given that reason (empty: it may go ahead)
- ``open_warnings(history) -> list[tuple[field, label, answer]]``
- ``clean_reason(text) -> str | None``: a blank or whitespace reason is no reason
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cadence.rules.candidacy import ADULT_AGE

__all__ = [
    "BOTOX_DECISIONS",
    "HISTORY_QUESTIONS",
    "WARNING_FIELDS",
    "GateAnswer",
    "GateFacts",
    "GateFinding",
    "GateRule",
    "GateVerdict",
    "HistoryAnswer",
    "clean_reason",
    "decision_gate",
    "includes_botox",
    "open_warnings",
    "procedure_gate",
]


class HistoryAnswer(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"


class GateAnswer(StrEnum):
    refused = "refused"
    needs_reason = "needs_reason"
    allowed = "allowed"


class GateRule(StrEnum):
    no_botox_decision = "no_botox_decision"
    hypersensitivity = "hypersensitivity"
    infection_at_site = "infection_at_site"
    neuromuscular_disease = "neuromuscular_disease"
    aminoglycosides = "aminoglycosides"
    swallowing_or_breathing_difficulty = "swallowing_or_breathing_difficulty"
    pregnant_or_breastfeeding = "pregnant_or_breastfeeding"
    candidacy_not_met = "candidacy_not_met"
    under_18 = "under_18"
    before_earliest_date = "before_earliest_date"


#: The contraindication/warning checklist of section 1, in the record's field names.
HISTORY_QUESTIONS: Mapping[str, str] = {
    "hypersensitivity": "Known hypersensitivity to a botulinum toxin or excipient",
    "infection_at_site": "Infection at a proposed injection site",
    "neuromuscular_disease": "Neuromuscular disease",
    "aminoglycosides": "Aminoglycosides or other agents affecting neuromuscular transmission",
    "swallowing_or_breathing_difficulty": "Swallowing or breathing difficulty",
    "pregnant_or_breastfeeding": "Pregnant or breastfeeding",
}
#: The warnings of section 1 (each needs a reason at the procedure when answered yes).
WARNING_FIELDS = (
    "neuromuscular_disease",
    "aminoglycosides",
    "swallowing_or_breathing_difficulty",
    "pregnant_or_breastfeeding",
)
#: Decisions (the API contract's codes) that include onabotulinumtoxinA.
BOTOX_DECISIONS = frozenset({"botox", "botox_and_surgery_evaluation"})


def includes_botox(decision: str | None) -> bool:
    return decision in BOTOX_DECISIONS


def clean_reason(text: str | None) -> str | None:
    """The override reason, stripped; None when blank or whitespace (no reason)."""
    reason = (text or "").strip()
    return reason or None


@dataclass(frozen=True, slots=True)
class GateFacts:
    """What the gate looks at. ``history`` maps each field of ``HISTORY_QUESTIONS`` to an
    answer (missing = unknown)."""

    history: Mapping[str, str] = field(default_factory=dict)
    decision: str | None = None
    age: int | None = None
    candidacy_eligible: bool | None = None
    session_on: date | None = None
    earliest_on: date | None = None

    def answer(self, name: str) -> HistoryAnswer:
        return HistoryAnswer(self.history.get(name) or HistoryAnswer.unknown)


@dataclass(frozen=True, slots=True)
class GateFinding:
    rule: GateRule
    message: str


@dataclass(frozen=True, slots=True)
class GateVerdict:
    refusals: tuple[GateFinding, ...] = ()
    reasons_needed: tuple[GateFinding, ...] = ()

    @property
    def answer(self) -> GateAnswer:
        if self.refusals:
            return GateAnswer.refused
        if self.reasons_needed:
            return GateAnswer.needs_reason
        return GateAnswer.allowed

    @property
    def rules(self) -> tuple[GateRule, ...]:
        return tuple(f.rule for f in (*self.refusals, *self.reasons_needed))

    def refusal_for(self, override_reason: str | None) -> list[GateFinding]:
        """What stops the action given this override reason: the absolute refusals always,
        the findings that need a reason when there is none. Empty: it may go ahead (and it
        is outside protocol when ``reasons_needed`` is not empty)."""
        if self.refusals:
            return list(self.refusals)
        if clean_reason(override_reason) is None:
            return list(self.reasons_needed)
        return []


def _hypersensitivity(facts: GateFacts, doing: str) -> list[GateFinding]:
    if facts.answer("hypersensitivity") is HistoryAnswer.yes:
        return [
            GateFinding(
                GateRule.hypersensitivity,
                "Hypersensitivity to a botulinum toxin or excipient is recorded: no "
                f"{doing} whatever the reason. If the record is wrong, correct the "
                "medical history first (the correction is audited).",
            )
        ]
    return []


def decision_gate(facts: GateFacts) -> GateVerdict:
    """May the clinician record this decision? Only decisions that include Botox are
    gated: hypersensitivity refuses; candidacy not met and under 18 need a reason."""
    if not includes_botox(facts.decision):
        return GateVerdict()
    refusals = _hypersensitivity(facts, "decision for onabotulinumtoxinA")
    needed: list[GateFinding] = []
    if facts.candidacy_eligible is not True:
        state = "not met" if facts.candidacy_eligible is False else "not established"
        needed.append(
            GateFinding(
                GateRule.candidacy_not_met,
                f"Candidacy for onabotulinumtoxinA is {state}: give the reason for deciding "
                "on it anyway (for example, the payer accepted a history in place of a diary).",
            )
        )
    if facts.age is not None and facts.age < ADULT_AGE:
        needed.append(
            GateFinding(
                GateRule.under_18,
                f"The patient is {facts.age}, under {ADULT_AGE}: onabotulinumtoxinA is "
                "off-label. Give the reason for the override.",
            )
        )
    return GateVerdict(tuple(refusals), tuple(needed))


def procedure_gate(facts: GateFacts) -> GateVerdict:
    """May this procedure go ahead? No current decision including Botox and
    hypersensitivity refuse; an infection at a site, any warning answered yes, and a
    session before the earliest re-treatment date need a reason."""
    refusals: list[GateFinding] = []
    if not includes_botox(facts.decision):
        refusals.append(
            GateFinding(
                GateRule.no_botox_decision,
                "There is no current decision for onabotulinumtoxinA: record the decision "
                "after the work-up (candidacy page) before the procedure.",
            )
        )
    refusals += _hypersensitivity(facts, "procedure")
    needed: list[GateFinding] = []
    if facts.answer("infection_at_site") is HistoryAnswer.yes:
        needed.append(
            GateFinding(
                GateRule.infection_at_site,
                "An infection at a proposed injection site is recorded: give the reason to "
                "proceed (for example, that site avoided).",
            )
        )
    for name in WARNING_FIELDS:
        if facts.answer(name) is HistoryAnswer.yes:
            needed.append(
                GateFinding(
                    GateRule(name),
                    f"Warning recorded: {HISTORY_QUESTIONS[name].lower()}. Give the reason "
                    "to proceed.",
                )
            )
    if (
        facts.session_on is not None
        and facts.earliest_on is not None
        and facts.session_on < facts.earliest_on
    ):
        needed.append(
            GateFinding(
                GateRule.before_earliest_date,
                f"{facts.session_on.isoformat()} is before the earliest re-treatment date, "
                f"{facts.earliest_on.isoformat()} (draft notes count as sessions): give the "
                "reason to treat early.",
            )
        )
    return GateVerdict(tuple(refusals), tuple(needed))


def open_warnings(history: Mapping[str, str]) -> list[tuple[str, str, HistoryAnswer]]:
    """The checklist answers that matter before the needle: each question answered yes or
    not asked yet (unknown), in checklist order, as (field, label, answer)."""
    rows = []
    for name, label in HISTORY_QUESTIONS.items():
        answer = HistoryAnswer(history.get(name) or HistoryAnswer.unknown)
        if answer is not HistoryAnswer.no:
            rows.append((name, label, answer))
    return rows
