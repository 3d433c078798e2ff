"""The treatments pages: access, rendering, forms, PDF, recall CSV, aftercare."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from cadence.audit.models import AuditEvent
from cadence.treatments import services
from cadence.treatments.models import Procedure, TreatmentPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_procedure(patient, clinician, preempt_plan, make_lot, today):
    lot = make_lot(lot="PAGE-LOT")
    procedure = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[lot.lot_number],
        consent_obtained=True,
        clinician=clinician,
    )
    return services.procedure_sign(procedure=procedure, signed_by=clinician)


def login(client, user):
    client.force_login(user)
    return client


def test_overview_lists_plans_and_procedures(
    client, clinician, patient, signed_procedure, django_assert_max_num_queries
):
    login(client, clinician)
    with django_assert_max_num_queries(20):
        response = client.get(f"/treatments/patients/{patient.pk}/")
    assert response.status_code == 200
    assert b"155 U" in response.content and b"PAGE-LOT" in response.content


def test_front_desk_and_other_patients_cannot_see_treatments(
    client, frontdesk, other_patient_user, patient
):
    assert login(client, frontdesk).get(f"/treatments/patients/{patient.pk}/").status_code == 403
    client.logout()
    assert (
        login(client, other_patient_user).get(f"/treatments/patients/{patient.pk}/").status_code
        == 403
    )


def test_builder_toggles_sites_through_the_url(client, clinician, patient):
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/plans/new/?template=preempt&site=temporalis_left_ftp_1&site=occipitalis_right_ftp_1"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<strong>165 U</strong> at 33 sites" in text
    assert "<svg" in text and "data-site-toggle" in text and "<html" not in text


def test_saving_the_builder_creates_the_plan(client, clinician, patient):
    login(client, clinician)
    response = client.post(
        f"/treatments/patients/{patient.pk}/plans/new/",
        {"template": "preempt", "site": ["trapezius_left_ftp_1"]},
    )
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302 and plan.total_units == 160


def test_a_plan_the_window_refuses_is_not_saved_and_says_why(client, clinician, patient, today):
    services.other_toxin_treatment_record(
        patient=patient, given_on=today, units=300, indication="Spasticity", recorded_by=clinician
    )
    login(client, clinician)
    response = client.post(f"/treatments/patients/{patient.pk}/plans/new/", {"template": "preempt"})
    assert response.status_code == 200
    assert b"55 U over the 400 U limit" in response.content
    assert not TreatmentPlan.objects.exists()


def test_consent_is_recorded_from_the_plan_review(client, nurse, patient, preempt_plan):
    login(client, nurse)
    page = client.get(f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/")
    assert b"about 4 hours" in page.content and b"week 6" in page.content
    response = client.post(
        f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/consent/",
        {"consent_given_by": "Patient", "reviewed": "on"},
    )
    assert response.status_code == 302
    preempt_plan.refresh_from_db()
    assert preempt_plan.consent_recorded_by == nurse


def test_the_procedure_form_suggests_the_least_waste_vial(
    client, clinician, patient, preempt_plan, make_lot
):
    make_lot(size_units=100, lot="HUNDRED")
    make_lot(size_units=200, lot="TWOHUNDRED")
    login(client, clinician)
    response = client.get(f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/record/")
    assert b'value="TWOHUNDRED"' in response.content and b"200 U" in response.content


def test_the_procedure_form_shows_an_expired_lot_error(
    client, clinician, patient, preempt_plan, make_lot, today
):
    from cadence.treatments.models import VialLot

    make_lot(lot="OLD")
    VialLot.objects.filter(lot_number="OLD").update(expires_on=today - timedelta(days=3))
    login(client, clinician)
    data = {
        "performed_on": today.isoformat(),
        "performed_time": "10:00",
        "vial_lots": "OLD",
        "aftercare_given": "x",
        "consent_obtained": "on",
    }
    data.update({f"units_{ps.site.code}": "5" for ps in preempt_plan.sites.select_related("site")})
    response = client.post(
        f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/record/", data
    )
    assert response.status_code == 422
    assert b"an expired lot can&#x27;t be used" in response.content
    assert not Procedure.objects.exists()


def test_the_pdf_contains_the_head_map(client, clinician, patient, signed_procedure):
    login(client, clinician)
    response = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/pdf/"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Front" in text and "Back" in text and "Follow-the-pain site" in text
    assert "Total 155 U at 31 sites" in text
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()


def test_amending_from_the_page_keeps_the_original(client, clinician, patient, signed_procedure):
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/amend/"
    response = client.post(
        url,
        {
            "immediate_reactions": "Mild redness",
            "aftercare_given": signed_procedure.aftercare_given,
            "notes": "",
            "reason": "Forgot the reaction",
        },
    )
    assert response.status_code == 302
    signed_procedure.refresh_from_db()
    assert signed_procedure.immediate_reactions == "Mild redness"
    assert signed_procedure.signed_note["immediate_reactions"] == ""
    detail = client.get(f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/")
    assert b"Forgot the reaction" in detail.content


def test_recall_page_and_csv_export_are_audited(client, admin_user, patient, signed_procedure):
    login(client, admin_user)
    page = client.get("/treatments/recall/?lot=PAGE-LOT")
    assert patient.full_name.encode() in page.content
    csv_response = client.get("/treatments/recall/export.csv?lot=PAGE-LOT")
    rows = csv_response.content.decode().splitlines()
    assert rows[0].startswith("lot,performed_on") and patient.full_name in rows[1]
    assert AuditEvent.objects.filter(action="export", object_id="PAGE-LOT").exists()


def test_nurses_cannot_use_the_recall_page(client, nurse):
    assert login(client, nurse).get("/treatments/recall/").status_code == 403


def test_the_patient_sees_the_aftercare_of_their_latest_session(
    client, patient_user, signed_procedure
):
    response = login(client, patient_user).get("/treatments/my-aftercare/")
    assert b"about 4 hours" in response.content and b"Aftercare" in response.content


def test_a_patient_without_sessions_sees_an_empty_state(client, patient_user):
    assert (
        b"No treatment yet" in login(client, patient_user).get("/treatments/my-aftercare/").content
    )


def test_vial_stock_page_receives_vials(client, nurse, today):
    login(client, nurse)
    response = client.post(
        "/treatments/vials/",
        {
            "lot": "NEW1",
            "expires_on": (today + timedelta(days=60)).isoformat(),
            "size_units": "200",
            "quantity": "4",
        },
    )
    assert response.status_code == 302
    assert b"NEW1" in client.get("/treatments/vials/").content
