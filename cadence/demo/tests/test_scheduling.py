from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.demo import scheduling as demo
from cadence.demo.story import DemoContext, DemoPatient, Stage, story_for
from cadence.scheduling.models import ACTIVE_STATUSES, Appointment, AppointmentStatus, WorkingHours

pytestmark = pytest.mark.django_db


def test_the_demo_calendar_is_realistic(make_user, make_patient, frontdesk):
    today = timezone.localdate()
    rng = random.Random(7)
    ctx = DemoContext(rng=rng, today=today)
    ctx.staff = {
        "clinician": make_user("d1", "clinician"),
        "clinician2": make_user("d2", "clinician"),
        "frontdesk": frontdesk,
    }
    for index in range(60):
        stage, response, sessions = story_for(rng, today, index)
        ctx.patients.append(DemoPatient(make_patient(), stage, response, sessions, 20, today, 0.9))
    demo.seed(ctx)

    appointments = list(Appointment.objects.all())
    assert any(a.status == AppointmentStatus.ATTENDED for a in appointments)
    assert any(a.status == AppointmentStatus.NO_SHOW for a in appointments) or any(
        a.status == AppointmentStatus.CANCELLED for a in appointments
    )
    booked = {
        a.patient_id
        for a in appointments
        if a.status == AppointmentStatus.BOOKED and a.kind == "treatment_session"
    }
    treated = [p for p in ctx.patients if p.stage in (Stage.MAINTENANCE, Stage.FIRST_COURSE)]
    assert 0 < len(booked) < len(treated)  # some booked, some left for the worklists
    hours = {(h.clinician_id, h.weekday, h.starts, h.ends) for h in WorkingHours.objects.all()}
    for a in appointments:
        start, end = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
        assert any(
            c == a.clinician_id and d == start.weekday() and s <= start.time() and end.time() <= e
            for c, d, s, e in hours
        ), a
    active = sorted(
        (a for a in appointments if a.status in ACTIVE_STATUSES),
        key=lambda a: (a.clinician_id, a.starts_at),
    )
    for first, second in zip(active, active[1:], strict=False):
        if first.clinician_id == second.clinician_id:
            assert first.ends_at <= second.starts_at
    assert all(
        a.starts_at >= timezone.now() - timedelta(minutes=1)
        for a in appointments
        if a.status == "booked"
    )


@pytest.mark.parametrize("seed", [2026, 1, 2, 3, 4, 5])
def test_no_patient_is_booked_twice_at_once_whatever_the_draw(
    seed, make_user, make_patient, frontdesk
):
    """`make run` loads 60 stories with seed 2026 on whatever day it is: no draw may give
    a patient two appointments at once (the database refuses it, and the demo must load)."""
    today = timezone.localdate()
    rng = random.Random(seed)
    ctx = DemoContext(rng=rng, today=today)
    ctx.staff = {
        "clinician": make_user("d1", "clinician"),
        "clinician2": make_user("d2", "clinician"),
        "frontdesk": frontdesk,
    }
    for index in range(60):
        stage, response, sessions = story_for(rng, today, index)
        ctx.patients.append(DemoPatient(make_patient(), stage, response, sessions, 20, today, 0.9))
    demo.seed(ctx)
    days = [
        (a.patient_id, timezone.localtime(a.starts_at).date()) for a in Appointment.objects.all()
    ]
    assert len(days) == len(set(days))


def test_the_demo_clinics_rhythm_index_equals_a_rebuild():
    """The demo loads sessions and appointments in bulk (no save signals) and rebuilds the
    worklists' rhythm index after each load: the rows equal a rebuild from scratch."""
    from cadence.demo.clinic import build_demo_clinic
    from cadence.scheduling.models import TreatmentRhythm
    from cadence.scheduling.rhythm import rebuild_treatment_rhythms

    build_demo_clinic(seed=11, today=timezone.localdate(), patient_count=12)
    columns = (
        "patient_id",
        "first_session_on",
        "last_session_on",
        "course_first_session_on",
        "sessions_in_course",
        "last_follow_up_on",
    )
    loaded = set(TreatmentRhythm.objects.values_list(*columns))
    assert loaded and any(row[-1] is not None for row in loaded)
    rebuild_treatment_rhythms()
    assert set(TreatmentRhythm.objects.values_list(*columns)) == loaded
