"""Double-booking under concurrent requests, against the real database (SQLite or
PostgreSQL): many threads try to book overlapping times for one clinician at once."""

from __future__ import annotations

import threading
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cadence.accounts.validation import CONFLICT, refusal_codes
from cadence.scheduling.models import Appointment, AppointmentKind, WorkingHours
from cadence.scheduling.services import appointment_book
from cadence.scheduling.tests.conftest import at, in_days

THREADS = 6


def _race(target_args):
    barrier = threading.Barrier(len(target_args))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(patient, clinician, actor, starts_at):
        try:
            barrier.wait()
            appointment_book(
                patient=patient,
                clinician=clinician,
                kind=AppointmentKind.CONSULTATION,
                starts_at=starts_at,
                actor=actor,
            )
            result = "booked"
        except ValidationError as exc:
            result = "taken" if refusal_codes(exc) == {CONFLICT} else f"refused {exc.messages}"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            result = f"error {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=args) for args in target_args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_concurrent_overlapping_bookings_wins(
    working_week, make_patient, frontdesk
):
    patients = [make_patient() for _ in range(THREADS)]
    day = in_days(5)
    # Consultations (45 minutes) starting 10 minutes apart: every pair overlaps.
    args = [(p, working_week, frontdesk, at(day, 9, 10 * (i % 3))) for i, p in enumerate(patients)]
    outcomes = _race(args)
    assert sorted(outcomes) == ["booked"] + ["taken"] * (THREADS - 1), outcomes
    assert Appointment.objects.filter(clinician=working_week).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_that_do_not_overlap_all_succeed(working_week, make_patient, frontdesk):
    patients = [make_patient() for _ in range(THREADS)]
    day = in_days(5)
    args = [(p, working_week, frontdesk, at(day, 9 + i)) for i, p in enumerate(patients)]
    outcomes = _race(args)
    assert outcomes == ["booked"] * THREADS, outcomes


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_concurrent_bookings_of_one_patient_wins(
    working_week, make_user, make_patient, frontdesk
):
    """The same patient, booked at overlapping times with different clinicians at once."""
    patient = make_patient()
    clinicians = [working_week]
    for i in range(1, THREADS):
        other = make_user(f"t_race_clinician{i}", "clinician")
        WorkingHours.objects.bulk_create(
            [
                WorkingHours(clinician=other, weekday=d, starts=time(8), ends=time(18))
                for d in range(7)
            ]
        )
        clinicians.append(other)
    day = in_days(5)
    args = [(patient, c, frontdesk, at(day, 9, 10 * (i % 3))) for i, c in enumerate(clinicians)]
    outcomes = _race(args)
    assert sorted(outcomes) == ["booked"] + ["taken"] * (THREADS - 1), outcomes
    assert Appointment.objects.filter(patient=patient).count() == 1
