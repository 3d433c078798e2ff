"""The clinical gate (clinic-reference.md section 7): every answer x every outcome."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.gate import (
    BOTOX_DECISIONS,
    HISTORY_QUESTIONS,
    WARNING_FIELDS,
    GateAnswer,
    GateFacts,
    GateRule,
    clean_reason,
    decision_gate,
    open_warnings,
    procedure_gate,
)

REFUSED, REASON, ALLOWED = GateAnswer.refused, GateAnswer.needs_reason, GateAnswer.allowed
CLEAN = dict.fromkeys(HISTORY_QUESTIONS, "no")
DAY = date(2027, 3, 1)
#: A worked-up adult, eligible, with a Botox decision and a clean history.
WORKED_UP = GateFacts(history=CLEAN, decision="botox", age=40, candidacy_eligible=True)


def facts(**changes) -> GateFacts:
    history = {**CLEAN, **changes.pop("history", {})}
    base = {
        "decision": WORKED_UP.decision,
        "age": WORKED_UP.age,
        "candidacy_eligible": WORKED_UP.candidacy_eligible,
        "session_on": None,
        "earliest_on": None,
    }
    base.update(changes)
    return GateFacts(history=history, **base)


# --- every history answer at the procedure ------------------------------------------------
PROCEDURE_BY_ANSWER = [
    # (field, answer, outcome, rule)
    ("hypersensitivity", "yes", REFUSED, GateRule.hypersensitivity),
    ("hypersensitivity", "no", ALLOWED, None),
    ("hypersensitivity", "unknown", ALLOWED, None),
    ("infection_at_site", "yes", REASON, GateRule.infection_at_site),
    ("infection_at_site", "no", ALLOWED, None),
    ("infection_at_site", "unknown", ALLOWED, None),
    *[(name, "yes", REASON, GateRule(name)) for name in WARNING_FIELDS],
    *[(name, "no", ALLOWED, None) for name in WARNING_FIELDS],
    *[(name, "unknown", ALLOWED, None) for name in WARNING_FIELDS],
]


@pytest.mark.parametrize(("name", "answer", "outcome", "rule"), PROCEDURE_BY_ANSWER)
def test_procedure_gate_for_each_history_answer(name, answer, outcome, rule):
    verdict = procedure_gate(facts(history={name: answer}))
    assert verdict.answer is outcome
    assert verdict.rules == ((rule,) if rule else ())


def test_every_history_question_is_in_the_procedure_table():
    assert {row[0] for row in PROCEDURE_BY_ANSWER} == set(HISTORY_QUESTIONS)
    for name in HISTORY_QUESTIONS:
        assert {row[1] for row in PROCEDURE_BY_ANSWER if row[0] == name} == {
            "yes",
            "no",
            "unknown",
        }


# --- every history answer at the decision -------------------------------------------------
DECISION_BY_ANSWER = [
    ("hypersensitivity", "yes", REFUSED, GateRule.hypersensitivity),
    ("hypersensitivity", "no", ALLOWED, None),
    ("hypersensitivity", "unknown", ALLOWED, None),  # candidacy's eligible catches it
    *[
        (name, answer, ALLOWED, None)
        for name in ("infection_at_site", *WARNING_FIELDS)
        for answer in ("yes", "no", "unknown")
    ],
]


@pytest.mark.parametrize(("name", "answer", "outcome", "rule"), DECISION_BY_ANSWER)
def test_decision_gate_for_each_history_answer(name, answer, outcome, rule):
    verdict = decision_gate(facts(history={name: answer}))
    assert verdict.answer is outcome
    assert verdict.rules == ((rule,) if rule else ())


# --- the decision: kind, candidacy, age ------------------------------------------------------
@pytest.mark.parametrize(
    ("decision", "eligible", "age", "outcome", "rules"),
    [
        ("botox", True, 40, ALLOWED, ()),
        ("botox", True, 18, ALLOWED, ()),
        ("botox", True, None, ALLOWED, ()),
        ("botox", False, 40, REASON, (GateRule.candidacy_not_met,)),
        ("botox", None, 40, REASON, (GateRule.candidacy_not_met,)),
        ("botox", True, 17, REASON, (GateRule.under_18,)),
        ("botox", False, 15, REASON, (GateRule.candidacy_not_met, GateRule.under_18)),
        ("botox_and_surgery_evaluation", False, 40, REASON, (GateRule.candidacy_not_met,)),
        ("botox_and_surgery_evaluation", True, 16, REASON, (GateRule.under_18,)),
        ("surgery_evaluation", False, 15, ALLOWED, ()),
        ("alternative", None, 15, ALLOWED, ()),
        ("not_now", False, 15, ALLOWED, ()),
    ],
)
def test_decision_gate_table(decision, eligible, age, outcome, rules):
    verdict = decision_gate(facts(decision=decision, candidacy_eligible=eligible, age=age))
    assert verdict.answer is outcome
    assert verdict.rules == rules


def test_hypersensitivity_refuses_a_botox_decision_even_with_everything_else_wrong():
    verdict = decision_gate(
        facts(history={"hypersensitivity": "yes"}, candidacy_eligible=False, age=15)
    )
    assert verdict.answer is REFUSED
    assert [f.rule for f in verdict.refusal_for("Parents insist")] == [GateRule.hypersensitivity]


def test_hypersensitivity_does_not_gate_a_decision_without_botox():
    verdict = decision_gate(facts(history={"hypersensitivity": "yes"}, decision="alternative"))
    assert verdict.answer is ALLOWED


# --- the procedure: decision and date --------------------------------------------------------
@pytest.mark.parametrize(
    ("decision", "outcome"),
    [
        ("botox", ALLOWED),
        ("botox_and_surgery_evaluation", ALLOWED),
        ("surgery_evaluation", REFUSED),
        ("alternative", REFUSED),
        ("not_now", REFUSED),
        (None, REFUSED),
    ],
)
def test_procedure_needs_a_current_botox_decision(decision, outcome):
    verdict = procedure_gate(facts(decision=decision))
    assert verdict.answer is outcome
    if outcome is REFUSED:
        assert verdict.rules == (GateRule.no_botox_decision,)


@pytest.mark.parametrize(
    ("session_on", "earliest_on", "outcome"),
    [
        (DAY, None, ALLOWED),  # first session
        (DAY, DAY, ALLOWED),  # on the earliest date
        (DAY + timedelta(days=1), DAY, ALLOWED),
        (DAY - timedelta(days=1), DAY, REASON),
        (DAY - timedelta(days=64), DAY, REASON),  # 20 days after the last session
    ],
)
def test_procedure_before_the_earliest_date_needs_a_reason(session_on, earliest_on, outcome):
    verdict = procedure_gate(facts(session_on=session_on, earliest_on=earliest_on))
    assert verdict.answer is outcome
    assert verdict.rules == ((GateRule.before_earliest_date,) if outcome is REASON else ())


def test_the_procedure_gate_does_not_ask_about_age_or_candidacy():
    # The decision carries its own override; the procedure does not ask again.
    assert procedure_gate(facts(age=15, candidacy_eligible=False)).answer is ALLOWED


def test_the_issue_patient_is_refused_at_every_step():
    """15 years old, hypersensitive, infection at a site, neuromuscular disease, not
    eligible; a second session 20 days after the first."""
    history = {
        "hypersensitivity": "yes",
        "infection_at_site": "yes",
        "neuromuscular_disease": "yes",
    }
    decision = decision_gate(facts(history=history, age=15, candidacy_eligible=False))
    assert decision.answer is REFUSED
    procedure = procedure_gate(
        facts(history=history, session_on=DAY, earliest_on=DAY + timedelta(days=64))
    )
    assert procedure.answer is REFUSED
    assert [f.rule for f in procedure.reasons_needed] == [
        GateRule.infection_at_site,
        GateRule.neuromuscular_disease,
        GateRule.before_earliest_date,
    ]
    assert procedure.refusal_for("A good reason") == list(procedure.refusals)


# --- reasons ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reason", "stops"), [(None, True), ("", True), ("   \n\t", True), ("Site avoided", False)]
)
def test_a_blank_reason_is_no_reason(reason, stops):
    verdict = procedure_gate(facts(history={"infection_at_site": "yes"}))
    assert bool(verdict.refusal_for(reason)) is stops


def test_every_finding_needing_a_reason_is_listed_together():
    verdict = procedure_gate(
        facts(history=dict.fromkeys(HISTORY_QUESTIONS, "yes") | {"hypersensitivity": "no"})
    )
    assert len(verdict.refusal_for(None)) == 1 + len(WARNING_FIELDS)


def test_clean_reason():
    assert clean_reason("  why  ") == "why"
    assert clean_reason(" ") is None
    assert clean_reason(None) is None


# --- open warnings ----------------------------------------------------------------------------
def test_open_warnings_are_the_yes_and_unknown_answers():
    rows = open_warnings({"hypersensitivity": "no", "infection_at_site": "yes"})
    names = [(name, str(answer)) for name, _label, answer in rows]
    assert ("infection_at_site", "yes") in names
    assert ("neuromuscular_disease", "unknown") in names  # not asked: unknown
    assert "hypersensitivity" not in [n for n, _ in names]
    assert open_warnings(CLEAN) == []


@given(
    st.fixed_dictionaries(
        {name: st.sampled_from(["yes", "no", "unknown"]) for name in HISTORY_QUESTIONS}
    ),
    st.sampled_from(sorted(BOTOX_DECISIONS)),
)
def test_an_override_lifts_everything_but_the_absolute_refusals(history, decision):
    verdict = procedure_gate(
        facts(
            history=history, decision=decision, session_on=DAY, earliest_on=DAY + timedelta(days=10)
        )
    )
    left = verdict.refusal_for("Documented reason")
    assert [f.rule for f in left] == (
        [GateRule.hypersensitivity] if history["hypersensitivity"] == "yes" else []
    )
