"""The HIT-6 questionnaire."""

import pytest
from django.urls import reverse

from cadence.diary.models import QuestionnaireResponse
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


def test_hit6_shows_neutral_labels_unless_licensed(client, patient_user, settings):
    from cadence.rules.questionnaires import HIT6_NEUTRAL_LABELS

    client.force_login(patient_user)
    settings.CADENCE_HIT6_LICENSED = False
    settings.CADENCE_HIT6_ITEM_TEXT = [f"Licensed item {n}" for n in range(6)]
    page = client.get(reverse("diary:hit6-new")).content.decode()
    assert "Item 1 – pain severity" in page or HIT6_NEUTRAL_LABELS[0] in page
    assert "Licensed item" not in page
    settings.CADENCE_HIT6_LICENSED = True
    assert "Licensed item 0" in client.get(reverse("diary:hit6-new")).content.decode()


def test_hit6_is_scored(client, patient_user):
    client.force_login(patient_user)
    data = {"completed_on": today().isoformat(), **{f"item_{i}": "sometimes" for i in range(6)}}
    assert client.post(reverse("diary:hit6-new"), data).status_code == 302
    stored = QuestionnaireResponse.objects.get()
    assert (stored.score, stored.band) == (60, "severe")
