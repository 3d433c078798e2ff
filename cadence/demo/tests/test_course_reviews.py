"""The demo clinic's course-review patients: a NICE-profile patient who became episodic
(the stop rule fires) and a patient transferred in with a historical baseline."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.demo import course_reviews
from cadence.demo.story import DemoContext
from cadence.outcomes import selectors
from cadence.patients.models import Patient
from cadence.patients.selectors import concurrent_preventives_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(clinician):
    today = timezone.localdate()
    ctx = DemoContext(rng=random.Random(3), today=today, staff={"clinician": clinician})
    course_reviews.seed(ctx)
    return today


def test_the_nice_patient_who_became_episodic_is_recommended_to_stop(seeded):
    patient = Patient.objects.get(last_name="Ashcombe")
    outcome = selectors.patient_outcomes(patient)
    assert outcome.profile.name == course_reviews.NICE_PROFILE_NAME
    review = selectors.course_review_for(outcome)
    assert review.recommendation == "stop"
    assert review.evidence[0].code == "episodic"


def test_the_transferred_patient_uses_the_historical_baseline(seeded):
    patient = Patient.objects.get(last_name="Hallorann")
    outcome = selectors.patient_outcomes(patient)
    assert outcome.baseline_source.kind == "historical"
    assert outcome.baseline.headache_days == 19.5
    assert outcome.response.status == "responder"
    assert [t.drug for t in concurrent_preventives_for(patient, today=seeded)] == ["erenumab"]


@pytest.mark.parametrize("days_later", [0, 80])
def test_the_clinic_report_shows_the_patient_pages_24_week_status(seeded, days_later):
    """Issue 16: the clinic report reads each patient's course and baseline (here the
    historical one) from the patient page's owner: today neither patient's weeks 21-24
    have ended (no review on either); 80 days on, both are in the report's review with
    the patient page's status."""
    on = seeded + timedelta(days=days_later)
    statuses = selectors.week_24_statuses(on)
    for name in ("Ashcombe", "Hallorann"):
        patient = Patient.objects.get(last_name=name)
        review = selectors.patient_outcomes(patient, today=on).week_24_response
        if days_later:
            assert statuses[patient.pk] == review.status
        else:
            assert patient.pk not in statuses
            assert "not ended" in review.reason
