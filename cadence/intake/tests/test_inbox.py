"""The staff inbox: order, statuses, notes, conversion to a patient, pagination."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cadence.intake.models import ConsultationRequest, RequestNote
from cadence.patients.models import Patient

pytestmark = pytest.mark.django_db


def make_request(**fields):
    defaults = {
        "first_name": "Ivo",
        "last_name": "Renn",
        "email": "ivo@example.com",
        "phone": "+12025550143",
        "preferred_contact": "email",
        "consent_to_contact": True,
    }
    return ConsultationRequest.objects.create(**{**defaults, **fields})


def test_new_requests_come_first(client, frontdesk):
    now = timezone.now()
    make_request(first_name="OldNew", created_at=now - timedelta(days=3))
    make_request(first_name="Zeppo", status="contacted", created_at=now)
    make_request(first_name="RecentNew", created_at=now - timedelta(days=1))
    client.force_login(frontdesk)
    page = client.get("/staff/requests/").content.decode()
    assert page.index("RecentNew") < page.index("OldNew") < page.index("Zeppo")


def test_the_inbox_pages_and_filters_in_few_queries(client, nurse, django_assert_max_num_queries):
    ConsultationRequest.objects.bulk_create(
        ConsultationRequest(
            first_name=f"P{i}",
            last_name="X",
            email="p@example.com",
            phone="+12025550143",
            preferred_contact="phone",
            consent_to_contact=True,
            status="new" if i % 2 else "closed",
        )
        for i in range(60)
    )
    client.force_login(nurse)
    # + the audit view entry of a list of names (issue 21)
    with django_assert_max_num_queries(16):
        response = client.get("/staff/requests/", {"status": "new", "page": 2})
    assert "Page 2 of 2" in response.content.decode()
    assert len(response.context["page"].object_list) == 5


@pytest.mark.parametrize("role", ["patient"])
def test_patients_may_not_see_the_inbox(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get("/staff/requests/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/staff/requests/").status_code == 302


def test_the_status_moves_forward_and_closing_needs_a_reason(client, frontdesk):
    request = make_request()
    client.force_login(frontdesk)
    url = f"/staff/requests/{request.pk}/status/"
    assert client.post(url, {"status": "contacted"}).status_code == 302
    assert client.post(url, {"status": "booked"}).status_code == 302
    response = client.post(url, {"status": "closed"})
    assert response.status_code == 422 and "Say why" in response.content.decode()
    assert client.post(url, {"status": "new"}).status_code == 422
    assert (
        client.post(
            url, {"status": "closed", "reason": "Chose a CGRP antibody elsewhere"}
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert (request.status, request.closed_reason, request.status_changed_by) == (
        "closed",
        "Chose a CGRP antibody elsewhere",
        frontdesk,
    )


def test_staff_add_notes(client, frontdesk):
    request = make_request()
    client.force_login(frontdesk)
    client.post(f"/staff/requests/{request.pk}/notes/", {"text": "Left a voicemail."})
    assert RequestNote.objects.get().text == "Left a voicemail."
    assert "Left a voicemail." in client.get(f"/staff/requests/{request.pk}/").content.decode()


def test_convert_creates_the_patient_without_retyping(client, frontdesk):
    request = make_request(date_of_birth=date(1990, 2, 3))
    client.force_login(frontdesk)
    response = client.post(f"/staff/requests/{request.pk}/convert/", {"sex": "male"})
    patient = Patient.objects.get()
    assert response.url == f"/patients/{patient.pk}/record/"
    assert (
        patient.first_name,
        patient.last_name,
        patient.email,
        patient.phone,
        patient.date_of_birth,
        patient.sex,
    ) == ("Ivo", "Renn", "ivo@example.com", "+12025550143", date(1990, 2, 3), "male")
    request.refresh_from_db()
    assert request.patient == patient
    assert client.post(f"/staff/requests/{request.pk}/convert/", {"sex": "male"}).status_code == 422
    assert Patient.objects.count() == 1


def test_convert_asks_for_a_missing_date_of_birth(client, frontdesk):
    request = make_request()
    client.force_login(frontdesk)
    response = client.post(f"/staff/requests/{request.pk}/convert/", {"sex": "unknown"})
    assert response.status_code == 422 and "date of birth" in response.content.decode()
    assert not Patient.objects.exists()
    client.post(
        f"/staff/requests/{request.pk}/convert/", {"sex": "unknown", "date_of_birth": "1975-05-05"}
    )
    assert Patient.objects.get().date_of_birth == date(1975, 5, 5)


def test_a_missing_request_is_404(client, frontdesk):
    client.force_login(frontdesk)
    assert client.get("/staff/requests/9999/").status_code == 404
