"""The procedure form (recording a session)."""

from datetime import timedelta

import pytest

from cadence.treatments.models import Procedure
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


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
