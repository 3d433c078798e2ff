"""The diary part of the demo clinic follows each patient's story, quickly."""

import random
import time
from datetime import date, timedelta

import pytest

from cadence.demo import diary as demo
from cadence.demo.story import DemoContext, DemoPatient, Response, story_for
from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.patients.models import Patient

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def build_context(count: int = 60) -> DemoContext:
    rng = random.Random(7)
    ctx = DemoContext(rng=rng, today=TODAY)
    patients = Patient.objects.bulk_create(
        [
            Patient(first_name=f"Demo{i}", last_name="Patient", date_of_birth=date(1980, 1, 1))
            for i in range(count)
        ]
    )
    for index, patient in enumerate(patients):
        stage, response, sessions = story_for(rng, TODAY, index)
        anchor = sessions[0] if sessions else TODAY
        ctx.patients.append(
            DemoPatient(
                patient=patient,
                stage=stage,
                response=response,
                session_dates=sessions,
                baseline_headache_days=20,
                diary_start=anchor - timedelta(days=56),
                diary_adherence=0.9,
            )
        )
    return ctx


def headache_days(patient, start, end) -> tuple[int, int]:
    days = DiaryDay.objects.filter(patient=patient, date__range=(start, end))
    return days.filter(is_headache_day=True).count(), days.count()


def test_sixty_patients_seed_well_under_twenty_seconds():
    ctx = build_context()
    # CPU time of this process (SQLite runs in it): the shared test machine's load would
    # make wall-clock time flaky. About 6 s here for ~19,000 diary days.
    started = time.process_time()
    demo.seed(ctx)
    assert time.process_time() - started < 12
    assert DiaryDay.objects.values("patient").distinct().count() == 60
    assert not DiaryDay.objects.filter(date__gt=TODAY).exists()
    # a few questionnaires per treated patient, and the demo's one waiting urgent alert
    treated = [s for s in ctx.patients if s.session_dates]
    assert QuestionnaireResponse.objects.values("patient").distinct().count() == len(treated)
    assert SideEffectReport.objects.filter(urgent=True, acknowledged_at__isnull=True).count() == 1
    assert SideEffectReport.objects.filter(effect="neck_pain").exists()


def test_the_diary_follows_the_story():
    ctx = build_context()
    demo.seed(ctx)
    patients_with_gaps = 0
    for story in ctx.patients:
        start = (
            min(story.session_dates) - timedelta(days=28)
            if story.session_dates
            else TODAY - timedelta(days=41)
        )
        recorded = DiaryDay.objects.filter(patient=story.patient, date__gte=start).count()
        expected = (TODAY - start).days + 1
        assert 0.7 * expected <= recorded <= expected or expected < 30
        patients_with_gaps += recorded < expected
    assert patients_with_gaps >= 0.8 * len(ctx.patients)  # realistic gaps, most patients miss days
    responders = [s for s in ctx.patients if s.response == Response.RESPONDER and s.session_dates]
    before = after = 0.0
    for story in responders:
        first = min(story.session_dates)
        base, base_n = headache_days(
            story.patient, first - timedelta(days=28), first - timedelta(days=1)
        )
        follow, follow_n = headache_days(
            story.patient, first + timedelta(days=14), first + timedelta(days=41)
        )
        before += base / max(base_n, 1)
        after += follow / max(follow_n, 1)
    assert after <= 0.65 * before  # about half the headache days from week 2


def test_days_carry_the_rules_classification_and_migraine_dominates():
    ctx = build_context(20)
    demo.seed(ctx)
    headache = DiaryDay.objects.filter(is_headache_day=True)
    assert headache.filter(is_migraine_day=True).count() > 0.6 * headache.count()
    assert DiaryDay.objects.filter(is_triptan_day=True, is_overuse_class_day=False).count() == 0
    assert (
        DiaryDay.objects.filter(is_headache_day=False, is_migraine_day=True, aura=False).count()
        == 0
    )
