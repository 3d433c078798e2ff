"""Issue 21, findings 4 and 5.

4. Administrators manage users, settings (working hours), the audit log and lot logistics
   (recall); the dashboard, patient lists and records, appointments, the request inbox,
   outcome pages and the outcomes CSV are not theirs. The pages that list patients write
   an audit view entry.
5. Every dynamic response is `Cache-Control: no-store` (the access-matrix test checks it
   over every route and role); static files keep their caching.
"""

from __future__ import annotations

import pytest

from cadence.audit.models import AuditAction, AuditEvent
from cadence.intake.models import ConsultationRequest

pytestmark = pytest.mark.django_db

ADMIN_REFUSED_PAGES = [
    "/outcomes/dashboard/",
    "/outcomes/patients/",
    "/patients/",
    "/schedule/",
    "/schedule/worklists/",
    "/staff/requests/",
]
ADMIN_PAGES = ["/staff/users/", "/audit/", "/treatments/recall/", "/schedule/working-hours/"]


def test_admin_is_refused_every_page_that_shows_patients(client, admin_user, patient):
    client.force_login(admin_user)
    for url in [*ADMIN_REFUSED_PAGES, f"/patients/{patient.pk}/record/"]:
        assert client.get(url).status_code == 403, url
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_admin_is_refused_the_patient_api_and_the_outcomes_csv(api_for, admin_user, patient):
    api = api_for(admin_user)
    assert api.get(f"/patients/{patient.pk}").status_code == 403
    assert api.get("/consultation-requests").status_code == 403
    assert api.get("/appointments", {"start": "2026-01-01", "end": "2026-01-02"}).status_code == 403
    assert api.get("/fhir/r4/export/outcomes.csv").status_code == 403


def _views_by(user) -> int:
    return AuditEvent.objects.filter(actor=user, action=AuditAction.VIEW).count()


def test_pages_that_list_patients_write_an_audit_view_entry(
    client, clinician, frontdesk, nurse, patient
):
    client.force_login(clinician)
    before = _views_by(clinician)
    assert client.get("/outcomes/dashboard/").status_code == 200
    assert client.get("/outcomes/patients/").status_code == 200
    assert _views_by(clinician) == before + 2
    client.force_login(frontdesk)
    assert client.get("/patients/").status_code == 200
    assert _views_by(frontdesk) == 1
    ConsultationRequest.objects.create(
        first_name="Ada",
        last_name="Synthetic",
        email="ada@example.invalid",
        consent_to_contact=True,
    )
    client.force_login(nurse)
    assert client.get("/staff/requests/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=nurse, action=AuditAction.VIEW, summary__contains="consultation requests"
    ).exists()


def test_pages_api_answers_and_exports_are_no_store(client, api_for, clinician, patient):
    client.force_login(clinician)
    for url in ("/outcomes/dashboard/", f"/outcomes/patients/{patient.pk}/", "/login/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    api = api_for(clinician)
    assert "no-store" in api.get(f"/patients/{patient.pk}")["Cache-Control"]
    assert "no-store" in api.get("/fhir/r4/export/outcomes.csv")["Cache-Control"]


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/cadence.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
