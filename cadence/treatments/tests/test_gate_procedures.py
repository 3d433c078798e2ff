"""The clinical gate at the procedure (issue 15, clinic-reference.md section 7): through
the API and the page, every refusal and every override; a refusal leaves nothing behind;
drafts count for the earliest date and can be voided; the two worklists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.patients.models import CandidacyDecision, MedicalHistory
from cadence.treatments import selectors, services
from cadence.treatments.models import Procedure, ProcedureStatus
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db

REASON = "Site avoided; discussed with the patient."


def post(api, patient, plan, lot, on, **extra):
    body = {
        "performed_on": on.isoformat(),
        "plan": plan.pk,
        "vial_lots": [lot.lot_number],
        "consent_obtained": True,
        **extra,
    }
    return api.post(f"/patients/{patient.pk}/procedures", body)


def answer(patient, **answers):
    MedicalHistory.objects.filter(patient=patient).update(**answers)


def procedure_audits(patient):
    return AuditEvent.objects.filter(patient_id_ref=patient.pk, object_type="treatments.procedure")


def assert_nothing_left(patient, lot, before_remaining):
    lot.refresh_from_db()
    assert lot.quantity_remaining == before_remaining  # no stock taken
    assert not Procedure.objects.filter(patient=patient).exists()  # no draft
    assert not procedure_audits(patient).exists()  # no audit entry of a procedure


# --- refusals --------------------------------------------------------------------------------
def test_a_worked_up_patient_is_treated_within_protocol(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    response = post(api_for(clinician), patient, preempt_plan, make_lot(), today)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["outside_protocol"] is False


@pytest.mark.parametrize("decision", ["surgery_evaluation", "alternative", "not_now", None])
def test_no_procedure_without_a_current_botox_decision(
    api_for, clinician, patient, preempt_plan, make_lot, today, decision
):
    if decision is None:
        CandidacyDecision.objects.filter(patient=patient).delete()
    else:  # the latest decision is the current one
        CandidacyDecision.objects.create(patient=patient, decision=decision, decided_by=clinician)
    lot = make_lot()
    response = post(api_for(clinician), patient, preempt_plan, lot, today, override_reason=REASON)
    assert response.status_code == 422
    assert [d["type"] for d in response.json()["detail"]] == ["no_botox_decision"]
    assert_nothing_left(patient, lot, 5)


def test_botox_and_surgery_evaluation_is_a_botox_decision(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    CandidacyDecision.objects.create(
        patient=patient, decision="botox_and_surgery_evaluation", decided_by=clinician
    )
    assert post(api_for(clinician), patient, preempt_plan, make_lot(), today).status_code == 201


def test_hypersensitivity_refuses_whatever_the_reason(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    answer(patient, hypersensitivity="yes")
    lot = make_lot()
    response = post(api_for(clinician), patient, preempt_plan, lot, today, override_reason=REASON)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["type"] for d in detail] == ["hypersensitivity"]
    assert "correct the medical history" in detail[0]["msg"]
    assert_nothing_left(patient, lot, 5)


@pytest.mark.parametrize(
    "field",
    [
        "infection_at_site",
        "neuromuscular_disease",
        "aminoglycosides",
        "swallowing_or_breathing_difficulty",
        "pregnant_or_breastfeeding",
    ],
)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_infection_or_a_warning_needs_a_reason(
    api_for, clinician, patient, preempt_plan, make_lot, today, field, reason
):
    answer(patient, **{field: "yes"})
    lot = make_lot()
    extra = {} if reason is None else {"override_reason": reason}
    response = post(api_for(clinician), patient, preempt_plan, lot, today, **extra)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(d["loc"][-1], d["type"]) for d in detail] == [("override_reason", field)]
    assert_nothing_left(patient, lot, 5)


@pytest.mark.parametrize("field", ["infection_at_site", "neuromuscular_disease"])
def test_with_a_reason_the_session_is_outside_protocol(
    api_for, clinician, patient, preempt_plan, make_lot, today, field
):
    answer(patient, **{field: "yes"})
    response = post(
        api_for(clinician), patient, preempt_plan, make_lot(), today, override_reason=REASON
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outside_protocol"] is True and body["override_reason"] == REASON
    procedure = Procedure.objects.get(pk=body["id"])
    assert [r["rule"] for r in procedure.outside_protocol_rules] == [field]
    audit = procedure_audits(patient).get(action="create")
    assert "outside protocol" in audit.summary and REASON in audit.summary
    assert audit.details["override_rules"] == [field]


def test_an_unknown_answer_does_not_stop_the_procedure_but_is_an_open_warning(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    answer(patient, pregnant_or_breastfeeding="unknown")
    panel = selectors.before_the_needle(patient, on=today)
    assert [w["field"] for w in panel["open_warnings"]] == ["pregnant_or_breastfeeding"]
    response = post(api_for(clinician), patient, preempt_plan, make_lot(), today)
    assert response.status_code == 201 and response.json()["outside_protocol"] is False


# --- the earliest date ---------------------------------------------------------------------------
def test_a_draft_counts_as_a_session_for_the_earliest_date(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(quantity=5)
    api = api_for(clinician)
    first = post(api, patient, preempt_plan, lot, today - timedelta(days=20))
    assert first.status_code == 201 and first.json()["status"] == "draft"
    second = post(api, patient, preempt_plan, lot, today)
    assert second.status_code == 422
    detail = second.json()["detail"]
    assert [d["type"] for d in detail] == ["before_earliest_date"]
    assert (today + timedelta(days=64)).isoformat() in detail[0]["msg"]
    lot.refresh_from_db()
    assert lot.quantity_remaining == 4  # only the first session's vial
    again = post(api, patient, preempt_plan, lot, today, override_reason="Wearing-off, week 3.")
    assert again.status_code == 201 and again.json()["outside_protocol"] is True


def test_on_the_earliest_date_no_reason_is_needed(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot()
    api = api_for(clinician)
    assert post(api, patient, preempt_plan, lot, today - timedelta(days=84)).status_code == 201
    response = post(api, patient, preempt_plan, lot, today)
    assert response.status_code == 201 and response.json()["outside_protocol"] is False


def test_an_override_never_lifts_195_units_per_session(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    answer(patient, infection_at_site="yes")
    lot = make_lot(size_units=200, quantity=2)
    sites = [
        {"site": site.code, "units": 10}
        for site in selectors.injection_sites().filter(follow_the_pain=False)[:20]
    ]  # 200 U
    response = post(
        api_for(clinician),
        patient,
        preempt_plan,
        lot,
        today,
        override_reason=REASON,
        injections=sites,
        vial_lots=[lot.lot_number, lot.lot_number],
    )
    assert response.status_code == 422
    assert "session_max_units" in {d["type"] for d in response.json()["detail"]}
    assert_nothing_left(patient, lot, 2)


# --- the note, the PDF, the worklists ------------------------------------------------------------
@pytest.fixture
def outside_protocol_procedure(patient, clinician, preempt_plan, make_lot, today):
    answer(patient, neuromuscular_disease="yes")
    return services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[make_lot().lot_number],
        consent_obtained=True,
        clinician=clinician,
        override_reason="Mild myasthenia, stable; neurologist agreed.",
    )


def test_the_note_page_shows_outside_protocol_and_the_reason(
    client, clinician, patient, outside_protocol_procedure
):
    login(client, clinician)
    page = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{outside_protocol_procedure.pk}/"
    ).content.decode()
    assert "Outside protocol:</strong> Mild myasthenia, stable; neurologist agreed." in page


def test_signing_keeps_the_override_in_the_signed_note(
    clinician, patient, outside_protocol_procedure
):
    signed = services.procedure_sign(procedure=outside_protocol_procedure, signed_by=clinician)
    assert signed.signed_note["outside_protocol"] is True
    assert signed.signed_note["outside_protocol_reason"].startswith("Mild myasthenia")


def test_the_outside_protocol_worklist_lists_the_session(
    client, clinician, nurse, patient, outside_protocol_procedure, make_patient
):
    within = make_patient(first_name="Within", last_name="Protocol")
    login(client, nurse)
    page = client.get("/treatments/outside-protocol/").content.decode()
    assert patient.full_name in page and "Mild myasthenia" in page
    assert within.full_name not in page


def test_the_patient_page_marks_the_session_outside_protocol(
    client, clinician, patient, outside_protocol_procedure
):
    login(client, clinician)
    page = client.get(f"/outcomes/patients/{patient.pk}/").content.decode()
    assert 'id="outside-protocol-sessions"' in page and "outside protocol" in page


def test_a_frontdesk_user_does_not_reach_the_outside_protocol_worklist(client, frontdesk):
    login(client, frontdesk)
    assert client.get("/treatments/outside-protocol/").status_code in (302, 403, 404)


# --- the page -----------------------------------------------------------------------------------
def page_data(plan, today, lot, **extra):
    data = {
        "performed_on": today.isoformat(),
        "performed_time": "10:00",
        "vial_lots": lot.lot_number,
        "aftercare_given": "Keep upright for 4 hours.",
        "consent_obtained": "on",
        **extra,
    }
    data.update({f"units_{ps.site.code}": "5" for ps in plan.sites.select_related("site")})
    return data


def test_the_procedure_page_refuses_without_a_reason_then_accepts_one(
    client, clinician, patient, preempt_plan, make_lot, today
):
    answer(patient, infection_at_site="yes")
    lot = make_lot()
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/record/"
    form = client.get(url).content.decode()
    assert 'id="before-the-needle"' in form and 'data-rule="infection_at_site"' in form
    refused = client.post(url, page_data(preempt_plan, today, lot))
    assert refused.status_code == 422
    errors = refused.context["form"].errors
    assert list(errors) == ["override_reason"]
    assert "infection at a proposed injection site" in errors["override_reason"][0]
    assert not Procedure.objects.filter(patient=patient).exists()
    accepted = client.post(url, page_data(preempt_plan, today, lot, override_reason=REASON))
    assert accepted.status_code == 302
    assert Procedure.objects.get(patient=patient).outside_protocol


def test_the_plan_builder_shows_the_panel_with_earlier_adverse_events(
    client, clinician, patient, signed_procedure, today
):
    from cadence.diary.models import SideEffectReport

    SideEffectReport.objects.create(
        patient=patient,
        procedure=signed_procedure,
        effect="eyelid_ptosis",
        severity="mild",
        onset_on=today,
    )
    login(client, clinician)
    page = client.get(f"/treatments/patients/{patient.pk}/plans/new/").content.decode()
    assert 'id="before-the-needle"' in page
    assert f"(ptosis) after {signed_procedure.performed_on.isoformat()}" in page
    assert "155 U of 400 U" in page  # units in the last 84 days
    assert (signed_procedure.performed_on + timedelta(days=84)).isoformat() in page


# --- drafts: void and notes to sign ------------------------------------------------------------
def test_a_voided_draft_is_kept_audited_and_counted_nowhere(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot()
    api = api_for(clinician)
    draft = post(api, patient, preempt_plan, lot, today - timedelta(days=10)).json()
    blank = api.post(f"/patients/{patient.pk}/procedures/{draft['id']}/void", {"reason": " "})
    assert blank.status_code == 422 and blank.json()["detail"][0]["loc"][-1] == "reason"
    voided = api.post(
        f"/patients/{patient.pk}/procedures/{draft['id']}/void",
        {"reason": "Recorded for the wrong day."},
    )
    assert voided.status_code == 200, voided.content
    assert voided.json()["status"] == "voided"
    procedure = Procedure.objects.get(pk=draft["id"])
    assert procedure.status == ProcedureStatus.VOIDED and procedure.void_reason
    assert AuditEvent.objects.filter(summary__startswith="Draft procedure note voided").exists()
    # Counted nowhere: not in the earliest date, not in the 84-day units.
    assert selectors.earliest_retreatment_date(patient) is None
    assert selectors.units_in_window(patient, on=today) == 0
    assert post(api, patient, preempt_plan, lot, today).json()["outside_protocol"] is False
    # Stock is not returned (chosen: a drawn vial is single-patient use).
    lot.refresh_from_db()
    assert lot.quantity_remaining == 3


def test_a_signed_note_cannot_be_voided(api_for, clinician, patient, signed_procedure):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/procedures/{signed_procedure.pk}/void", {"reason": "Mistake"}
    )
    assert response.status_code == 422
    assert Procedure.objects.get(pk=signed_procedure.pk).status == ProcedureStatus.SIGNED


def test_the_void_page_form(client, clinician, patient, preempt_plan, make_lot, today):
    procedure = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[make_lot().lot_number],
        consent_obtained=True,
        clinician=clinician,
    )
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/procedures/{procedure.pk}/void/"
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Session cancelled."}).status_code == 302
    page = client.get(f"/treatments/patients/{patient.pk}/procedures/{procedure.pk}/")
    assert 'id="voided"' in page.content.decode()


def test_drafts_older_than_a_day_are_notes_to_sign(
    client, nurse, clinician, patient, preempt_plan, make_lot, today
):
    old = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today - timedelta(days=2),
        vial_lots=[make_lot().lot_number],
        consent_obtained=True,
        clinician=clinician,
    )
    Procedure.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[make_lot().lot_number],
        consent_obtained=True,
        clinician=clinician,
        override_reason="Second session after a failed first (vial dropped).",
    )
    assert list(selectors.notes_to_sign()) == [old]
    login(client, nurse)
    page = client.get("/treatments/notes-to-sign/").content.decode()
    assert f"/procedures/{old.pk}/" in page and f"/procedures/{fresh.pk}/" not in page
    services.procedure_sign(procedure=old, signed_by=clinician)
    assert list(selectors.notes_to_sign()) == []
