"""The patient page: MIDAS and HIT-6 due before each session, change against the last and
the baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.diary.models import QuestionnaireResponse
from cadence.outcomes.tests.factories import session

pytestmark = pytest.mark.django_db


def test_the_patient_page_shows_due_and_change_against_baseline(clinician_client, patient):
    today = timezone.localdate()
    first = today - timedelta(days=100)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    for days, score in ((-3, 40), (80, 26)):
        QuestionnaireResponse.objects.create(
            patient=patient,
            instrument="MIDAS",
            completed_on=first + timedelta(days=days),
            score=score,
        )
    QuestionnaireResponse.objects.create(
        patient=patient, instrument="HIT-6", completed_on=today, score=60
    )
    html = clinician_client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert 'data-testid="questionnaire-rhythm"' in html
    # MIDAS last filled in before the second session: due again; HIT-6 done today.
    assert '<tr data-instrument="MIDAS">' in html
    midas = html.split('<tr data-instrument="MIDAS">')[1].split("</tr>")[0]
    hit6 = html.split('<tr data-instrument="HIT-6">')[1].split("</tr>")[0]
    assert 'data-due="true"' in midas and 'data-due="false"' in hit6
    assert "-14 points against 40" in midas and "a meaningful change" in midas  # 35%
    assert "no baseline score" in hit6
