"""The demo clinic: a believable synthetic clinic, deterministic given a seed.

`manage.py seed_demo` builds it. This module creates the staff, the patients and each
patient's *story* (stage, how they respond, the dates of their sessions); each app's
`demo.py` then adds its own records from that story, in the order of `DEMO_STEPS`:

    treatments -> procedures on the story's session dates, plans, vial stock
    diary      -> a daily diary that follows the story (baseline, response, wearing-off)
    ...

An app's step is `seed(ctx: DemoContext) -> None`. All names and data are synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module

from django.db import transaction

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.patients.models import Patient, Sex

DEMO_PASSWORD = "cadence-demo-2026"

# The order in which apps add their demo records.
DEMO_STEPS = (
    "cadence.patients.demo",
    "cadence.treatments.demo",
    "cadence.diary.demo",
    "cadence.scheduling.demo",
    "cadence.intake.demo",
    "cadence.outcomes.demo",
)

STAFF = [
    ("admin", Role.ADMIN, "Alex", "Morgan"),
    ("clinician", Role.CLINICIAN, "Dana", "Whitfield"),
    ("clinician2", Role.CLINICIAN, "Samir", "Okafor"),
    ("nurse", Role.NURSE, "Priya", "Lindqvist"),
    ("frontdesk", Role.FRONTDESK, "Jordan", "Reyes"),
]

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


def _story(rng: random.Random, today: date, index: int) -> tuple[str, str, list[date]]:
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


@transaction.atomic
def build_demo_clinic(*, seed: int = 2026, today: date, patient_count: int = 60) -> DemoContext:
    rng = random.Random(seed)
    ctx = DemoContext(rng=rng, today=today)
    for username, role, first, last in STAFF:
        user = User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@cadence.invalid",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.staff[username] = user
    for index in range(patient_count):
        stage, response, sessions = _story(rng, today, index)
        age = 17 if index == 3 else rng.randint(22, 68)
        born = today - timedelta(days=age * 365 + rng.randint(10, 300))
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        patient = Patient.objects.create(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=born,
            sex=rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.OTHER]),
            email=f"{first_name}.{last_name}.{index}@example.invalid".lower(),
            phone=f"+1 202 555 {rng.randint(100, 199):04d}",
        )
        anchor = sessions[0] if sessions else today
        baseline_start = anchor - timedelta(days=rng.randint(35, 70))
        ctx.patients.append(
            DemoPatient(
                patient=patient,
                stage=stage,
                response=response,
                session_dates=sessions,
                baseline_headache_days=rng.randint(16, 24),
                diary_start=baseline_start,
                diary_adherence=rng.choice([0.97, 0.93, 0.9, 0.85, 0.75]),
            )
        )
    # Demo patient logins: a responder in maintenance and a wearing-off patient.
    for username, wanted in (("patient", Response.RESPONDER), ("patient2", Response.WEARING_OFF)):
        free = [p for p in ctx.patients if p.login is None]
        # Small demo clinics (tests) may have no such patient: fall back to one with sessions.
        story = next(
            (p for p in free if p.stage == Stage.MAINTENANCE and p.response == wanted),
            next((p for p in reversed(free) if p.session_dates), free[-1]),
        )
        user = User(
            username=username,
            role=Role.PATIENT,
            patient=story.patient,
            first_name=story.patient.first_name,
            last_name=story.patient.last_name,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        story.login = user
        ctx.staff[username] = user
    for module_name in DEMO_STEPS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.seed(ctx)
    return ctx


def demo_logins() -> list[tuple[str, str]]:
    return [(username, role.label) for username, role, *_ in STAFF] + [
        ("patient", "Patient (responder)"),
        ("patient2", "Patient (wearing-off)"),
    ]
