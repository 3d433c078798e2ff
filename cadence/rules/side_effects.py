"""Side effects tracked after each session (clinic-reference.md sections 5 and 7).

Pure Python: no Django, no I/O.

Public API
----------
Enums
    ``SideEffect``   every side effect of section 5, common and urgent, and the urgent
                     ones section 7 adds from the Botox label's boxed warning.
    ``Severity``     mild, moderate, severe (patient-reported).
Constants
    ``COMMON_SIDE_EFFECTS``, ``URGENT_SIDE_EFFECTS`` (frozensets, disjoint, together all of
    ``SideEffect``), ``SIDE_EFFECT_LABELS`` (display text),
    ``SIDE_EFFECT_ADVICE`` (per-effect advice where the reference gives one),
    ``PREEMPT_INCIDENCE_PERCENT`` (neck pain ~9 %, ptosis ~4 %).
The one wording of the urgent advice (section 7: "the same on every page and on the
aftercare sheet"; the side-effect page, the aftercare sheet and its PDF, the API answer and
the e-mails all use these)
    ``EMERGENCY_ADVICE``    trouble breathing or swallowing: the emergency number, now.
    ``CLINIC_TODAY_ADVICE`` any other urgent symptom: the clinic, today.
    ``ONSET_ADVICE``        symptoms can begin hours to weeks after the injection.
    ``URGENT_ADVICE_LINES`` the three, in that order; ``URGENT_ADVICE`` them as one text.
Functions
    ``is_urgent(effect, severity=None) -> bool``  an urgent effect, whatever its severity,
                                                or a common effect reported severe.
    ``advice_for(effect, severity=None) -> str | None``  ``URGENT_ADVICE`` when urgent,
                                                else the effect's own advice if any.
    ``needs_clinic_alert(effect, severity=None) -> bool``  alert the clinic at once
                                                (the same answer as ``is_urgent``).

``effect`` arguments accept a ``SideEffect`` or its string value; an unknown effect or
severity raises ``ValueError``.

Section 7: "Urgent: any of these, and a common effect (e.g. eyelid ptosis, neck weakness)
reported as severe." An urgent effect is urgent even reported "mild".
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CLINIC_TODAY_ADVICE",
    "COMMON_SIDE_EFFECTS",
    "EMERGENCY_ADVICE",
    "ONSET_ADVICE",
    "PREEMPT_INCIDENCE_PERCENT",
    "SIDE_EFFECT_ADVICE",
    "SIDE_EFFECT_LABELS",
    "URGENT_ADVICE",
    "URGENT_ADVICE_LINES",
    "URGENT_SIDE_EFFECTS",
    "Severity",
    "SideEffect",
    "advice_for",
    "is_urgent",
    "needs_clinic_alert",
]


class SideEffect(StrEnum):
    """Side effects listed in clinic-reference.md section 5, and those section 7 adds."""

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
    # Urgent, added by section 7 (the boxed warning of the Botox label)
    blurred_vision = "blurred_vision"
    voice_change = "voice_change"
    loss_of_bladder_control = "loss_of_bladder_control"
    allergic_reaction = "allergic_reaction"


class Severity(StrEnum):
    """Patient-reported severity of a side effect."""

    mild = "mild"
    moderate = "moderate"
    severe = "severe"


#: Section 5: "Urgent (possible distant spread of toxin; the clinic must be alerted at
#: once): difficulty swallowing, speaking or breathing, generalised weakness, double
#: vision." Section 7 adds from the boxed warning: blurred vision, hoarseness or change or
#: loss of voice, loss of bladder control, and allergic reactions. (Its "trouble saying
#: words clearly" is ``difficulty_speaking``; its "drooping eyelids" is the common
#: ``eyelid_ptosis``, urgent when reported severe.)
URGENT_SIDE_EFFECTS: frozenset[SideEffect] = frozenset(
    {
        SideEffect.difficulty_swallowing,
        SideEffect.difficulty_speaking,
        SideEffect.difficulty_breathing,
        SideEffect.generalised_weakness,
        SideEffect.double_vision,
        SideEffect.blurred_vision,
        SideEffect.voice_change,
        SideEffect.loss_of_bladder_control,
        SideEffect.allergic_reaction,
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
    SideEffect.blurred_vision: "Blurred vision",
    SideEffect.voice_change: "Hoarseness, or a changed or lost voice",
    SideEffect.loss_of_bladder_control: "Loss of bladder control",
    SideEffect.allergic_reaction: (
        "Allergic reaction (itching, rash, wheezing, dizziness or faintness, swelling)"
    ),
}

#: Section 7: "trouble breathing or swallowing, call the emergency number now".
EMERGENCY_ADVICE: str = (
    "If you have trouble breathing or swallowing, call your local emergency number now."
)
#: Section 7: "any other urgent symptom, contact the clinic today" (the symptoms named).
CLINIC_TODAY_ADVICE: str = (
    "If you have any other urgent symptom, contact the clinic today: blurred or double "
    "vision, drooping eyelids, a hoarse, changed or lost voice, trouble saying words "
    "clearly, loss of bladder control, weakness all over, an allergic reaction (itching, "
    "rash, wheezing, dizziness or faintness, swelling), or any side effect that is severe."
)
#: Section 7: "Symptoms can start hours to weeks after the injection."
ONSET_ADVICE: str = "These symptoms can begin hours to weeks after the injection."
#: The one wording, in order: every page, the aftercare sheet, its PDF and the e-mails.
URGENT_ADVICE_LINES: tuple[str, str, str] = (EMERGENCY_ADVICE, CLINIC_TODAY_ADVICE, ONSET_ADVICE)
#: The same sentences as one text (the API's ``advice`` for an urgent report).
URGENT_ADVICE: str = " ".join(URGENT_ADVICE_LINES)

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


def is_urgent(effect: SideEffect | str, severity: Severity | str | None = None) -> bool:
    """True for the urgent effects whatever their severity, and for a common effect
    reported severe (section 7). Without a severity, whether the effect itself is urgent."""
    which = SideEffect(effect)
    reported = Severity(severity) if severity is not None else None
    return which in URGENT_SIDE_EFFECTS or reported is Severity.severe


def advice_for(effect: SideEffect | str, severity: Severity | str | None = None) -> str | None:
    """Advice to show the patient: ``URGENT_ADVICE`` when the report is urgent, else the
    effect's own advice where the reference gives one."""
    if is_urgent(effect, severity):
        return URGENT_ADVICE
    return SIDE_EFFECT_ADVICE.get(SideEffect(effect))


def needs_clinic_alert(effect: SideEffect | str, severity: Severity | str | None = None) -> bool:
    """Whether the clinic must be alerted at once: exactly the urgent reports."""
    return is_urgent(effect, severity)
