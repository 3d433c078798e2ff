"""The decision gate (issue 15, contract 1.1): `POST /patients/{id}/candidacy-decisions`,
`PUT /patients/{id}/medical-history` (audited with before and after) and
`POST /patients/{id}/diagnoses`; the decision page's refusals and override."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.patients.models import CandidacyDecision, MedicalHistory

pytestmark = pytest.mark.django_db

CLEAN = {
    "infection_at_site": "no",
    "hypersensitivity": "no",
    "neuromuscular_disease": "no",
    "aminoglycosides": "no",
    "swallowing_or_breathing_difficulty": "no",
    "pregnant_or_breastfeeding": "no",
}


def decide(api, patient, decision="botox", **extra):
    return api.post(
        f"/patients/{patient.pk}/candidacy-decisions",
        {"decision": decision, "reason": "After the work-up.", **extra},
    )


def test_botox_for_a_patient_not_shown_eligible_needs_a_reason(api_for, clinician, patient):
    api = api_for(clinician)
    for blank in (None, "", "   "):
        extra = {} if blank is None else {"override_reason": blank}
        response = decide(api, patient, **extra)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert [(d["loc"][-1], d["type"]) for d in detail] == [
            ("override_reason", "candidacy_not_met")
        ]
    assert not CandidacyDecision.objects.exists()
    response = decide(api, patient, override_reason="Payer accepted the history for the diary.")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["eligible"] is not True
    assert body["override_reason"] == "Payer accepted the history for the diary."
    assert body["outside_protocol"] is True
    audit = AuditEvent.objects.get(summary__startswith="Candidacy decision")
    assert audit.details["override_rules"] == ["candidacy_not_met"]


def test_a_minor_needs_a_reason_too(api_for, clinician, make_patient):
    minor = make_patient(date_of_birth=timezone.localdate() - timedelta(days=15 * 365 + 30))
    response = decide(api_for(clinician), minor)
    assert response.status_code == 422
    assert "under_18" in {d["type"] for d in response.json()["detail"]}


@pytest.mark.parametrize("decision", ["surgery_evaluation", "alternative", "not_now"])
def test_decisions_without_botox_need_no_reason(api_for, clinician, patient, decision):
    response = decide(api_for(clinician), patient, decision)
    assert response.status_code == 201, response.content
    assert response.json()["outside_protocol"] is False


def test_hypersensitivity_refuses_botox_whatever_the_reason_until_the_history_is_corrected(
    api_for, clinician, nurse, patient
):
    nurse_api, api = api_for(nurse), api_for(clinician)
    history = nurse_api.put(
        f"/patients/{patient.pk}/medical-history", {**CLEAN, "hypersensitivity": "yes"}
    )
    assert history.status_code == 200 and history.json()["hypersensitivity"] == "yes"
    for decision in ("botox", "botox_and_surgery_evaluation"):
        response = decide(api, patient, decision, override_reason="The patient insists.")
        assert response.status_code == 422
        assert [d["type"] for d in response.json()["detail"]] == ["hypersensitivity"]
    assert not CandidacyDecision.objects.exists()
    # The correction is audited with its before and after.
    corrected = nurse_api.put(f"/patients/{patient.pk}/medical-history", {"hypersensitivity": "no"})
    assert corrected.status_code == 200
    body = corrected.json()
    assert body["hypersensitivity"] == "no" and body["infection_at_site"] == "no"  # kept
    audit = (
        AuditEvent.objects.filter(summary__startswith="Changed medical history")
        .order_by("id")
        .last()
    )
    assert audit.details["changes"]["hypersensitivity"] == {"before": "yes", "after": "no"}
    assert (
        "corrected: Known hypersensitivity to a botulinum toxin or excipient was yes"
        in audit.summary
    )
    assert decide(api, patient, override_reason="History corrected.").status_code == 201


def test_medical_history_rejects_an_unknown_answer(api_for, nurse, patient):
    response = api_for(nurse).put(
        f"/patients/{patient.pk}/medical-history", {"hypersensitivity": "maybe"}
    )
    assert response.status_code == 422
    assert not MedicalHistory.objects.filter(patient=patient).exists()


def test_front_desk_may_not_change_the_history(api_for, frontdesk, patient):
    response = api_for(frontdesk).put(
        f"/patients/{patient.pk}/medical-history", {"hypersensitivity": "no"}
    )
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("code", ["G43.719", "G43.709", "G43.E09", "G43.E19", "g43e01"])
def test_diagnoses_accept_the_chronic_migraine_codes(api_for, clinician, patient, code):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/diagnoses",
        {
            "icd10_code": code,
            "confirmed_by_neurologist": True,
            "neurologist": "Dr Ida Brandt",
            "confirmed_on": (date.today() - timedelta(days=30)).isoformat(),  # noqa: DTZ011
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["icd10_code"].startswith("G43.")


def test_diagnoses_refuse_another_code(api_for, clinician, patient):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/diagnoses",
        {"icd10_code": "G43.909", "neurologist": "Dr Ida Brandt"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "icd10_code"


def test_the_decision_page_asks_for_the_reason_and_shows_outside_protocol(
    client, clinician, patient
):
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/candidacy/decision/"
    refused = client.post(url, {"decision": "botox"})
    assert refused.status_code == 422
    assert "override_reason" in refused.context["form"].errors
    client.post(url, {"decision": "botox", "override_reason": "Payer accepted the history."})
    page = client.get(f"/patients/{patient.pk}/candidacy/").content.decode()
    assert "Outside protocol: Payer accepted the history." in page
