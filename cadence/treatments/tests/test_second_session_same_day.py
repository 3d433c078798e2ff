"""A second procedure on the same plan and day is recorded only when confirmed: 409 in the
API (naming `confirm_second_session`), a confirmation step on the page (issue 19)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cadence.accounts.validation import CONFLICT, refusal_codes
from cadence.treatments import services
from cadence.treatments.models import Procedure, VialLot
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db

REASON = "Second session the same day: the first note recorded the wrong side."


def record(patient, plan, clinician, lot, on, **extra):
    return services.procedure_record(
        patient=patient,
        plan=plan,
        performed_on=on,
        vial_lots=[lot.lot_number],
        consent_obtained=True,
        clinician=clinician,
        **extra,
    )


def test_a_second_procedure_on_the_plan_that_day_asks_for_confirmation(
    patient, clinician, preempt_plan, make_lot, today
):
    lot = make_lot(quantity=5)
    first = record(patient, preempt_plan, clinician, lot, today)
    with pytest.raises(ValidationError) as caught:
        record(patient, preempt_plan, clinician, lot, today, override_reason=REASON)
    assert refusal_codes(caught.value) == {CONFLICT}
    message = caught.value.message_dict["confirm_second_session"][0]
    assert f"already recorded on {today.isoformat()} (note {first.pk}, draft)" in message
    assert Procedure.objects.count() == 1
    assert VialLot.objects.get().quantity_remaining == 4  # no second vial taken


def test_a_confirmed_second_session_is_recorded(patient, clinician, preempt_plan, make_lot, today):
    lot = make_lot(quantity=5)
    record(patient, preempt_plan, clinician, lot, today)
    second = record(
        patient,
        preempt_plan,
        clinician,
        lot,
        today,
        override_reason=REASON,
        confirm_second_session=True,
    )
    assert second.pk and Procedure.objects.count() == 2


def test_a_voided_draft_does_not_count(patient, clinician, preempt_plan, make_lot, today):
    lot = make_lot(quantity=5)
    first = record(patient, preempt_plan, clinician, lot, today)
    services.procedure_void(procedure=first, voided_by=clinician, reason="Recorded by mistake.")
    assert record(patient, preempt_plan, clinician, lot, today).pk


def test_the_api_answers_409_naming_the_field(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(quantity=5)
    api = api_for(clinician)
    body = {
        "performed_on": today.isoformat(),
        "plan": preempt_plan.pk,
        "vial_lots": [lot.lot_number],
        "consent_obtained": True,
    }
    assert api.post(f"/patients/{patient.pk}/procedures", body).status_code == 201
    again = api.post(f"/patients/{patient.pk}/procedures", {**body, "override_reason": REASON})
    assert again.status_code == 409
    assert again.json()["detail"][0]["loc"][-1] == "confirm_second_session"
    confirmed = api.post(
        f"/patients/{patient.pk}/procedures",
        {**body, "override_reason": REASON, "confirm_second_session": True},
    )
    assert confirmed.status_code == 201, confirmed.content


def test_the_page_warns_and_needs_the_tick(
    client, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(quantity=5)
    first = record(patient, preempt_plan, clinician, lot, today)
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/record/"
    page = client.get(url).content.decode()
    assert 'id="second-session"' in page
    assert f"note {first.pk} (draft" in page
    data = {
        "performed_on": today.isoformat(),
        "performed_time": "10:00",
        "vial_lots": lot.lot_number,
        "aftercare_given": "x",
        "consent_obtained": "on",
        "override_reason": REASON,
    }
    data.update({f"units_{ps.site.code}": "5" for ps in preempt_plan.sites.select_related("site")})
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "Confirm that this is a second session on the same day" in refused.content.decode()
    assert Procedure.objects.count() == 1


def test_the_page_shows_no_warning_for_the_first_session(
    client, clinician, patient, preempt_plan, make_lot
):
    make_lot()
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/record/"
    assert 'id="second-session"' not in client.get(url).content.decode()
