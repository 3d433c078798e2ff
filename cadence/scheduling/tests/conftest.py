from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cadence.scheduling.models import Appointment, WorkingHours


@pytest.fixture
def working_week(clinician):
    """The clinician works every day 08:00-18:00 (so tests may book any date)."""
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(clinician=clinician, weekday=d, starts=time(8), ends=time(18))
            for d in range(7)
        ]
    )
    return clinician


@pytest.fixture
def sign_session():
    from cadence.treatments.models import Procedure, ProcedureStatus

    def sign(patient, performed_on: date):
        return Procedure.objects.create(
            patient=patient, performed_on=performed_on, status=ProcedureStatus.SIGNED
        )

    return sign


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def appointment(patient, clinician, day, hour, kind="treatment_session", minutes=15, **extra):
    start = at(day, hour)
    return Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        **extra,
    )
