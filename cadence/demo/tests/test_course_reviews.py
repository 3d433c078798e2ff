"""The demo clinic's course-review patients: a NICE-profile patient who became episodic
(the stop rule fires) and a patient transferred in with a historical baseline."""

from __future__ import annotations

import random

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
