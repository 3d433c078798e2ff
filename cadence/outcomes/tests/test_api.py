"""GET /api/v1/patients/{patient_id}/outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.outcomes.tests.factories import build_story, session

pytestmark = pytest.mark.django_db

CONTRACT_PERIOD_FIELDS = {
    "start",
    "end",
    "days_recorded",
    "headache_days",
    "migraine_days",
    "moderate_severe_days",
    "acute_medication_days",
    "triptan_days",
    "headache_hours",
}


def test_it_returns_the_contract_shape_for_a_responder(api_for, clinician, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert {"baseline", "periods", "response"} <= set(body)
    assert set(body["baseline"]) >= CONTRACT_PERIOD_FIELDS
    assert all(set(p) >= CONTRACT_PERIOD_FIELDS for p in body["periods"])
    assert body["response"]["status"] == "responder"
    assert body["response"]["percent_change"] <= -50
    assert body["response"]["headache_day_change"] < 0
    assert (
        body["periods"][0]["start"] == body["baseline"]["end"][:8] + body["periods"][0]["start"][8:]
    )


def test_a_patient_without_sessions_gets_a_null_baseline(api_for, patient_user, patient):
    body = api_for(patient_user).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["baseline"] is None
    assert body["periods"] == []
    assert body["response"] == {
        "status": "insufficient_data",
        "headache_day_change": None,
        "percent_change": None,
        "reason": "no baseline period: no procedure has been recorded",
        "rule": "percent_50",
        "migraine_day_change": None,
        "migraine_day_percent_change": None,
        "moderate_severe_day_change": None,
        "moderate_severe_day_percent_change": None,
        "acute_medication_day_change": None,
        "acute_medication_day_percent_change": None,
    }
    assert body["week_24_response"]["status"] == "insufficient_data"


def test_null_counts_when_a_period_has_fewer_than_20_days(api_for, nurse, patient):
    session(patient, timezone.localdate() - timedelta(days=60))
    body = api_for(nurse).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["baseline"]["days_recorded"] == 0
    assert body["baseline"]["headache_days"] is None
    assert body["response"]["status"] == "insufficient_data"


@pytest.mark.parametrize(
    ("role", "status"),
    [("clinician", 200), ("nurse", 200), ("patient", 200), ("frontdesk", 403), ("admin", 403)],
)
def test_who_may_read_outcomes(api_for, users_by_role, patient, role, status):
    assert (
        api_for(users_by_role[role]).get(f"/patients/{patient.pk}/outcomes").status_code == status
    )


def test_another_patient_gets_404(api_for, other_patient_user, patient):
    assert api_for(other_patient_user).get(f"/patients/{patient.pk}/outcomes").status_code == 404


def test_unknown_patient_is_404(api_for, clinician):
    assert api_for(clinician).get("/patients/999999/outcomes").status_code == 404


def test_reading_outcomes_is_audited(api_for, clinician, patient):
    api_for(clinician).get(f"/patients/{patient.pk}/outcomes")
    assert AuditEvent.objects.filter(action="view", patient_id_ref=patient.pk).exists()
