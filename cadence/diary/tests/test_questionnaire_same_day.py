"""A second MIDAS or HIT-6 on the same day replaces the first, after asking (issue 19):
on the patient's page (a tick box) and in the API (409 unless `replace` is true)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadence.audit.models import AuditAction, AuditEvent
from cadence.diary.models import QuestionnaireResponse
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


def midas_form(on, value, **extra):
    return {"completed_on": on.isoformat(), **{f"item_{i}": str(value) for i in range(5)}, **extra}


def test_the_page_asks_before_replacing_and_saves_nothing_unconfirmed(
    client, patient_user, patient
):
    client.force_login(patient_user)
    assert client.post(reverse("diary:midas-new"), midas_form(today(), 2)).status_code == 302
    first = QuestionnaireResponse.objects.get()
    assert first.score == 10

    asked = client.post(reverse("diary:midas-new"), midas_form(today(), 4))
    page = asked.content.decode()
    assert asked.status_code == 409
    assert "You already answered MIDAS today (score 10). Replace it?" in page
    assert 'name="replace"' in page and 'type="checkbox"' in page
    assert 'value="4"' in page  # the new answers are kept on the form
    assert QuestionnaireResponse.objects.get().score == 10  # nothing saved

    confirmed = client.post(reverse("diary:midas-new"), midas_form(today(), 4, replace="on"))
    assert confirmed.status_code == 302
    replaced = QuestionnaireResponse.objects.get()  # replaced, not duplicated
    assert (replaced.pk, replaced.score, replaced.answers) == (first.pk, 20, [4] * 5)
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE).latest("id")
    assert "replaced (score 10 to 20)" in event.summary
    assert (event.patient_id_ref, event.object_id) == (patient.pk, str(first.pk))


def test_the_page_names_an_earlier_day_and_leaves_other_days_alone(client, patient_user, patient):
    client.force_login(patient_user)
    earlier = today() - timedelta(days=3)
    client.post(reverse("diary:midas-new"), midas_form(earlier, 1))
    page = client.post(reverse("diary:midas-new"), midas_form(earlier, 2)).content.decode()
    assert f"You already answered MIDAS on {earlier.day} {earlier:%B %Y} (score 5)" in page
    # another day is a new response, asked nothing
    assert client.post(reverse("diary:midas-new"), midas_form(today(), 2)).status_code == 302
    assert QuestionnaireResponse.objects.count() == 2


def test_hit6_asks_too_and_the_tick_box_is_hidden_until_asked(client, patient_user, patient):
    client.force_login(patient_user)
    assert 'name="replace"' not in client.get(reverse("diary:hit6-new")).content.decode()
    data = {"completed_on": today().isoformat(), **{f"item_{i}": "never" for i in range(6)}}
    assert client.post(reverse("diary:hit6-new"), data).status_code == 302
    page = client.post(reverse("diary:hit6-new"), {**data, "item_0": "always"}).content.decode()
    assert "You already answered HIT-6 today (score 36). Replace it?" in page
    assert QuestionnaireResponse.objects.get().answers == ["never"] * 6
    client.post(reverse("diary:hit6-new"), {**data, "item_0": "always", "replace": "on"})
    assert QuestionnaireResponse.objects.get().answers[0] == "always"


def q_url(patient):
    return f"/patients/{patient.pk}/questionnaires"


def test_the_api_answers_409_for_a_second_same_day_response_unless_replace(
    api_for, patient_user, patient
):
    client = api_for(patient_user)
    body = {"instrument": "MIDAS", "completed_on": today().isoformat(), "answers": [1] * 5}
    first = client.post(q_url(patient), body)
    assert first.status_code == 201

    refused = client.post(q_url(patient), {**body, "answers": [3] * 5})
    assert refused.status_code == 409, refused.content
    (problem,) = refused.json()["detail"]
    assert problem["type"] == "conflict"
    assert problem["loc"][-1] == "replace"
    assert problem["msg"].endswith(".") and "already answered" in problem["msg"]
    assert QuestionnaireResponse.objects.get().score == 5

    replaced = client.post(q_url(patient), {**body, "answers": [3] * 5, "replace": True})
    assert replaced.status_code == 201, replaced.content
    assert replaced.json()["id"] == first.json()["id"]
    assert replaced.json()["score"] == 15
    assert QuestionnaireResponse.objects.count() == 1


def test_replace_on_a_new_day_simply_records(api_for, patient_user, patient):
    body = {
        "instrument": "HIT-6",
        "completed_on": today().isoformat(),
        "answers": ["never"] * 6,
        "replace": True,
    }
    assert api_for(patient_user).post(q_url(patient), body).status_code == 201
    assert QuestionnaireResponse.objects.count() == 1


def test_replace_must_be_a_boolean(api_for, patient_user, patient):
    body = {
        "instrument": "MIDAS",
        "completed_on": today().isoformat(),
        "answers": [1] * 5,
        "replace": "yes",
    }
    assert api_for(patient_user).post(q_url(patient), body).status_code == 422
    assert not QuestionnaireResponse.objects.exists()
