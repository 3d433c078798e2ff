"""The clinician's outcomes page for one patient."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.outcomes.tests.factories import build_story

pytestmark = pytest.mark.django_db


def detail_url(patient):
    return reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})


def test_the_patient_page_shows_summary_chart_and_periods(clinician_client, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    page = clinician_client.get(detail_url(patient)).content.decode()
    assert "Responder" in page
    assert "<svg" in page and '<title id="headache-days-chart-title">' in page
    assert "Baseline:" in page
    assert "Maintenance" in page
    assert f"/diary/patients/{patient.pk}/" in page
    assert f"/treatments/patients/{patient.pk}/" in page


def test_the_patient_page_shows_wearing_off_with_evidence(clinician_client, patient):
    build_story(patient, timezone.localdate(), kind="wearing_off")
    page = clinician_client.get(detail_url(patient)).content.decode()
    assert 'data-alert="wearing_off"' in page
    assert "weeks 9-12 mean" in page


def test_an_empty_patient_page_degrades_gracefully(clinician_client, patient):
    page = clinician_client.get(detail_url(patient)).content.decode()
    assert "Not enough data yet" in page
    assert "No chart yet" in page
    assert "No follow-up period yet." in page


def test_viewing_the_patient_page_is_audited(clinician_client, patient):
    clinician_client.get(detail_url(patient))
    assert AuditEvent.objects.filter(action="view", patient_id_ref=patient.pk).count() == 1


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.mark.django_db(transaction=True)
def test_the_patient_page_needs_at_most_13_queries(client, clinician, patient):
    """Counted as production runs it (no test-wrapper transaction); transaction control
    statements (SQLite's BEGIN IMMEDIATE/COMMIT) are not queries. (13 since issue 15: one
    query for the sessions that went ahead outside protocol, marked on the page.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_story(patient, timezone.localdate(), kind="wearing_off", sessions=9)
    client.force_login(clinician)
    client.get(detail_url(patient))  # the audit chain head exists from the first entry on
    with CaptureQueriesContext(connection) as captured:
        response = client.get(detail_url(patient))
    assert response.status_code == 200
    queries = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]
    assert len(queries) <= 13, "\n".join(queries)


def test_the_patient_page_renders_within_the_time_budget(clinician_client, patient):
    import time

    build_story(patient, timezone.localdate(), kind="wearing_off", sessions=9)  # ~2 years of diary
    clinician_client.get(detail_url(patient))
    started = time.perf_counter()
    clinician_client.get(detail_url(patient))
    # Target 80 ms (measured ~200 ms on the shared dev machine, see the report); this is a
    # regression guard with headroom for a busy CI machine, not the target itself.
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("role", "status"), [("nurse", 200), ("frontdesk", 403), ("admin", 403), ("patient", 403)]
)
def test_who_may_open_the_patient_page(client, users_by_role, patient, role, status):
    client.force_login(users_by_role[role])
    assert client.get(detail_url(patient)).status_code == status


def test_an_unknown_patient_is_404(clinician_client):
    assert (
        clinician_client.get(
            reverse("outcomes:patient-detail", kwargs={"patient_id": 987654})
        ).status_code
        == 404
    )
