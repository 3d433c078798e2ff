"""Demo consultation requests in every status, some with notes, two linked to work-up
patients (converted)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cadence.intake.models import ConsultationRequest, RequestNote, RequestStatus

FIRST = [
    "Amara",
    "Bastian",
    "Carmen",
    "Devika",
    "Eamon",
    "Fleur",
    "Gideon",
    "Hana",
    "Idris",
    "Juno",
    "Kasimir",
    "Leonie",
    "Matteo",
    "Nadia",
    "Orla",
    "Pavel",
    "Rhea",
    "Soren",
]
LAST = [
    "Ashgrove",
    "Brightwater",
    "Coldbrook",
    "Dunmore",
    "Elderfield",
    "Foxley",
    "Greyling",
    "Hawthorne",
]
MESSAGES = [
    "Headaches most days for over a year; my GP suggested Botox.",
    "I have tried topiramate and propranolol without much help.",
    "Could I have an evening appointment?",
    "",
    "Self-check: headaches on 18 days a month for 10 months, migraine features on 12 days, 2 preventive medicine kinds tried.",
]
CLOSE_REASONS = [
    "Could not reach after three attempts.",
    "Chose a CGRP antibody with their neurologist.",
    "Episodic migraine: referred back to GP.",
]


def seed(ctx) -> None:
    rng = ctx.rng
    tz = timezone.get_current_timezone()
    statuses = (
        [RequestStatus.NEW] * 6
        + [RequestStatus.CONTACTED] * 5
        + [RequestStatus.BOOKED] * 4
        + [RequestStatus.CLOSED] * 3
    )
    work_up = [p.patient for p in ctx.patients if not p.session_dates][6:8]
    requests = []
    for index, status in enumerate(statuses):
        received = datetime.combine(
            ctx.today - timedelta(days=rng.randint(0, 40)),
            time(rng.randint(7, 21), rng.randint(0, 59)),
            tzinfo=tz,
        )
        first, last = FIRST[index], rng.choice(LAST)
        patient = None
        if status == RequestStatus.BOOKED and work_up:
            patient = work_up.pop()
            first, last = patient.first_name, patient.last_name
        requests.append(
            ConsultationRequest(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{index}@example.invalid".lower(),
                phone=f"+1202555{rng.randint(200, 299):04d}",
                date_of_birth=(ctx.today - timedelta(days=365 * rng.randint(20, 65)))
                if index % 3
                else None,
                preferred_contact=rng.choice(["phone", "email"]),
                message=rng.choice(MESSAGES),
                consent_to_contact=True,
                status=status,
                closed_reason=rng.choice(CLOSE_REASONS) if status == RequestStatus.CLOSED else "",
                patient=patient,
                created_at=received,
                status_changed_at=received + timedelta(hours=20),
                status_changed_by=None if status == RequestStatus.NEW else ctx.staff["frontdesk"],
            )
        )
    ConsultationRequest.objects.bulk_create(requests)
    notes = [
        RequestNote(
            consultation_request=request,
            author=ctx.staff["frontdesk"],
            text=rng.choice(
                [
                    "Called, left a voicemail.",
                    "Spoke to them; sending the diary link.",
                    "Booked for a consultation with Dr Whitfield.",
                ]
            ),
            created_at=request.created_at + timedelta(hours=22),
        )
        for request in requests
        if request.status != RequestStatus.NEW
    ]
    RequestNote.objects.bulk_create(notes)
