"""Scale seeding (`seed_demo --patients N --days D`): the right rows, classified as the
diary rules classify them."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cadence.demo import scale
from cadence.diary.models import DiaryDay
from cadence.patients.models import Patient
from cadence.rules.diary import DERIVED_COLUMNS, classify_day
from cadence.rules.overuse import overuse_day_flags
from cadence.treatments.models import Procedure, ProcedureStatus

TODAY = date(2026, 3, 2)
RAW_FIELDS = [
    "headache_hours",
    "peak_severity",
    "unilateral",
    "pulsating",
    "worse_with_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
    "missed_activity",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_clinic():
    return scale.seed_scale_clinic(patients=5, days=30, today=TODAY, seed=11)


def test_it_loads_one_diary_row_per_patient_and_day(tiny_clinic):
    assert tiny_clinic.diary_rows == 150
    assert Patient.objects.count() == 5
    assert DiaryDay.objects.count() == 150
    for patient_id in tiny_clinic.patient_ids:
        dates = list(DiaryDay.objects.filter(patient_id=patient_id).values_list("date", flat=True))
        assert dates == [TODAY - timedelta(days=29 - offset) for offset in range(30)]


def test_its_stored_classification_equals_classify_day(tiny_clinic):
    templates_by_answers = {}
    for template in scale.DAY_TEMPLATES:
        answers = tuple(getattr(template, name) for name in RAW_FIELDS)
        templates_by_answers[answers] = template
    for day in DiaryDay.objects.all():
        answers = tuple(getattr(day, name) for name in RAW_FIELDS)
        template = templates_by_answers[answers]
        expected = {
            **dataclasses.asdict(classify_day(template.facts())),
            **dataclasses.asdict(
                overuse_day_flags(m.drug_class for m in template.acute_medications)
            ),
        }
        assert {name: getattr(day, name) for name in DERIVED_COLUMNS} == expected
        assert [m["drug_class"] for m in day.acute_medications] == [
            m.drug_class.value for m in template.acute_medications
        ]


def test_its_templates_cover_the_kinds_of_day_the_report_counts():
    flags = [scale.template_columns(t) for t in scale.DAY_TEMPLATES]
    for name in DERIVED_COLUMNS:
        assert any(f[name] for f in flags), name
        assert not all(f[name] for f in flags), name


def test_its_sessions_are_signed_about_every_twelve_weeks():
    result = scale.seed_scale_clinic(patients=2, days=400, today=TODAY, seed=3)
    assert result.procedures == Procedure.objects.count()
    for patient_id in result.patient_ids:
        sessions = list(Procedure.objects.filter(patient_id=patient_id).order_by("performed_on"))
        assert len(sessions) >= 4
        assert all(s.status == ProcedureStatus.SIGNED and s.signed_at for s in sessions)
        gaps = [
            (b.performed_on - a.performed_on).days
            for a, b in zip(sessions, sessions[1:], strict=False)
        ]
        assert all(84 <= gap <= 90 for gap in gaps)
        first_diary_day = TODAY - timedelta(days=399)
        assert (sessions[0].performed_on - first_diary_day).days >= 28


def test_it_stops_at_max_sessions():
    result = scale.seed_scale_clinic(patients=1, days=730, today=TODAY, max_sessions=8)
    assert result.procedures == 8


def test_the_command_scales_with_days():
    call_command(
        "seed_demo",
        "--patients",
        "3",
        "--days",
        "10",
        "--no-progress",
        "--today",
        TODAY.isoformat(),
    )
    assert DiaryDay.objects.count() == 30
    assert Patient.objects.count() == 3


def test_the_command_without_days_still_builds_the_story_clinic(monkeypatch):
    built = {}

    def fake_build(*, seed, today, patient_count):
        built.update(seed=seed, today=today, patient_count=patient_count)
        return type("Ctx", (), {"patients": [], "staff": {}})()

    monkeypatch.setattr("cadence.demo.management.commands.seed_demo.build_demo_clinic", fake_build)
    call_command("seed_demo", "--if-empty", "--today", TODAY.isoformat())
    assert built == {"seed": 2026, "today": TODAY, "patient_count": 60}


def test_with_appointments_the_worklists_hold_only_the_patients_left_out(monkeypatch):
    """Issue 20's scaling bench: every patient booked and reviewed but the few left out,
    so the worklists hold the same patients however big the clinic grows."""
    from cadence.scheduling.models import Appointment, AppointmentKind, TreatmentRhythm
    from cadence.scheduling.selectors import worklists

    today = timezone.localdate()
    monkeypatch.setattr(scale, "APPOINTMENT_SLOTS_PER_DAY", 2)  # days fill up at once
    result = scale.seed_scale_clinic(
        patients=40, days=400, today=today, seed=5, appointments=True, worklist_patients=4
    )
    plans_with_sessions = TreatmentRhythm.objects.filter(patient_id__in=result.patient_ids)
    treated = set(plans_with_sessions.values_list("patient_id", flat=True))
    assert len(treated) == 40  # the rhythm index was built for the bulk-loaded sessions
    booked = set(
        Appointment.objects.filter(kind=AppointmentKind.TREATMENT_SESSION, status="booked")
        .filter(starts_at__date__gt=today)
        .values_list("patient_id", flat=True)
    )
    reviewed = set(
        Appointment.objects.filter(kind=AppointmentKind.FOLLOW_UP, status="attended").values_list(
            "patient_id", flat=True
        )
    )
    left_out = treated - booked
    assert len(left_out) == 4 and booked == reviewed == treated - left_out
    followed = plans_with_sessions.filter(last_follow_up_on__isnull=False)
    assert set(followed.values_list("patient_id", flat=True)) == reviewed  # rebuilt after
    assert result.appointments == 2 * 36
    lists = worklists(today)
    for listed in (lists.overdue, lists.reviews_due, lists.lost_to_follow_up):
        assert {entry.patient.pk for entry in listed} <= left_out
    # more clinicians are added as a day's slots fill up: nobody is double-booked (the
    # database refuses overlaps), and each day's slots start at 08:00
    assert Appointment.objects.values("clinician").distinct().count() > 1
    first = Appointment.objects.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).hour == 8
    # the clinic grows in steps: the next step's appointments take the next free slots
    more = scale.seed_scale_clinic(
        patients=10, days=400, today=today, seed=6, appointments=True, worklist_patients=0
    )
    assert more.appointments == 2 * 10


def test_the_bench_removes_a_loaded_clinic_whole():
    """`make bench`'s load stage deletes each timed load: every row the seeder wrote for
    its patients goes (the rhythm index and the appointments included)."""
    from bench.tasks import _delete_patients
    from cadence.scheduling.models import Appointment, TreatmentRhythm

    result = scale.seed_scale_clinic(
        patients=6, days=200, today=TODAY, seed=8, appointments=True, worklist_patients=1
    )
    assert TreatmentRhythm.objects.exists() and Appointment.objects.exists()
    _delete_patients(result.patient_ids[0], result.patient_ids[-1])
    assert not Patient.objects.filter(pk__in=result.patient_ids).exists()
    for model in (DiaryDay, Procedure, Appointment, TreatmentRhythm):
        assert not model.objects.filter(patient_id__in=result.patient_ids).exists()
