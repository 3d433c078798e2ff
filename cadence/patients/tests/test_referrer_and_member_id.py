"""The referrer's practice and address and the payer member ID on the patient record
(issue 19): edited on the demographics form, shown on the record, and in the API as
optional fields (older clients that send or read only `referring_clinician` keep working)."""

from __future__ import annotations

import pytest

from cadence.audit.models import AuditEvent
from cadence.patients.models import Patient, PayerProfile
from cadence.patients.selectors import payer_member_id_for

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Pat",
    "last_name": "Owner",
    "date_of_birth": "1985-04-12",
    "sex": "female",
    "referring_clinician": "Dr Mara Quill",
    "referrer_practice": "Elm Street Practice",
    "referrer_address": "4 Elm Street\r\nSpringfield, IL 62704",
    "payer_member_id": "ACM-448812",
}


def _strict_payer() -> PayerProfile:
    return PayerProfile.objects.create(
        name="Acme Health",
        min_preventive_classes=2,
        min_interval_days=84,
        responder_rule="percent_50",
        review_weeks=24,
        requires_member_id=True,
    )


def test_the_demographics_form_saves_the_referrer_and_member_id(client, frontdesk, patient):
    client.force_login(frontdesk)
    response = client.post(f"/patients/{patient.pk}/demographics/", FORM)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.referring_clinician == "Dr Mara Quill"
    assert patient.referrer_practice == "Elm Street Practice"
    assert patient.referrer_address_lines == ["4 Elm Street", "Springfield, IL 62704"]
    assert patient.payer_member_id == "ACM-448812"
    event = AuditEvent.objects.filter(action="change", patient_id_ref=patient.pk).latest("id")
    assert {"referrer_practice", "referrer_address", "payer_member_id"} <= set(
        event.details["fields"]
    )
    record = client.get(f"/patients/{patient.pk}/record/").content.decode()
    assert "Dr Mara Quill, Elm Street Practice<br>4 Elm Street<br>Springfield, IL 62704" in record
    assert "ACM-448812" in record


def test_the_record_says_the_member_id_is_missing_when_the_payer_asks(client, frontdesk, patient):
    patient.payer_profile = _strict_payer()
    patient.save()
    client.force_login(frontdesk)
    record = client.get(f"/patients/{patient.pk}/record/").content.decode()
    assert "Member ID missing</strong>: Acme Health asks for it on its packets." in record


@pytest.mark.parametrize(
    ("strict", "member_id", "missing"),
    [(True, "", True), (True, "ACM-1", False), (False, "", False), (False, "X-1", False)],
)
def test_member_id_missing_only_when_the_payer_asks(patient, strict, member_id, missing):
    if strict:
        patient.payer_profile = _strict_payer()
    patient.payer_member_id = member_id
    assert payer_member_id_for(patient).missing is missing


def test_the_default_payer_profile_does_not_ask_for_a_member_id():
    assert not PayerProfile.objects.get(is_default=True).requires_member_id


def test_the_api_takes_and_gives_the_new_fields_as_optional(api_for, clinician):
    api = api_for(clinician)
    old_client = api.post(
        "/patients",
        {
            "first_name": "Rosa",
            "last_name": "Lind",
            "date_of_birth": "1979-03-02",
            "referring_clinician": "Dr Gale",
        },
    )
    assert old_client.status_code == 201, old_client.content
    body = old_client.json()
    assert body["referring_clinician"] == "Dr Gale"
    assert (body["referrer_practice"], body["referrer_address"], body["payer_member_id"]) == (
        "",
        "",
        "",
    )
    new_client = api.post(
        "/patients",
        {
            "first_name": "Ana",
            "last_name": "Berg",
            "date_of_birth": "1980-01-02",
            "referring_clinician": "Dr Mara Quill",
            "referrer_practice": "Elm Street Practice",
            "referrer_address": "4 Elm Street\nSpringfield",
            "payer_member_id": "ACM-9",
        },
    )
    assert new_client.status_code == 201, new_client.content
    patient = Patient.objects.get(pk=new_client.json()["id"])
    assert (patient.referrer_practice, patient.payer_member_id) == ("Elm Street Practice", "ACM-9")
    read = api.get(f"/patients/{patient.pk}").json()
    assert read["referrer_address"] == "4 Elm Street\nSpringfield"


def test_the_api_refuses_an_overlong_member_id(api_for, clinician):
    response = api_for(clinician).post(
        "/patients",
        {
            "first_name": "Ana",
            "last_name": "Berg",
            "date_of_birth": "1980-01-02",
            "payer_member_id": "X" * 65,
        },
    )
    assert response.status_code == 422


def test_the_demographics_form_asks_for_the_new_fields(client, frontdesk, patient):
    client.force_login(frontdesk)
    html = client.get(f"/patients/{patient.pk}/demographics/").content.decode()
    for label in ("Referrer&#x27;s name", "Referrer&#x27;s practice", "Referrer&#x27;s address"):
        assert label in html
    assert "Payer member ID" in html
