"""The demo clinic's cast and stories: who the demo patients are and what happens to them.

Each demo patient has a *story* (stage, how they respond, the dates of their sessions).
`cadence.demo.clinic` creates the patients and logins from these stories, then each seed
step (`cadence.demo.patients`, `.treatments`, `.diary`, ...) adds its records from them. All
names and data are synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.patients.models import Patient
from cadence.rules.identifiers import npi_check_digit

STAFF = [
    ("admin", Role.ADMIN, "Alex", "Morgan"),
    ("clinician", Role.CLINICIAN, "Dana", "Whitfield"),
    ("clinician2", Role.CLINICIAN, "Samir", "Okafor"),
    ("nurse", Role.NURSE, "Priya", "Lindqvist"),
    ("frontdesk", Role.FRONTDESK, "Jordan", "Reyes"),
]

#: The demo prescribers' post-nominal letters on letters, packets and notes (synthetic).
DEMO_CLINICIAN_CREDENTIALS = "MD"


def demo_npi(index: int) -> str:
    """A synthetic NPI with a valid check digit for the demo's ``index``-th clinician
    (1234567893 for the first), so signature blocks are whole. Not a real prescriber's."""
    first_nine = str(123456789 - index)
    return first_nine + str(npi_check_digit(first_nine))


FIRST_NAMES = [
    "Avery",
    "Blake",
    "Casey",
    "Drew",
    "Emery",
    "Finley",
    "Harper",
    "Jamie",
    "Kendall",
    "Logan",
    "Morgan",
    "Noel",
    "Parker",
    "Quinn",
    "Riley",
    "Rowan",
    "Sage",
    "Skyler",
    "Taylor",
    "Tatum",
    "Marisol",
    "Ingrid",
    "Tomasz",
    "Keiko",
    "Anouk",
    "Bram",
    "Celeste",
    "Dmitri",
    "Elodie",
    "Farid",
    "Greta",
    "Hiro",
    "Ilse",
    "Joaquin",
    "Katya",
    "Lior",
    "Mireille",
    "Niamh",
    "Oskar",
]
LAST_NAMES = [
    "Abernathy",
    "Bellweather",
    "Castellano",
    "Delacroix",
    "Eastwood",
    "Fairbanks",
    "Galloway",
    "Hartwell",
    "Ingersoll",
    "Jovanovic",
    "Kettering",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Okonkwo",
    "Pemberton",
    "Quintero",
    "Ravenscroft",
    "Silverstone",
    "Thistlewood",
    "Underhill",
    "Vanterpool",
    "Wexford",
    "Yarborough",
    "Zellweger",
]


class Stage:
    WORK_UP = "work_up"  # referred, being assessed, no session yet
    FIRST_COURSE = "first_course"  # one or two sessions, review at 24 weeks not reached
    MAINTENANCE = "maintenance"  # responded, treated every 12 weeks
    STOPPED = "stopped"  # did not respond after the first course; other options


class Response:
    RESPONDER = "responder"
    PARTIAL = "partial"
    NON_RESPONDER = "non_responder"
    WEARING_OFF = "wearing_off"  # responds, but headaches return in weeks 9-12


@dataclass
class DemoPatient:
    patient: Patient
    stage: str
    response: str
    session_dates: list[date]
    baseline_headache_days: int  # per 28 days before treatment
    diary_start: date
    diary_adherence: float  # share of days recorded
    login: User | None = None


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    staff: dict[str, User] = field(default_factory=dict)
    patients: list[DemoPatient] = field(default_factory=list)

    def clinicians(self) -> list[User]:
        return [u for u in self.staff.values() if u.role == Role.CLINICIAN]


def story_for(rng: random.Random, today: date, index: int) -> tuple[str, str, list[date]]:
    """Stage, response and session dates of the index-th demo patient (60+ patients)."""
    slot = index % 60
    if slot < 8:
        return Stage.WORK_UP, Response.RESPONDER, []
    if slot < 16:  # first course, one session 2-11 weeks ago
        first = today - timedelta(days=rng.randint(14, 80))
        return Stage.FIRST_COURSE, rng.choice([Response.RESPONDER, Response.PARTIAL]), [first]
    if slot < 24:  # first course, two sessions; review at 24 weeks soon or due
        last = today - timedelta(days=rng.randint(10, 80))
        return (
            Stage.FIRST_COURSE,
            rng.choice(
                [Response.RESPONDER, Response.RESPONDER, Response.PARTIAL, Response.NON_RESPONDER]
            ),
            [last - timedelta(days=rng.randint(84, 90)), last],
        )
    if slot < 30:  # stopped after the first course: non-responders
        first = today - timedelta(days=rng.randint(260, 420))
        return (
            Stage.STOPPED,
            Response.NON_RESPONDER,
            [first, first + timedelta(days=rng.randint(84, 92))],
        )
    # maintenance: 3-8 sessions every 12-13 weeks; some due this week, some overdue
    count = rng.randint(3, 8)
    response = (
        [Response.RESPONDER] * 14
        + [Response.PARTIAL] * 5
        + [Response.WEARING_OFF] * 7
        + [Response.NON_RESPONDER] * 4
    )
    last = today - timedelta(
        days=rng.choice([rng.randint(20, 75), rng.randint(80, 90), rng.randint(95, 130)])
    )
    dates = [last]
    for _ in range(count - 1):
        dates.insert(0, dates[0] - timedelta(days=rng.randint(84, 95)))
    return Stage.MAINTENANCE, response[slot - 30], dates
