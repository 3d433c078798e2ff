"""MIDAS day counts must add up (clinic-reference.md section 7): items 1 + 2 at most 90,
items 3 + 4 at most 90, item 5 at most 90; refused with a message naming the items, as a
422 through the API and as a form error on the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.diary.models import QuestionnaireResponse

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate() - timedelta(days=1)


@pytest.mark.parametrize(
    ("answers", "index", "items"),
    [
        ([90, 90, 0, 0, 0], 1, "items 1 and 2"),
        ([46, 45, 0, 0, 0], 1, "items 1 and 2"),
        ([0, 0, 45, 46, 0], 3, "items 3 and 4"),
    ],
)
def test_impossible_sums_answer_422_naming_the_items(
    api_for, patient_user, patient, answers, index, items
):
    response = api_for(patient_user).post(
        f"/patients/{patient.pk}/questionnaires",
        {"instrument": "MIDAS", "completed_on": today().isoformat(), "answers": answers},
    )
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["loc"][-2:] == ["answers", index]
    assert items in error["msg"] and "more than the 90 days" in error["msg"]
    assert not QuestionnaireResponse.objects.exists()


def test_sums_at_the_bounds_are_accepted_up_to_270(api_for, patient_user, patient):
    response = api_for(patient_user).post(
        f"/patients/{patient.pk}/questionnaires",
        {
            "instrument": "MIDAS",
            "completed_on": today().isoformat(),
            "answers": [45, 45, 90, 0, 90],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["score"] == 270


def test_the_page_shows_the_error_on_the_item(client, patient_user):
    client.force_login(patient_user)
    data = {
        "completed_on": today().isoformat(),
        "item_0": "60",
        "item_1": "40",
        "item_2": "0",
        "item_3": "0",
        "item_4": "0",
    }
    response = client.post(reverse("diary:midas-new"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "MIDAS items 1 and 2" in page and "add up to 100 days" in page
    assert response.context["form"].errors["item_1"]
    assert not QuestionnaireResponse.objects.exists()
