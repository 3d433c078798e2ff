"""Side effects tracked after each session (clinic-reference.md section 5).

Pure Python: no Django, no I/O.

Public API
----------
Enums
    ``SideEffect``   every side effect of section 5, common and urgent.
    ``Severity``     mild, moderate, severe (patient-reported).
Constants
    ``COMMON_SIDE_EFFECTS``, ``URGENT_SIDE_EFFECTS`` (frozensets, disjoint, together all of
    ``SideEffect``), ``SIDE_EFFECT_LABELS`` (display text), ``URGENT_ADVICE``,
    ``SIDE_EFFECT_ADVICE`` (per-effect advice where the reference gives one),
    ``PREEMPT_INCIDENCE_PERCENT`` (neck pain ~9 %, ptosis ~4 %).
Functions
    ``is_urgent(effect) -> bool``               possible distant spread of toxin.
    ``advice_for(effect) -> str | None``        urgent advice for urgent effects, else the
                                                effect's own advice if any.
    ``needs_clinic_alert(effect, severity=None) -> bool``  alert the clinic at once.

``effect`` arguments accept a ``SideEffect`` or its string value; an unknown value raises
``ValueError``.

Interpretation: the reference says the clinic "must be alerted at once" for the urgent
effects only; severity does not change that. ``needs_clinic_alert`` is therefore
``is_urgent`` (severity is accepted so callers can pass it, and an urgent effect is
alerted whatever its reported severity, even "mild").
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "COMMON_SIDE_EFFECTS",
    "PREEMPT_INCIDENCE_PERCENT",
    "SIDE_EFFECT_ADVICE",
    "SIDE_EFFECT_LABELS",
    "URGENT_ADVICE",
    "URGENT_SIDE_EFFECTS",
    "Severity",
    "SideEffect",
    "advice_for",
    "is_urgent",
    "needs_clinic_alert",
]


class SideEffect(StrEnum):
    """Side effects listed in clinic-reference.md section 5."""

    # Common
    neck_pain = "neck_pain"
    injection_site_pain = "injection_site_pain"
    redness_or_swelling = "redness_or_swelling"
    bruising = "bruising"
    headache = "headache"
    neck_muscle_weakness = "neck_muscle_weakness"
    itching = "itching"
    rash = "rash"
    nausea = "nausea"
    back_pain = "back_pain"
    loss_of_appetite = "loss_of_appetite"
    reduced_facial_expression = "reduced_facial_expression"
    eyelid_ptosis = "eyelid_ptosis"
    # Urgent (possible distant spread of toxin)
    difficulty_swallowing = "difficulty_swallowing"
    difficulty_speaking = "difficulty_speaking"
    difficulty_breathing = "difficulty_breathing"
    generalised_weakness = "generalised_weakness"
    double_vision = "double_vision"


class Severity(StrEnum):
    """Patient-reported severity of a side effect."""

    mild = "mild"
    moderate = "moderate"
    severe = "severe"


#: "Urgent (possible distant spread of toxin; the clinic must be alerted at once):
#: difficulty swallowing, speaking or breathing, generalised weakness, double vision."
URGENT_SIDE_EFFECTS: frozenset[SideEffect] = frozenset(
    {
        SideEffect.difficulty_swallowing,
        SideEffect.difficulty_speaking,
        SideEffect.difficulty_breathing,
        SideEffect.generalised_weakness,
        SideEffect.double_vision,
    }
)
#: "Common: neck pain, injection-site pain, redness or swelling, ... eyelid ptosis".
COMMON_SIDE_EFFECTS: frozenset[SideEffect] = frozenset(set(SideEffect) - URGENT_SIDE_EFFECTS)

SIDE_EFFECT_LABELS: dict[SideEffect, str] = {
    SideEffect.neck_pain: "Neck pain",
    SideEffect.injection_site_pain: "Pain at an injection site",
    SideEffect.redness_or_swelling: "Redness or swelling at an injection site",
    SideEffect.bruising: "Bruising",
    SideEffect.headache: "Headache",
    SideEffect.neck_muscle_weakness: "Neck muscle weakness",
    SideEffect.itching: "Itching",
    SideEffect.rash: "Rash",
    SideEffect.nausea: "Nausea",
    SideEffect.back_pain: "Back pain",
    SideEffect.loss_of_appetite: "Loss of appetite",
    SideEffect.reduced_facial_expression: "Reduced facial expression",
    SideEffect.eyelid_ptosis: "Drooping eyelid (ptosis)",
    SideEffect.difficulty_swallowing: "Difficulty swallowing",
    SideEffect.difficulty_speaking: "Difficulty speaking",
    SideEffect.difficulty_breathing: "Difficulty breathing",
    SideEffect.generalised_weakness: "Generalised muscle weakness",
    SideEffect.double_vision: "Double vision",
}

#: Shown for every urgent effect: possible distant spread of toxin.
URGENT_ADVICE: str = (
    "This can be a sign that the medicine has spread beyond the injection sites. "
    "Seek medical care now: call the clinic straight away, and if you have trouble "
    "breathing or swallowing call your local emergency number."
)

#: Per-effect advice where the reference gives one (sections 2 and 5).
SIDE_EFFECT_ADVICE: dict[SideEffect, str] = {
    SideEffect.eyelid_ptosis: (
        "A drooping eyelid usually lasts 1-2 weeks and then settles. "
        "Apraclonidine eye drops can help; ask the clinic about them."
    ),
    SideEffect.redness_or_swelling: (
        "Mild redness or swelling at the injection sites usually settles within an hour."
    ),
}

#: Incidence in PREEMPT (section 5): neck pain about 9 %, ptosis about 4 %.
PREEMPT_INCIDENCE_PERCENT: dict[SideEffect, float] = {
    SideEffect.neck_pain: 9.0,
    SideEffect.eyelid_ptosis: 4.0,
}


def is_urgent(effect: SideEffect | str) -> bool:
    """True for the urgent effects (possible distant spread of toxin)."""
    return SideEffect(effect) in URGENT_SIDE_EFFECTS


def advice_for(effect: SideEffect | str) -> str | None:
    """Advice to show the patient for ``effect``; ``URGENT_ADVICE`` for urgent effects."""
    which = SideEffect(effect)
    if which in URGENT_SIDE_EFFECTS:
        return URGENT_ADVICE
    return SIDE_EFFECT_ADVICE.get(which)


def needs_clinic_alert(effect: SideEffect | str, severity: Severity | str | None = None) -> bool:
    """Whether the clinic must be alerted at once (urgent effects, whatever the severity)."""
    if severity is not None:
        Severity(severity)  # validate
    return is_urgent(effect)
