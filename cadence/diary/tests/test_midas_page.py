"""The MIDAS questionnaire and the questionnaire list."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadence.diary.models import QuestionnaireResponse
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


def test_midas_is_scored_and_listed_with_its_change(client, patient_user, patient):
    client.force_login(patient_user)
    QuestionnaireResponse.objects.create(
        patient=patient,
        instrument="MIDAS",
        completed_on=today() - timedelta(days=90),
        answers=[10, 10, 5, 5, 10],
        score=40,
        grade="IV",
    )
    data = {"completed_on": today().isoformat(), **{f"item_{i}": "2" for i in range(5)}}
    assert client.post(reverse("diary:midas-new"), data).status_code == 302
    stored = QuestionnaireResponse.objects.latest("id")
    assert (stored.score, stored.grade) == (10, "II")
    page = client.get(reverse("diary:questionnaire-list")).content.decode()
    assert "Grade II" in page and "-30 points (better)" in page


def test_midas_refuses_an_out_of_range_answer(client, patient_user):
    client.force_login(patient_user)
    data = {
        "completed_on": today().isoformat(),
        **{f"item_{i}": "2" for i in range(5)},
        "item_3": "91",
    }
    response = client.post(reverse("diary:midas-new"), data)
    assert response.status_code == 422 and "less than or equal to 90" in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()
