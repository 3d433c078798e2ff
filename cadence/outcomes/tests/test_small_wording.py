"""Small wording: "1 headache day" (pluralized) and "Wearing-off:" said once."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes.tests.factories import build_story
from cadence.patients.models import HistoricalBaseline

pytestmark = pytest.mark.django_db


def test_one_headache_day_is_singular(client, clinician, patient):
    HistoricalBaseline.objects.create(
        patient=patient,
        headache_days=Decimal("1"),
        migraine_days=Decimal("1"),
        source="Synthetic transfer letter",
        recorded_on=timezone.localdate(),
    )
    client.force_login(clinician)
    html = client.get(
        reverse("patients:patient-record", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "1 headache day (1 migraine day) per 28 days" in html
    assert "1 headache days" not in html


def test_wearing_off_is_said_once(client, clinician, make_patient):
    wearing = make_patient(first_name="Wes", last_name="Wearing")
    build_story(wearing, timezone.localdate(), kind="wearing_off", seed=4)
    client.force_login(clinician)
    html = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": wearing.pk})
    ).content.decode()
    alert = re.search(r'data-alert="wearing_off">(.*?)</div>', html, flags=re.S).group(1)
    assert len(re.findall(r"wearing-off:", alert, flags=re.I)) == 1
    assert "Headache days rise clearly in weeks 9-12" in alert
