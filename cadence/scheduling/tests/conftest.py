from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cadence.scheduling.models import WorkingHours


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
    from cadence.treatments.models import Procedure

    def sign(patient, performed_on: date):
        return Procedure.objects.create(patient=patient, performed_on=performed_on, status="signed")

    return sign


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
