"""My progress: the patient's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes.tests.factories import build_story

pytestmark = pytest.mark.django_db


def test_my_progress_speaks_plainly_to_the_patient(client, patient_user, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    assert "fewer headache days" in page
    assert "Your next treatment is due" in page


def test_my_progress_before_treatment(client, patient_user):
    client.force_login(patient_user)
    assert (
        "after your first treatment" in client.get(reverse("outcomes:my-progress")).content.decode()
    )
