"""Patient-facing texts of a treatment session: aftercare and the expected course.

Source: clinic-reference.md section 2 ("Aftercare (as the clinic instructs)") and section 3
("Expected course after a session"), written in Cadence's own words. The numbers are named
constants so that pages, the printable sheet and the PDF all say the same thing.

Public API
----------
- ``AFTERCARE_UPRIGHT_HOURS``, ``REDNESS_SETTLES_HOURS``
- ``aftercare_instructions() -> list[str]`` and ``aftercare_text() -> str``: what is stored
  on the note as the aftercare given. The advice about urgent side effects is not part of
  it: every page and PDF shows it from ``cadence.rules.side_effects.URGENT_ADVICE_LINES``
  (one wording, section 7), next to these lines.
- ``aftercare_lines_to_show(stored) -> list[str]``: a note's stored aftercare, one line
  each, without the urgent-symptom line older notes carried (superseded by the one wording)
- ``RELIEF_STARTS_DAYS``, ``PEAK_EFFECT_WEEK``, ``ACTIVE_WEEKS``, ``EARLY_IMPROVEMENT_WEEKS``
  (and ``RETREATMENT_WEEKS``, defined once in ``cadence.rules.payer``)
- ``expected_course() -> list[str]``
"""

from __future__ import annotations

from cadence.rules.payer import RETREATMENT_WEEKS

__all__ = [
    "ACTIVE_WEEKS",
    "AFTERCARE_UPRIGHT_HOURS",
    "EARLY_IMPROVEMENT_WEEKS",
    "PEAK_EFFECT_WEEK",
    "REDNESS_SETTLES_HOURS",
    "RELIEF_STARTS_DAYS",
    "aftercare_instructions",
    "aftercare_lines_to_show",
    "aftercare_text",
    "expected_course",
]

#: "keep the head upright (do not lie down) for about 4 hours"
AFTERCARE_UPRIGHT_HOURS = 4
#: "mild redness or swelling at the sites usually settles within an hour"
REDNESS_SETTLES_HOURS = 1
#: "relief starts within about a week (often 5-7 days)"
RELIEF_STARTS_DAYS = (5, 7)
#: "peak effect around week 6"
PEAK_EFFECT_WEEK = 6
#: "waning over the following 6 weeks; about 3 months active" (12 weeks)
ACTIVE_WEEKS = 12
#: "Many patients notice improvement at 2-4 weeks"
EARLY_IMPROVEMENT_WEEKS = (2, 4)


def aftercare_instructions() -> list[str]:
    """The clinic's aftercare, one instruction a line."""
    return [
        f"Stay upright for about {AFTERCARE_UPRIGHT_HOURS} hours after the injections: "
        "sit or stand, and do not lie down.",
        "Do not exercise for the rest of the day.",
        "Some redness or swelling where the needle went in is normal; it usually goes "
        f"within {REDNESS_SETTLES_HOURS} hour.",
    ]


def aftercare_text() -> str:
    return "\n".join(aftercare_instructions())


#: The urgent-symptom line notes stored before the one wording of section 7; shown no more
#: (the sheet shows ``URGENT_ADVICE_LINES`` instead, so the advice never differs).
SUPERSEDED_URGENT_LINES = frozenset(
    {
        "Call the clinic at once if you have difficulty swallowing, speaking or breathing, "
        "new weakness, or double vision.",
    }
)


def aftercare_lines_to_show(stored: str) -> list[str]:
    """A note's stored aftercare as lines, blank and superseded urgent-advice lines left out."""
    return [
        line
        for line in stored.splitlines()
        if line.strip() and line.strip() not in SUPERSEDED_URGENT_LINES
    ]


def expected_course() -> list[str]:
    """What to expect after a session, in plain words."""
    low, high = RELIEF_STARTS_DAYS
    early_low, early_high = EARLY_IMPROVEMENT_WEEKS
    return [
        f"Relief usually begins within about a week (often {low} to {high} days); many "
        f"people notice a difference between {early_low} and {early_high} weeks.",
        f"The effect is usually strongest around week {PEAK_EFFECT_WEEK} and fades over the "
        f"following weeks: one session works for about {ACTIVE_WEEKS} weeks.",
        f"Sessions are repeated every {RETREATMENT_WEEKS} weeks. The full benefit can take "
        "more than one cycle, so a first course is two sessions before the response is reviewed.",
        "Keep your headache diary going: it shows how well the treatment works for you.",
    ]
