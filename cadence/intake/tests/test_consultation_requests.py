"""Consultation requests from the public: API and form, spam guards, bad input, email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from cadence.intake.models import ConsultationRequest, RateLimitHit
from cadence.intake.services import CONSULTATION_REQUESTS_PER_ADDRESS

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Mara",
    "last_name": "Quill",
    "email": "mara@example.com",
    "phone": "(202) 555-0143",
    "date_of_birth": "1988-07-09",
    "preferred_contact": "phone",
    "message": "Daily headaches.",
    "consent_to_contact": True,
}


def test_anyone_can_ask_for_a_consultation(api_for):
    response = api_for(None).post("/consultation-requests", GOOD)
    assert response.status_code == 201
    body = response.json()
    stored = ConsultationRequest.objects.get(pk=body["id"])
    assert body["status"] == "new"
    assert (stored.phone, stored.status, stored.email) == (
        "+12025550143",
        "new",
        "mara@example.com",
    )


def test_the_date_of_birth_is_optional(api_for):
    data = {k: v for k, v in GOOD.items() if k != "date_of_birth"}
    assert api_for(None).post("/consultation-requests", data).status_code == 201


def test_an_acknowledgement_email_is_sent(api_for):
    api_for(None).post("/consultation-requests", GOOD)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mara@example.com"]
    assert "Dear Mara" in mail.outbox[0].body and "by phone" in mail.outbox[0].body


def test_a_filled_honeypot_looks_accepted_but_nothing_is_stored(api_for):
    response = api_for(None).post(
        "/consultation-requests", {**GOOD, "website": "http://spam.example"}
    )
    assert response.status_code == 201 and response.json()["status"] == "new"
    assert not ConsultationRequest.objects.exists()
    assert mail.outbox == []


def test_the_rate_limit_answers_429(api_for):
    client = api_for(None)
    for _ in range(CONSULTATION_REQUESTS_PER_ADDRESS):
        assert client.post("/consultation-requests", GOOD).status_code == 201
    response = client.post("/consultation-requests", GOOD)
    assert response.status_code == 429
    assert ConsultationRequest.objects.count() == CONSULTATION_REQUESTS_PER_ADDRESS


def test_the_rate_limit_is_per_address(api_for):
    client = api_for(None)
    for _ in range(CONSULTATION_REQUESTS_PER_ADDRESS):
        client.post("/consultation-requests", GOOD)
    other = api_for(None)
    response = other.post("/consultation-requests", GOOD, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 201


def test_old_hits_expire(api_for):
    from datetime import timedelta

    from django.utils import timezone

    RateLimitHit.objects.bulk_create(
        RateLimitHit(
            scope="consultation_request",
            address="127.0.0.1",
            created_at=timezone.now() - timedelta(hours=2),
        )
        for _ in range(10)
    )
    assert api_for(None).post("/consultation-requests", GOOD).status_code == 201
    assert RateLimitHit.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", " ", "first name"),
        ("last_name", "", "last name"),
        ("email", "mara@", "valid email"),
        ("phone", "555", "valid phone"),
        ("phone", "call me", "valid phone"),
        ("date_of_birth", "2999-01-01", "in the past"),
        ("date_of_birth", "09/07/1988", ""),
        ("preferred_contact", "pigeon", ""),
        ("consent_to_contact", False, "agree"),
        ("message", "x" * 4001, "4000"),
    ],
)
def test_each_bad_field_gets_its_message_and_nothing_is_stored(api_for, field, value, message):
    response = api_for(None).post("/consultation-requests", {**GOOD, field: value})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(d["loc"][-1] == field and message in d["msg"] for d in detail), detail
    assert not ConsultationRequest.objects.exists()
    assert mail.outbox == []


def test_a_missing_consent_field_is_refused(api_for):
    data = {k: v for k, v in GOOD.items() if k != "consent_to_contact"}
    response = api_for(None).post("/consultation-requests", data)
    assert response.status_code == 422 and "consent_to_contact" in str(response.json())


@pytest.mark.parametrize("role", ["clinician", "nurse", "frontdesk"])
def test_staff_list_requests_newest_first(api_for, users_by_role, role):
    anon = api_for(None)
    anon.post("/consultation-requests", {**GOOD, "first_name": "First"})
    anon.post("/consultation-requests", {**GOOD, "first_name": "Second"})
    body = api_for(users_by_role[role]).get("/consultation-requests").json()
    assert [r["first_name"] for r in body] == ["Second", "First"]


def test_the_list_filters_by_status(api_for, clinician):
    anon = api_for(None)
    anon.post("/consultation-requests", GOOD)
    anon.post("/consultation-requests", GOOD)
    ConsultationRequest.objects.filter(pk=ConsultationRequest.objects.first().pk).update(
        status="contacted"
    )
    client = api_for(clinician)
    assert len(client.get("/consultation-requests", {"status": "contacted"}).json()) == 1
    assert len(client.get("/consultation-requests", {"status": "new"}).json()) == 1
    assert client.get("/consultation-requests", {"status": "bogus"}).status_code == 422


def test_patients_and_anonymous_may_not_list_requests(api_for, patient_user):
    assert api_for(patient_user).get("/consultation-requests").status_code == 403
    assert api_for(None).get("/consultation-requests").status_code == 401


# ------------------------------------------------------------------ the form
FORM = {**GOOD, "consent_to_contact": "on"}


def test_the_form_stores_the_request_and_confirms(client):
    response = client.post("/consultation/", FORM)
    assert response.status_code == 302 and response.url == "/consultation/sent/"
    assert ConsultationRequest.objects.get().last_name == "Quill"
    assert len(mail.outbox) == 1
    assert "we have your request" in Client().get("/consultation/sent/").content.decode()


def test_the_form_shows_every_error_and_stores_nothing(client):
    response = client.post(
        "/consultation/", {"email": "x", "phone": "1", "date_of_birth": "2999-01-01"}
    )
    page = response.content.decode()
    for message in (
        "Enter your first name.",
        "Enter your last name.",
        "Enter a valid email address",
        "Enter a valid phone number",
        "must be in the past",
        "Choose phone or email.",
        "We can only answer if you agree",
    ):
        assert message in page, message
    assert not ConsultationRequest.objects.exists()


def test_the_form_honeypot_is_silent(client):
    response = client.post("/consultation/", {**FORM, "website": "spam"})
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists()


def test_the_form_shows_a_friendly_page_when_rate_limited(client):
    for _ in range(CONSULTATION_REQUESTS_PER_ADDRESS):
        client.post("/consultation/", FORM)
    response = client.post("/consultation/", FORM)
    assert response.status_code == 429
    assert "try again" in response.content.decode()


def test_the_self_check_result_prefills_the_form(client):
    response = client.post(
        "/self-check/",
        {
            "age": 41,
            "headache_days_per_month": 20,
            "months_with_pattern": 8,
            "migraine_feature_days": 10,
            "preventive_classes_tried": 2,
        },
    )
    page = response.content.decode()
    assert "likely to be worthwhile" in page and "not a diagnosis" in page
    form = client.get(
        "/consultation/", {"self_check": "Self-check: headaches on 20 days"}
    ).content.decode()
    assert "Self-check: headaches on 20 days" in form


def test_the_self_check_explains_bad_answers(client):
    response = client.post(
        "/self-check/",
        {
            "headache_days_per_month": 10,
            "months_with_pattern": 8,
            "migraine_feature_days": 12,
            "preventive_classes_tried": 9,
        },
    )
    page = response.content.decode()
    assert "cannot be more" in page and "less than or equal to 6" in page


@pytest.mark.parametrize("path", ["/", "/info/", "/self-check/", "/consultation/"])
def test_public_pages_need_no_login(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<meta name="viewport"' in response.content.decode()
