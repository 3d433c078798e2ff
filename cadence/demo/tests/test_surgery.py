"""The demo clinic's surgery patient: the occipital site responded to a diagnostic
injection, PAINS is met, the operation helps at 3 and 6 months."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from cadence.demo import surgery
from cadence.demo.story import DemoContext
from cadence.patients.models import Patient
from cadence.surgery import selectors

pytestmark = pytest.mark.django_db


def test_the_surgery_demo_patient(clinician):
    today = timezone.localdate()
    surgery.seed(DemoContext(rng=random.Random(3), today=today, staff={"clinician": clinician}))
    patient = Patient.objects.get(last_name="Whitcombe")
    evaluation = selectors.evaluation_for(patient, today=today)
    responses = {
        (line.response.trigger_site.value, line.response.side): line.response
        for line in evaluation.sites
    }
    assert responses[("occipital", "both")].responded is True
    assert responses[("lesser_occipital", "right")].responded is False
    assert evaluation.pains.trigger_site == "occipital"
    assert evaluation.pains.candidate is True, evaluation.pains.criteria
    [operation] = selectors.operations_for(patient)
    windows = {w.months: w for w in selectors.surgery_outcomes(operation, today=today)}
    assert windows[3].success is True and windows[6].success is True
    assert windows[3].mhi_change >= 50
    assert windows[12].ended is False
