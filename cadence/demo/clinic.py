"""The demo clinic: a believable synthetic clinic, deterministic given a seed.

`manage.py seed_demo` builds it. `build_demo_clinic` creates the staff, the patients and each
patient's story (`cadence.demo.story`); the seed steps then add each app's records from
those stories, in the order of `SEED_STEPS`:

    patients   -> payer profiles, referrers, histories, diagnoses, trials, candidacy decisions
    treatments -> procedures on the story's session dates, plans, vial stock
    diary      -> a daily diary that follows the story (baseline, response, wearing-off)
    scheduling -> working hours, past and coming appointments, reminder preferences
    intake     -> consultation requests from the public form
    course_reviews -> a NICE-profile patient who becomes episodic (the stop rule fires)
                  and a patient transferred in with a historical baseline
    surgery    -> a patient whose occipital site responded to a diagnostic injection,
                  who goes to surgery and improves

A seed step is `seed(ctx: DemoContext) -> None`. All names and data are synthetic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.demo import (
    course_reviews,
    diary,
    intake,
    patients,
    scheduling,
    surgery,
    treatments,
)
from cadence.demo.story import (
    DEMO_CLINICIAN_CREDENTIALS,
    FIRST_NAMES,
    LAST_NAMES,
    STAFF,
    DemoContext,
    DemoPatient,
    Response,
    Stage,
    demo_npi,
    story_for,
)
from cadence.patients.models import Patient, Sex

DEMO_PASSWORD = "cadence-demo-2026"

# The order in which the demo records are added (each step reads what the earlier ones made).
SEED_STEPS = (
    patients.seed,
    treatments.seed,
    diary.seed,
    scheduling.seed,
    intake.seed,
    course_reviews.seed,
    surgery.seed,
)


@transaction.atomic
def build_demo_clinic(*, seed: int = 2026, today: date, patient_count: int = 60) -> DemoContext:
    rng = random.Random(seed)
    ctx = DemoContext(rng=rng, today=today)
    clinicians = [username for username, role, *_ in STAFF if role == Role.CLINICIAN]
    for username, role, first, last in STAFF:
        user = User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@cadence.invalid",
        )
        if role == Role.CLINICIAN:
            # The signature block of their letters and packets (issue 19).
            user.credentials = DEMO_CLINICIAN_CREDENTIALS
            user.npi = demo_npi(clinicians.index(username))
        user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.staff[username] = user
    for index in range(patient_count):
        stage, response, sessions = story_for(rng, today, index)
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
    for step in SEED_STEPS:
        step(ctx)
    return ctx


def demo_logins() -> list[tuple[str, str]]:
    return [(username, role.label) for username, role, *_ in STAFF] + [
        ("patient", "Patient (responder)"),
        ("patient2", "Patient (wearing-off)"),
    ]
