"""The clinician patient page, the list, my progress, the PDFs."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.audit.models import AuditEvent
from cadence.outcomes.tests.factories import build_story, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


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
def test_the_patient_page_needs_at_most_12_queries(client, clinician, patient):
    """Counted as production runs it (no test-wrapper transaction); transaction control
    statements (SQLite's BEGIN IMMEDIATE/COMMIT) are not queries."""
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
    assert len(queries) <= 12, "\n".join(queries)


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


@pytest.mark.parametrize("name", ["progress-report", "referrer-letter", "continuation-packet"])
def test_each_report_is_a_real_pdf_and_audited_as_export(clinician_client, patient, name):
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    response = clinician_client.get(reverse(f"outcomes:{name}", kwargs={"patient_id": patient.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert patient.full_name in text
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()


def test_the_continuation_packet_says_not_recorded_for_missing_data(clinician_client, patient):
    session(patient, timezone.localdate() - timedelta(days=10))
    response = clinician_client.get(
        reverse("outcomes:continuation-packet", kwargs={"patient_id": patient.pk})
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "not recorded" in text
    assert "155" in text


def test_front_desk_may_not_download_reports(client, frontdesk, patient):
    client.force_login(frontdesk)
    assert (
        client.get(
            reverse("outcomes:progress-report", kwargs={"patient_id": patient.pk})
        ).status_code
        == 403
    )


def test_the_patient_list_searches_by_name(clinician_client, make_patient):
    make_patient(first_name="Marisol", last_name="Abernathy")
    make_patient(first_name="Tomasz", last_name="Wexford")
    page = clinician_client.get(reverse("outcomes:patient-list"), {"q": "wexf"}).content.decode()
    assert "Wexford" in page and "Abernathy" not in page


def test_the_patient_list_paginates(clinician_client, make_patient, django_assert_max_num_queries):
    for n in range(30):
        make_patient(last_name=f"Zed{n:02d}")
    with django_assert_max_num_queries(8):
        first = clinician_client.get(reverse("outcomes:patient-list")).content.decode()
    second = clinician_client.get(reverse("outcomes:patient-list"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Zed29" in second


def test_the_patient_list_has_an_empty_state(clinician_client):
    assert (
        "No patient matches"
        in clinician_client.get(reverse("outcomes:patient-list"), {"q": "nobody"}).content.decode()
    )


def test_my_progress_speaks_plainly_to_the_patient(client, patient_user, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    assert "fewer headache days" in page
    assert "Your next treatment is due" in page


def test_my_progress_before_treatment(client, patient_user):
    client.force_login(patient_user)
    assert (
        "after your first treatment" in client.get(reverse("outcomes:my-progress")).content.decode()
    )


def test_navigation_offers_the_pages_by_role(client, clinician, patient_user):
    client.force_login(clinician)
    page = client.get(reverse("outcomes:patient-list")).content.decode()
    assert 'data-nav="outcomes:dashboard"' in page and 'data-nav="outcomes:patient-list"' in page
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    assert 'data-nav="outcomes:my-progress"' in page and 'data-nav="outcomes:dashboard"' not in page
