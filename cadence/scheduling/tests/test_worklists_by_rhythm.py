"""Issue 20: the worklists read only the patients they may hold (found by the indexed
dates of `TreatmentRhythm`), and hold exactly the patients that reading every patient's
sessions gives: the same four lists, the same order, on random clinics (sessions with
lapses, payers with longer intervals and reviews, booked, cancelled and attended
appointments). `TreatmentRhythm` follows every signed, voided and deleted session, and
a bulk rebuild gives the same rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadence.patients.models import PayerProfile
from cadence.rules.schedule import courses
from cadence.scheduling import selectors
from cadence.scheduling.models import TreatmentRhythm
from cadence.scheduling.rhythm import rebuild_treatment_rhythms, rhythm_from_sessions
from cadence.scheduling.tests.conftest import appointment
from cadence.treatments.models import Procedure, ProcedureStatus
from cadence.treatments.selectors import session_dates_by_patient

pytestmark = pytest.mark.django_db


def every_patient_worklists(today: date) -> selectors.Worklists:
    """The worklists as they were computed before issue 20: every treated patient's
    schedule, then the same filters (the reference the indexed reading must equal)."""
    entries = selectors._entries_for(session_dates_by_patient(), today)
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    return selectors.Worklists(
        week_start=week_start,
        week_end=week_end,
        due_this_week=selectors._by_due(
            [e for e in entries if week_start <= e.schedule.next_due <= week_end]
        ),
        overdue=selectors._by_due(selectors._overdue(entries, today)),
        reviews_due=sorted(
            selectors._reviews(entries, today), key=lambda e: (e.schedule.review_due, e.patient.pk)
        ),
        lost_to_follow_up=selectors._by_due(selectors._lost(entries)),
    )


def ids(entries) -> list[int]:
    return [entry.patient.pk for entry in entries]


def random_clinic(rng: random.Random, make_patient, make_user, today: date, patients: int):
    payers = [None] + [
        PayerProfile.objects.get_or_create(
            name=name,
            defaults={
                "min_preventive_classes": 2,
                "min_interval_days": interval,
                "responder_rule": "percent_50",
                "review_weeks": weeks,
            },
        )[0]
        for name, interval, weeks in (("90-day payer", 90, 24), ("26-week review", 84, 26))
    ]
    for _ in range(patients):
        patient = make_patient(last_name=rng.choice(["Abbott", "Brown", "Chen"]))
        payer = rng.choice(payers)
        if payer is not None:
            patient.payer_profile = payer
            patient.save(update_fields=["payer_profile"])
        clinician = make_user(f"rhythm_clinician_{patient.pk}", "clinician")
        on = today - timedelta(days=rng.randint(0, 700))
        for _ in range(rng.randint(0, 6)):
            if on > today:
                break
            status = rng.choice([ProcedureStatus.SIGNED] * 5 + [ProcedureStatus.DRAFT])
            Procedure.objects.create(patient=patient, performed_on=on, status=status)
            on += timedelta(days=rng.choice([70, 84, 84, 86, 90, 95, 120, 200, 260]))
        for hour in range(8, 8 + rng.randint(0, 3)):
            day = today + timedelta(days=rng.randint(-260, 100))
            kind = rng.choice(["treatment_session", "follow_up", "consultation"])
            status = rng.choice(["booked", "booked", "attended", "cancelled", "no_show"])
            appointment(patient, clinician, day, hour, kind=kind, status=status)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_indexed_worklists_equal_reading_every_patient(make_patient, make_user, seed):
    rng = random.Random(seed)
    today = timezone.localdate()
    random_clinic(rng, make_patient, make_user, today, patients=45)
    for day in [today + timedelta(days=offset) for offset in (-120, -30, 0, 13, 45, 99)]:
        expected = every_patient_worklists(day)
        actual = selectors.worklists(day)
        assert ids(actual.due_this_week) == ids(expected.due_this_week), day
        assert ids(actual.overdue) == ids(expected.overdue), day
        assert ids(actual.reviews_due) == ids(expected.reviews_due), day
        assert ids(actual.lost_to_follow_up) == ids(expected.lost_to_follow_up), day
        # the single lists agree with the combined one
        assert ids(selectors.overdue_patients(day)) == ids(expected.overdue)
        assert ids(selectors.lost_to_follow_up(day)) == ids(expected.lost_to_follow_up)
        assert ids(selectors.course_reviews_due(day)) == ids(expected.reviews_due)
        start, end = day, day + timedelta(days=20)
        reference = selectors._by_due(
            [
                e
                for e in selectors._entries_for(session_dates_by_patient(), day)
                if start <= e.schedule.next_due <= end
            ]
        )
        assert ids(selectors.sessions_due_between(start, end, day)) == ids(reference)


def test_the_random_clinics_fill_every_list(make_patient, make_user):
    """The equivalence above is not vacuous: over its days, each list holds patients."""
    rng = random.Random(1)
    today = timezone.localdate()
    random_clinic(rng, make_patient, make_user, today, patients=45)
    seen = {"due": 0, "overdue": 0, "reviews": 0, "lost": 0}
    for offset in range(-120, 100, 7):
        lists = selectors.worklists(today + timedelta(days=offset))
        seen["due"] += len(lists.due_this_week)
        seen["overdue"] += len(lists.overdue)
        seen["reviews"] += len(lists.reviews_due)
        seen["lost"] += len(lists.lost_to_follow_up)
    assert all(count > 0 for count in seen.values()), seen


def rhythm_row(patient_id):
    row = TreatmentRhythm.objects.filter(patient_id=patient_id).first()
    if row is None:
        return None
    return (
        row.first_session_on,
        row.last_session_on,
        row.course_first_session_on,
        row.sessions_in_course,
        row.last_follow_up_on,
    )


def test_the_rhythm_follows_signing_voiding_and_deleting(make_patient):
    patient = make_patient()
    today = timezone.localdate()
    first = today - timedelta(days=400)
    draft = Procedure.objects.create(patient=patient, performed_on=first, status="draft")
    assert rhythm_row(patient.pk) is None  # a draft is no session
    draft.status = ProcedureStatus.SIGNED
    draft.save()
    assert rhythm_row(patient.pk) == (first, first, first, 1, None)
    second = first + timedelta(days=84)
    Procedure.objects.create(patient=patient, performed_on=second, status="signed")
    assert rhythm_row(patient.pk) == (first, second, first, 2, None)
    third = second + timedelta(days=84)  # a course has two sessions: a new course
    later = Procedure.objects.create(patient=patient, performed_on=third, status="signed")
    assert rhythm_row(patient.pk) == (first, third, third, 1, None)
    later.status = ProcedureStatus.VOIDED
    later.save()
    assert rhythm_row(patient.pk) == (first, second, first, 2, None)
    lapsed = second + timedelta(days=200)  # more than 180 days: a new course
    Procedure.objects.create(patient=patient, performed_on=lapsed, status="signed")
    assert rhythm_row(patient.pk) == (first, lapsed, lapsed, 1, None)
    Procedure.objects.filter(patient=patient).delete()
    assert rhythm_row(patient.pk) is None


@pytest.mark.parametrize("seed", [5, 6])
def test_a_bulk_rebuild_gives_the_rows_the_signals_keep(make_patient, make_user, seed):
    rng = random.Random(seed)
    random_clinic(rng, make_patient, make_user, timezone.localdate(), patients=30)
    kept = {row.patient_id: rhythm_row(row.patient_id) for row in TreatmentRhythm.objects.all()}
    assert kept  # the random clinic has treated patients
    TreatmentRhythm.objects.all().delete()
    assert rebuild_treatment_rhythms() == len(kept)
    assert {r.patient_id: rhythm_row(r.patient_id) for r in TreatmentRhythm.objects.all()} == kept
    some = sorted(kept)[:5]
    TreatmentRhythm.objects.filter(patient_id__in=some).delete()
    rebuild_treatment_rhythms(some)
    assert {r.patient_id: rhythm_row(r.patient_id) for r in TreatmentRhythm.objects.all()} == kept


@pytest.mark.parametrize(
    "sessions",
    [
        [],
        [date(2026, 1, 5)],
        [date(2026, 1, 5), date(2026, 3, 30)],
        [date(2026, 1, 5), date(2026, 3, 30), date(2026, 6, 22)],
        [date(2025, 1, 5), date(2026, 1, 5)],
        [date(2026, 3, 30), date(2026, 1, 5), date(2026, 1, 5)],  # order and duplicates
    ],
)
def test_the_rhythm_is_the_rules_last_course(sessions):
    rhythm = rhythm_from_sessions(1, sessions)
    grouped = courses(sessions)
    if not grouped:
        assert rhythm is None
        return
    assert rhythm.first_session_on == min(sessions)
    assert rhythm.last_session_on == max(sessions)
    assert rhythm.course_first_session_on == grouped[-1][0]
    assert rhythm.sessions_in_course == len(grouped[-1])


def test_the_worklists_read_a_fixed_number_of_queries(make_patient, make_user):
    today = timezone.localdate()
    counts = []
    for patients in (10, 40):
        random_clinic(random.Random(patients), make_patient, make_user, today, patients)
        with CaptureQueriesContext(connection) as captured:
            selectors.worklists(today)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 7


def test_the_review_list_follows_booking_cancelling_and_deleting_a_follow_up(
    make_patient, clinician
):
    today = timezone.localdate()
    patient = make_patient()
    course_start = today - timedelta(days=168)  # the 24-week review is due today
    Procedure.objects.create(patient=patient, performed_on=course_start, status="signed")
    Procedure.objects.create(
        patient=patient, performed_on=course_start + timedelta(days=84), status="signed"
    )

    def on_the_list() -> bool:
        return patient.pk in ids(selectors.worklists(today).reviews_due)

    assert on_the_list()
    before = course_start - timedelta(days=1)  # before the course: no review
    appointment(patient, clinician, before, 9, kind="follow_up", minutes=20, status="attended")
    assert on_the_list()
    review = appointment(patient, clinician, today + timedelta(days=2), 9, kind="follow_up")
    assert rhythm_row(patient.pk)[4] == today + timedelta(days=2)
    assert not on_the_list()
    review.status = "cancelled"
    review.save()
    assert rhythm_row(patient.pk)[4] == course_start - timedelta(days=1)
    assert on_the_list()
    review.status = "booked"
    review.save()
    assert not on_the_list()
    review.delete()
    assert on_the_list()


def test_the_rebuild_command_restores_a_rhythm_loaded_behind_the_apps_back(make_patient):
    from io import StringIO

    from django.core.management import call_command

    patient = make_patient()
    on = timezone.localdate() - timedelta(days=90)
    Procedure.objects.bulk_create([Procedure(patient=patient, performed_on=on, status="signed")])
    assert rhythm_row(patient.pk) is None  # bulk loads send no signals
    out = StringIO()
    call_command("rebuild_treatment_rhythms", stdout=out)
    assert rhythm_row(patient.pk) == (on, on, on, 1, None)
    assert "Rebuilt the treatment rhythm of 1 patient(s)." in out.getvalue()


def test_a_save_that_names_no_rhythm_column_reads_nothing_more(make_patient, clinician):
    """The signals skip saves that cannot move the rhythm (hot paths save notes and
    reminders' sequences): only the UPDATE itself runs."""
    patient = make_patient()
    session = Procedure.objects.create(
        patient=patient, performed_on=timezone.localdate(), status="signed"
    )
    booked = appointment(patient, clinician, timezone.localdate() + timedelta(days=3), 9)
    with CaptureQueriesContext(connection) as captured:
        session.save(update_fields=["signed_at"])
        booked.save(update_fields=["sequence"])
    assert len(captured) == 2
    with CaptureQueriesContext(connection) as captured:
        session.save(update_fields=["status"])  # may move it: the rhythm is read again
    assert len(captured) > 1
