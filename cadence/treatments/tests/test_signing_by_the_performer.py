"""Signing by the performer (issue 21, ASVS): only the clinician who performed the
procedure, or a clinician they named on the note as co-signer, signs it. Anyone else is
refused with the reason (a message on the page, 403 in the API), and the attempt is
audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.audit.models import AuditEvent
from cadence.treatments.models import Procedure, ProcedureStatus
from cadence.treatments.tests.conftest import login
from cadence.treatments.tests.test_api_procedures import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_user):
    return make_user("dr_colleague", "clinician", first_name="Cora", last_name="Colleague")


@pytest.fixture
def draft(api_for, clinician, patient, preempt_plan, make_lot, today):
    lot = make_lot(size_units=200)
    response = record(api_for(clinician), patient, preempt_plan, [lot.lot_number], today)
    assert response.status_code == 201, response.content
    return response.json()


def sign_url(patient, procedure_id: int) -> str:
    return f"/patients/{patient.pk}/procedures/{procedure_id}/sign"


def refusals_audited(procedure_id: int) -> int:
    return AuditEvent.objects.filter(
        action="security", object_id=str(procedure_id), summary__startswith="Refused to sign"
    ).count()


def test_the_performer_signs_their_note(api_for, clinician, patient, draft):
    answer = api_for(clinician).post(sign_url(patient, draft["id"]))
    assert answer.status_code == 200, answer.content
    assert answer.json()["signed_by"] == clinician.username
    assert AuditEvent.objects.filter(summary="Procedure note signed by its performer").exists()


def test_another_clinician_gets_403_with_the_reason_and_is_audited(
    api_for, colleague, patient, draft
):
    answer = api_for(colleague).post(sign_url(patient, draft["id"]))
    assert answer.status_code == 403
    detail = answer.json()["detail"]
    assert detail.startswith("Only the clinician who performed this procedure (")
    assert detail.endswith("may sign the note.")
    assert Procedure.objects.get(pk=draft["id"]).status == ProcedureStatus.DRAFT
    assert refusals_audited(draft["id"]) == 1


def test_a_named_co_signer_signs_in_the_performers_place(
    api_for, clinician, colleague, patient, preempt_plan, make_lot, today
):
    lot = make_lot(size_units=200)
    recorded = record(
        api_for(clinician),
        patient,
        preempt_plan,
        [lot.lot_number],
        today,
        co_signer=colleague.username,
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["co_signer"] == colleague.username
    answer = api_for(colleague).post(sign_url(patient, recorded.json()["id"]))
    assert answer.status_code == 200, answer.content
    assert answer.json()["signed_by"] == colleague.username
    assert AuditEvent.objects.filter(summary="Procedure note signed by the co-signer").exists()


@pytest.mark.parametrize("who", ["nobody", "nurse", "self"])
def test_the_co_signer_must_be_another_clinician(
    api_for, clinician, nurse, patient, preempt_plan, make_lot, today, who
):
    name = {"nobody": "no_such_user", "nurse": nurse.username, "self": clinician.username}[who]
    lot = make_lot(size_units=200)
    answer = record(
        api_for(clinician), patient, preempt_plan, [lot.lot_number], today, co_signer=name
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "co_signer"
    assert not Procedure.objects.exists()


def test_a_note_without_a_performer_is_signed_by_nobody(api_for, clinician, patient, today):
    procedure = Procedure.objects.create(patient=patient, performed_on=today)
    answer = api_for(clinician).post(sign_url(patient, procedure.pk))
    assert answer.status_code == 403
    assert "no performing clinician recorded" in answer.json()["detail"]


# -- the page ----------------------------------------------------------------------------------


def test_the_page_refuses_another_clinician_with_a_clear_message(client, colleague, patient, draft):
    login(client, colleague)
    answer = client.post(
        reverse(
            "treatments:procedure-sign",
            kwargs={"patient_id": patient.pk, "procedure_id": draft["id"]},
        ),
        follow=True,
    )
    page = answer.content.decode()
    assert "Only the clinician who performed this procedure (" in page
    assert "Note signed" not in page
    assert Procedure.objects.get(pk=draft["id"]).status == ProcedureStatus.DRAFT
    assert refusals_audited(draft["id"]) == 1


def test_the_page_lets_the_performer_name_a_co_signer_who_then_signs(
    client, clinician, colleague, patient, preempt_plan, make_lot, today
):
    lot = make_lot(size_units=200)
    login(client, clinician)
    url = reverse(
        "treatments:procedure-create", kwargs={"patient_id": patient.pk, "plan_id": preempt_plan.pk}
    )
    form = client.get(url).content.decode()
    assert 'name="co_signer"' in form and "Cora Colleague" in form
    data = {
        "performed_on": today.isoformat(),
        "performed_time": "10:30",
        "vial_lots": lot.lot_number,
        "aftercare_given": "Keep upright for 4 hours.",
        "consent_obtained": "on",
        "co_signer": colleague.pk,
        **{f"units_{ps.site.code}": ps.units for ps in preempt_plan.sites.select_related("site")},
    }
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    procedure = Procedure.objects.get()
    assert procedure.co_signer == colleague
    login(client, colleague)
    detail = client.get(answer["Location"]).content.decode()
    assert 'id="co-signer"' in detail
    signed = client.post(
        reverse(
            "treatments:procedure-sign",
            kwargs={"patient_id": patient.pk, "procedure_id": procedure.pk},
        ),
        follow=True,
    )
    assert "Note signed" in signed.content.decode()
    procedure.refresh_from_db()
    assert (procedure.status, procedure.signed_by) == (ProcedureStatus.SIGNED, colleague)


def test_a_signed_note_answers_already_signed_to_anyone(
    api_for, clinician, colleague, patient, draft
):
    api_for(clinician).post(sign_url(patient, draft["id"]))
    answer = api_for(colleague).post(sign_url(patient, draft["id"]))
    assert answer.status_code == 422
    assert refusals_audited(draft["id"]) == 0
