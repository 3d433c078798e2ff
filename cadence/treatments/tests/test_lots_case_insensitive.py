"""Lots are one canonical form (trimmed, upper-case) at receipt, procedure and recall;
recall answers 404 for a lot never received and lists each patient once, signed notes
apart from drafts (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cadence.audit.models import AuditEvent
from cadence.treatments import services
from cadence.treatments.models import Procedure, ProcedureVial, VialLot
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def receive(clinician, today, lot, **extra):
    return services.vial_receive(
        lot=lot,
        expires_on=extra.pop("expires_on", today + timedelta(days=300)),
        size_units=extra.pop("size_units", 200),
        quantity=extra.pop("quantity", 5),
        received_by=clinician,
    )


def record(patient, plan, clinician, lots, on):
    return services.procedure_record(
        patient=patient,
        plan=plan,
        performed_on=on,
        vial_lots=lots,
        consent_obtained=True,
        clinician=clinician,
    )


def test_receipt_stores_the_lot_trimmed_and_upper_case(clinician, today):
    lot = receive(clinician, today, "  c7002a ")
    assert lot.lot_number == "C7002A"


def test_receiving_a_lot_again_in_another_case_adds_to_the_same_lot(clinician, today):
    receive(clinician, today, "C7002A", quantity=2)
    again = receive(clinician, today, "c7002a", quantity=3)
    assert VialLot.objects.count() == 1
    assert again.quantity_remaining == 5


@pytest.mark.parametrize("lot", ['=HYPERLINK("http://x.invalid","C1")', "C70 02A", "+C7002A"])
def test_receipt_refuses_other_characters_in_a_whole_sentence(clinician, today, lot):
    with pytest.raises(ValidationError) as caught:
        receive(clinician, today, lot)
    message = caught.value.message_dict["lot"][0]
    assert message.startswith("A lot number starts with a letter or digit")
    assert message.endswith(".")
    assert not VialLot.objects.exists()


def test_the_api_refuses_a_formula_as_a_lot_naming_the_field(api_for, clinician, today):
    body = {"lot": "=1+1", "expires_on": (today + timedelta(days=9)).isoformat(), "size_units": 100}
    response = api_for(clinician).post("/vials", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "lot"


def test_a_procedure_finds_the_lot_whatever_its_case(patient, clinician, preempt_plan, today):
    receive(clinician, today, "C7002A")
    procedure = record(patient, preempt_plan, clinician, ["c7002a"], today)
    assert [v.lot_number for v in procedure.vials.all()] == ["C7002A"]
    assert VialLot.objects.get().quantity_remaining == 4


@pytest.fixture
def recall_clinic(patient, other_patient, clinician, preempt_plan, today):
    """Lot C7002A: the patient twice (one signed, 84 days ago; one draft today) and the
    other patient once (signed)."""
    receive(clinician, today, "C7002A", quantity=10)
    old = record(patient, preempt_plan, clinician, ["C7002A"], today - timedelta(days=84))
    services.procedure_sign(procedure=old, signed_by=clinician)
    record(patient, preempt_plan, clinician, ["C7002A"], today)
    other_plan = services.treatment_plan_create(
        patient=other_patient, template="preempt", sites=[], created_by=clinician
    )
    other = record(other_patient, other_plan, clinician, ["C7002A"], today - timedelta(days=3))
    services.procedure_sign(procedure=other, signed_by=clinician)
    return old


def test_recall_in_lower_case_finds_the_lot_and_groups_patients(
    api_for, admin_user, patient, other_patient, recall_clinic, today
):
    response = api_for(admin_user).get("/lots/c7002a/recall")
    assert response.status_code == 200
    body = response.json()
    assert body["lot"] == "C7002A"
    assert len(body["procedures"]) == 3  # the contract's rows stay, one per procedure
    signed = {p["patient_id"]: p for p in body["signed"]}
    assert set(signed) == {patient.pk, other_patient.pk}
    assert signed[patient.pk]["dates"] == [(today - timedelta(days=84)).isoformat()]
    assert signed[other_patient.pk]["dates"] == [(today - timedelta(days=3)).isoformat()]
    assert [(p["patient_id"], p["dates"]) for p in body["drafts"]] == [
        (patient.pk, [today.isoformat()])
    ]


def test_each_patient_appears_once_with_all_their_dates(
    api_for, admin_user, clinician, patient, recall_clinic, today
):
    draft = Procedure.objects.get(patient=patient, performed_on=today)
    services.procedure_sign(procedure=draft, signed_by=clinician)
    body = api_for(admin_user).get("/lots/C7002A/recall").json()
    mine = [p for p in body["signed"] if p["patient_id"] == patient.pk]
    assert len(mine) == 1
    assert mine[0]["dates"] == [(today - timedelta(days=84)).isoformat(), today.isoformat()]
    assert mine[0]["vials"] == 2
    assert body["drafts"] == []


def test_recall_of_a_lot_never_received_answers_404(api_for, admin_user, clinician, today):
    receive(clinician, today, "C7002A")
    assert api_for(admin_user).get("/lots/C9999Z/recall").status_code == 404
    received_unused = api_for(admin_user).get("/lots/c7002a/recall")
    assert received_unused.status_code == 200
    assert received_unused.json()["procedures"] == []


def test_the_recall_page_separates_drafts_and_lists_patients_once(
    client, admin_user, patient, other_patient, recall_clinic, today
):
    login(client, admin_user)
    page = client.get("/treatments/recall/?lot=c7002a").content.decode()
    signed_part, drafts_part = page.split('id="recall-drafts"')
    assert "Lot C7002A: 3 procedures" in signed_part
    assert signed_part.count(patient.full_name) == 1
    assert other_patient.full_name in signed_part
    assert (today - timedelta(days=84)).isoformat() in signed_part
    assert patient.full_name in drafts_part and today.isoformat() in drafts_part
    assert other_patient.full_name not in drafts_part
    assert AuditEvent.objects.filter(object_id="C7002A", action="view").exists()


def test_the_recall_page_says_when_the_clinic_never_received_a_lot(client, admin_user):
    login(client, admin_user)
    page = client.get("/treatments/recall/?lot=nope-1").content.decode()
    assert "No such lot: the clinic never received lot NOPE-1." in page
    assert client.get("/treatments/recall/export.csv?lot=NOPE-1").status_code == 404


def test_the_migration_merges_lots_that_differ_only_by_case(
    patient, clinician, preempt_plan, today
):
    migration = import_module("cadence.treatments.migrations.0005_lots_in_canonical_form")
    expires = today + timedelta(days=300)
    upper = VialLot.objects.create(
        lot_number="C7002A",
        expires_on=expires,
        size_units=200,
        quantity_received=3,
        quantity_remaining=2,
    )
    lower = VialLot.objects.create(
        lot_number=" c7002a",
        expires_on=expires,
        size_units=200,
        quantity_received=4,
        quantity_remaining=4,
    )
    alone = VialLot.objects.create(
        lot_number="b100x",
        expires_on=expires,
        size_units=100,
        quantity_received=1,
        quantity_remaining=1,
    )
    procedure = Procedure.objects.create(patient=patient, performed_on=today)
    ProcedureVial.objects.create(
        procedure=procedure, lot=lower, lot_number=" c7002a", size_units=200, expires_on=expires
    )
    migration.to_canonical(apps, None)
    assert sorted(VialLot.objects.values_list("lot_number", flat=True)) == ["B100X", "C7002A"]
    merged = VialLot.objects.get(lot_number="C7002A")
    assert merged.pk == upper.pk
    assert (merged.quantity_received, merged.quantity_remaining) == (7, 6)
    vial = ProcedureVial.objects.get()
    assert (vial.lot_id, vial.lot_number) == (upper.pk, "C7002A")
    alone.refresh_from_db()
    assert alone.lot_number == "B100X"


def test_the_migration_stops_on_two_different_lots_that_differ_only_by_case(today):
    migration = import_module("cadence.treatments.migrations.0005_lots_in_canonical_form")
    for number, size in (("C1", 100), ("c1", 200)):
        VialLot.objects.create(
            lot_number=number,
            expires_on=today + timedelta(days=9),
            size_units=size,
            quantity_received=1,
            quantity_remaining=1,
        )
    with pytest.raises(RuntimeError, match="differ only by letter case"):
        migration.to_canonical(apps, None)
