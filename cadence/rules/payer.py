"""Payer profiles: the clinical-rule settings that differ between payers.

clinic-reference.md says "Numbers here are the defaults; where clinics or payers differ,
the rule is a setting whose default is the number below". The settings that vary by payer
live on a :class:`PayerProfile`; every other module takes a profile argument instead of
hard-coding these numbers.

Public API
----------
- ``ResponderRule`` -- the canonical responder rule enum (``percent_50``, ``fewer_7_days``).
- ``PayerProfile(name, min_preventive_classes=2, min_interval_days=84,
  responder_rule=ResponderRule.percent_50, shortened_interval_days=None, review_weeks=24,
  stopping_rules=StoppingRules.us_responder)``
- ``StoppingRules`` -- the course review's rule set (``us_responder``, ``nice_ta260``).
- ``DEFAULT_PAYER_PROFILE`` -- the reference defaults.
- Constants ``DEFAULT_MIN_PREVENTIVE_CLASSES``, ``RETREATMENT_WEEKS``,
  ``RETREATMENT_INTERVAL_DAYS``, ``COURSE_REVIEW_WEEKS``.

The re-treatment interval and the course review are section 3's rhythm of treatment (see
``cadence.rules.schedule``, which re-exports them); they are defined here, once, because
they are also the defaults of a payer's ``min_interval_days`` and ``review_weeks`` and
``schedule`` builds on this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "COURSE_REVIEW_WEEKS",
    "DEFAULT_MIN_PREVENTIVE_CLASSES",
    "DEFAULT_PAYER_PROFILE",
    "RETREATMENT_INTERVAL_DAYS",
    "RETREATMENT_WEEKS",
    "PayerProfile",
    "ResponderRule",
    "StoppingRules",
]

# Section 1: "an adequate trial ... of at least 2 oral preventive classes ... Default rule:
# 2 classes; configurable per payer profile (some require 3)."
DEFAULT_MIN_PREVENTIVE_CLASSES = 2
#: Section 3: "Re-treatment every 12 weeks (84 days)".
RETREATMENT_WEEKS = 12
#: Section 3: "Re-treatment every 12 weeks (84 days). Most payers refuse a session sooner
#: than 84 days after the last one" (the default of ``min_interval_days``).
RETREATMENT_INTERVAL_DAYS = RETREATMENT_WEEKS * 7
#: Section 3/4: "a response review at 24 weeks after the first session"; "Reviewed after
#: 2 sessions (24 weeks)" (the default of ``review_weeks``).
COURSE_REVIEW_WEEKS = 24


class ResponderRule(StrEnum):
    """How a payer decides that a patient responds (clinic-reference.md section 4)."""

    #: "at least 50% fewer headache days than baseline" (the default, common payer rule).
    percent_50 = "percent_50"
    #: "Alternative payer rule: at least 7 fewer headache days."
    fewer_7_days = "fewer_7_days"


class StoppingRules(StrEnum):
    """Which rule set decides the 24-week course review (clinic-reference.md section 7,
    "Stopping and continuing": a payer profile may choose either rule set). The rules
    themselves are in ``cadence.rules.course_review``."""

    #: "US payers: responder as section 4" (the profile's ``responder_rule``).
    us_responder = "us_responder"
    #: "NHS England (NICE TA260): Botox after 3 failed preventives; stop when headache days
    #: fall by less than 30% after two cycles, or when the migraine has become episodic
    #: (fewer than 15 headache days a month) for three consecutive months."
    nice_ta260 = "nice_ta260"


@dataclass(frozen=True, slots=True)
class PayerProfile:
    """The payer-dependent settings; defaults are clinic-reference.md's numbers.

    ``shortened_interval_days``: a payer that allows re-treatment sooner than
    ``min_interval_days`` for *documented wearing-off* (e.g. 70 = 10 weeks) sets it; it is
    used only when a clinician records an override reason (see ``schedule.booking_check``).
    """

    name: str
    min_preventive_classes: int = DEFAULT_MIN_PREVENTIVE_CLASSES
    min_interval_days: int = RETREATMENT_INTERVAL_DAYS
    responder_rule: ResponderRule = ResponderRule.percent_50
    shortened_interval_days: int | None = None
    review_weeks: int = COURSE_REVIEW_WEEKS
    stopping_rules: StoppingRules = StoppingRules.us_responder

    def __post_init__(self) -> None:
        if self.min_preventive_classes < 1:
            raise ValueError("min_preventive_classes must be at least 1")
        if self.min_interval_days < 1:
            raise ValueError("min_interval_days must be at least 1")
        if self.shortened_interval_days is not None and not (
            1 <= self.shortened_interval_days <= self.min_interval_days
        ):
            raise ValueError(
                "shortened_interval_days must be between 1 and min_interval_days "
                f"({self.min_interval_days})"
            )
        if self.review_weeks < 1:
            raise ValueError("review_weeks must be at least 1")
        object.__setattr__(self, "responder_rule", ResponderRule(self.responder_rule))
        object.__setattr__(self, "stopping_rules", StoppingRules(self.stopping_rules))


#: Shown on screens and PDFs: the clinic's own words, never a file name.
DEFAULT_PAYER_PROFILE_NAME = "Clinic default"
DEFAULT_PAYER_PROFILE = PayerProfile(name=DEFAULT_PAYER_PROFILE_NAME)
