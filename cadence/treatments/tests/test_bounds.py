"""Issue 21, findings 2 and 3: every number and date a treatment record takes is bounded at
the service (422 naming the field) and the database agrees (check constraints), so that
no stored row can break a patient's pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from cadence.treatments.models import OtherToxinTreatment, PlanSite, TreatmentPlan

pytestmark = pytest.mark.django_db


def other_toxin(api, patient, **body):
    return api.post(
        f"/patients/{patient.pk}/other-toxin-treatments",
        {
            "given_on": timezone.localdate().isoformat(),
            "units": 50,
            "indication": "Spasticity",
            **body,
        },
    )


def test_100000_units_for_another_indication_is_refused_and_pages_keep_working(
    api_for, clinician, patient, client
):
    api = api_for(clinician)
    response = other_toxin(api, patient, units=100_000)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "units"
    assert not OtherToxinTreatment.objects.exists()
    assert api.get(f"/patients/{patient.pk}/other-toxin-treatments").status_code == 200
    plan = api.post(f"/patients/{patient.pk}/treatment-plans", {"template": "preempt", "sites": []})
    assert plan.status_code == 201, plan.content


@pytest.mark.parametrize("units", [400.1, 1e300, -5, 0])
def test_other_indication_units_outside_0_to_400_are_refused(api_for, clinician, patient, units):
    response = other_toxin(api_for(clinician), patient, units=units)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "units"


def test_400_units_for_another_indication_is_accepted(api_for, clinician, patient):
    assert other_toxin(api_for(clinician), patient, units=400).status_code == 201


def test_a_fraction_finer_than_the_note_records_is_refused_not_rounded(api_for, clinician, patient):
    api = api_for(clinician)
    response = api.post(
        f"/patients/{patient.pk}/treatment-plans",
        {"template": "custom", "sites": [{"site": "procerus_midline_1", "units": 5.05}]},
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "sites" and detail["type"] == "invalid_units"
    assert "5.05" in detail["msg"]
    assert not TreatmentPlan.objects.exists()
    assert other_toxin(api, patient, units=12.25).status_code == 422


@pytest.mark.parametrize("planned_for", ["9999-12-31", "0001-01-01", "1984-01-01"])
def test_a_plan_date_outside_the_plausible_window_is_refused(
    api_for, clinician, patient, planned_for
):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/treatment-plans",
        {"template": "preempt", "sites": [], "planned_for": planned_for},
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "planned_for" and detail["type"] == "implausible_date"


def test_a_treatment_before_the_patients_birth_is_refused(api_for, clinician, patient):
    response = other_toxin(api_for(clinician), patient, given_on="1950-01-01")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "given_on"


def test_the_database_refuses_units_the_service_refuses(patient, clinician):
    # PostgreSQL refuses it one step earlier, at the column's precision (a DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        OtherToxinTreatment.objects.create(
            patient=patient, given_on=date(2024, 1, 1), units=Decimal(100_000), indication="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OtherToxinTreatment.objects.create(
            patient=patient, given_on=date(2024, 1, 1), units=Decimal(0), indication="x"
        )
    plan = TreatmentPlan.objects.create(
        patient=patient, template="custom", total_units=5, site_count=1, created_by=clinician
    )
    from cadence.treatments.models import InjectionSite

    site = InjectionSite.objects.first()
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        PlanSite.objects.create(plan=plan, site=site, units=Decimal(100_000))
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        TreatmentPlan.objects.create(
            patient=patient,
            template="custom",
            total_units=Decimal(1_000_000),
            site_count=1,
            created_by=clinician,
            planned_for=timezone.localdate() - timedelta(days=1),
        )
