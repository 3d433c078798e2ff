"""Questionnaire and side-effect API operations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import QuestionnaireResponse, SideEffectReport
from cadence.rules.side_effects import URGENT_ADVICE

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def q_url(patient):
    return f"/patients/{patient.pk}/questionnaires"


def se_url(patient):
    return f"/patients/{patient.pk}/side-effects"


def test_midas_answers_201_with_score_and_grade(api_for, patient_user, patient):
    response = api_for(patient_user).post(
        q_url(patient),
        {"instrument": "MIDAS", "completed_on": today().isoformat(), "answers": [5, 4, 6, 3, 7]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["grade"], body["band"]) == (25, "IV", None)
    assert body["change"] is None


def test_hit6_answers_201_with_score_and_band(api_for, patient_user, patient):
    answers = ["always", "very_often", "sometimes", "always", "rarely", "never"]
    response = api_for(patient_user).post(
        q_url(patient),
        {"instrument": "HIT-6", "completed_on": today().isoformat(), "answers": answers},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["band"], body["grade"]) == (61, "severe", None)


def test_a_later_response_shows_its_change_against_the_previous(api_for, patient_user, patient):
    client = api_for(patient_user)
    earlier = (today() - timedelta(days=90)).isoformat()
    client.post(
        q_url(patient),
        {"instrument": "MIDAS", "completed_on": earlier, "answers": [10, 10, 10, 10, 10]},
    )
    body = client.post(
        q_url(patient),
        {"instrument": "MIDAS", "completed_on": today().isoformat(), "answers": [2, 2, 2, 2, 2]},
    ).json()
    assert body["change"] == {
        "points": -40,
        "percent": -80.0,
        "meaningful": True,
        "direction": "better",
    }
    listed = client.get(q_url(patient)).json()
    assert [item["score"] for item in listed] == [10, 50]
    assert listed[0]["change"]["points"] == -40 and listed[1]["change"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "MIDAS", "answers": [1, 2, 3, 4]}, "answers"),
        ({"instrument": "MIDAS", "answers": [1, 2, 3, 4, 91]}, 4),
        ({"instrument": "MIDAS", "answers": [1, 2, -1, 4, 5]}, 2),
        ({"instrument": "MIDAS", "answers": [1, 2, 3.5, 4, 5]}, "answers"),
        ({"instrument": "HIT-6", "answers": ["never"] * 5 + ["often"]}, 5),
        ({"instrument": "EQ-5D", "answers": [1, 2, 3, 4, 5]}, "instrument"),
    ],
)
def test_bad_questionnaires_answer_422_naming_the_field(
    api_for, patient_user, patient, body, field
):
    response = api_for(patient_user).post(
        q_url(patient), {"completed_on": today().isoformat(), **body}
    )
    assert response.status_code == 422, response.content
    assert any(field in error["loc"] for error in response.json()["detail"]), response.json()
    assert not QuestionnaireResponse.objects.exists()


def test_a_future_questionnaire_is_refused(api_for, patient_user, patient):
    future = (today() + timedelta(days=1)).isoformat()
    response = api_for(patient_user).post(
        q_url(patient), {"instrument": "MIDAS", "completed_on": future, "answers": [0, 0, 0, 0, 0]}
    )
    assert response.status_code == 422
    assert "completed_on" in response.json()["detail"][0]["loc"]


def test_questionnaires_of_another_patient_are_not_found(api_for, patient_user, other_patient):
    client = api_for(patient_user)
    body = {"instrument": "MIDAS", "completed_on": today().isoformat(), "answers": [0, 0, 0, 0, 0]}
    assert client.post(q_url(other_patient), body).status_code == 404
    assert client.get(q_url(other_patient)).status_code == 404


def test_a_side_effect_links_to_the_latest_procedure_on_or_before_onset(
    api_for, patient_user, patient, clinician
):
    from cadence.treatments.models import Procedure

    older = Procedure.objects.create(patient=patient, performed_on=today() - timedelta(days=100))
    recent = Procedure.objects.create(patient=patient, performed_on=today() - timedelta(days=10))
    Procedure.objects.create(patient=patient, performed_on=today())  # after onset: ignored
    client = api_for(patient_user)
    body = {
        "effect": "neck_pain",
        "severity": "mild",
        "onset_on": (today() - timedelta(days=5)).isoformat(),
    }
    response = client.post(se_url(patient), body)
    assert response.status_code == 201
    assert response.json()["procedure_id"] == recent.pk
    assert response.json()["urgent"] is False
    early = client.post(
        se_url(patient), {**body, "onset_on": (today() - timedelta(days=50)).isoformat()}
    )
    assert early.json()["procedure_id"] == older.pk


def test_a_report_before_any_procedure_has_no_procedure(api_for, patient_user, patient):
    response = api_for(patient_user).post(
        se_url(patient), {"effect": "bruising", "severity": "mild", "onset_on": today().isoformat()}
    )
    assert response.json()["procedure_id"] is None


def test_an_urgent_side_effect_is_flagged_with_advice(api_for, patient_user, patient):
    response = api_for(patient_user).post(
        se_url(patient),
        {"effect": "difficulty_swallowing", "severity": "mild", "onset_on": today().isoformat()},
    )
    body = response.json()
    assert body["urgent"] is True and body["advice"] == URGENT_ADVICE
    assert SideEffectReport.objects.get().urgent


@pytest.mark.parametrize(
    ("effect", "severity", "urgent"),
    [
        ("blurred_vision", "mild", True),
        ("voice_change", "moderate", True),
        ("loss_of_bladder_control", "mild", True),
        ("allergic_reaction", "mild", True),
        ("neck_muscle_weakness", "severe", True),
        ("eyelid_ptosis", "severe", True),
        ("neck_pain", "moderate", False),
    ],
)
def test_the_urgent_list_of_section_7_through_the_api(
    api_for, patient_user, patient, effect, severity, urgent
):
    response = api_for(patient_user).post(
        se_url(patient), {"effect": effect, "severity": severity, "onset_on": today().isoformat()}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["urgent"] is urgent
    assert (body["advice"] == URGENT_ADVICE) is urgent
    assert SideEffectReport.objects.get().urgent is urgent


def test_ptosis_gets_its_own_advice(api_for, patient_user, patient):
    body = (
        api_for(patient_user)
        .post(
            se_url(patient),
            {"effect": "eyelid_ptosis", "severity": "moderate", "onset_on": today().isoformat()},
        )
        .json()
    )
    assert "1-2 weeks" in body["advice"] and body["urgent"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"effect": "hiccups", "severity": "mild"}, "effect"),
        ({"effect": "rash", "severity": "awful"}, "severity"),
        ({"effect": "rash", "severity": "mild", "onset_on": "2999-01-01"}, "onset_on"),
    ],
)
def test_bad_side_effect_reports_answer_422(api_for, patient_user, patient, body, field):
    response = api_for(patient_user).post(
        se_url(patient), {"onset_on": today().isoformat(), **body}
    )
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])
    assert not SideEffectReport.objects.exists()


def test_staff_acknowledge_an_urgent_report_through_the_api(api_for, patient_user, patient, nurse):
    report_id = (
        api_for(patient_user)
        .post(
            se_url(patient),
            {"effect": "double_vision", "severity": "severe", "onset_on": today().isoformat()},
        )
        .json()["id"]
    )
    assert (
        api_for(patient_user).post(f"{se_url(patient)}/{report_id}/acknowledge").status_code == 403
    )
    response = api_for(nurse).post(f"{se_url(patient)}/{report_id}/acknowledge")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    listed = api_for(patient_user).get(se_url(patient)).json()
    assert listed[0]["acknowledged_at"]


def test_acknowledging_a_report_through_another_patients_path_is_404(
    api_for, patient, other_patient, clinician
):
    report = SideEffectReport.objects.create(
        patient=patient, effect="double_vision", severity="mild", onset_on=today(), urgent=True
    )
    response = api_for(clinician).post(f"{se_url(other_patient)}/{report.pk}/acknowledge")
    assert response.status_code == 404
