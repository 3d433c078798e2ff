from datetime import date, timedelta

import pytest
from django.utils import timezone

from cadence.treatments import services


@pytest.fixture
def make_patient(make_patient, work_up, clinician):
    """The treatments tests treat worked-up patients (a clean checklist and a current Botox
    decision): the clinical gate lets their procedures through. The gate's own tests change
    the checklist or the decision of such a patient."""

    def make(**fields):
        return work_up(make_patient(**fields), clinician=clinician)

    return make


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def make_lot(db, clinician, today):
    counter = {"n": 0}

    def make(size_units=200, quantity=5, expires_on=None, lot=None):
        counter["n"] += 1
        return services.vial_receive(
            lot=lot or f"LOT{size_units}-{counter['n']}",
            expires_on=expires_on or today + timedelta(days=300),
            size_units=size_units,
            quantity=quantity,
            received_by=clinician,
        )

    return make


@pytest.fixture
def preempt_plan(patient, clinician):
    return services.treatment_plan_create(
        patient=patient, template="preempt", sites=[], created_by=clinician
    )


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
    """Sign `user` in on the Django test client (the browser tests use the root `login`)."""
    client.force_login(user)
    return client
