"""Preventive history that payers accept (dose, duration, adequacy, concurrent
preventives) and the historical baseline of a patient transferring in: API and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.patients.models import HistoricalBaseline, PreventiveTrial

pytestmark = pytest.mark.django_db


def trial_payload(**extra):
    start = timezone.localdate() - timedelta(days=400)
    return {
        "drug": "topiramate",
        "drug_class": "antiepileptic",
        "start": start.isoformat(),
        "end": (start + timedelta(days=90)).isoformat(),
        "outcome": "ineffective",
        **extra,
    }


def test_a_trial_without_dose_still_posts_as_the_contract_says(api_for, clinician, patient):
    response = api_for(clinician).post(f"/patients/{patient.pk}/preventive-trials", trial_payload())
    assert response.status_code == 201
    body = response.json()
    assert body["daily_dose_mg"] is None
    assert body["adequacy"] == "dose_not_checked"


def test_a_trial_below_the_usual_dose_is_flagged(api_for, clinician, patient):
    api = api_for(clinician)
    response = api.post(
        f"/patients/{patient.pk}/preventive-trials", trial_payload(daily_dose_mg="25")
    )
    assert response.status_code == 201
    assert response.json()["adequacy"] == "low_dose"
    assert "below the usual minimum of 50 mg" in response.json()["adequacy_detail"]
    listed = api.get(f"/patients/{patient.pk}/preventive-trials").json()
    assert listed[0]["adequacy"] == "low_dose"


def test_a_trial_too_short_by_its_weeks_is_flagged(api_for, clinician, patient):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/preventive-trials",
        trial_payload(end=None, duration_weeks=6, daily_dose_mg="100"),
    )
    assert response.status_code == 201
    assert response.json()["duration_weeks"] == 6
    assert response.json()["adequacy"] == "too_short"


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"daily_dose_mg": "0"}, "daily_dose_mg"), ({"duration_weeks": 0}, "duration_weeks")],
)
def test_impossible_dose_or_duration_is_refused(api_for, clinician, patient, extra, field):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/preventive-trials", trial_payload(**extra)
    )
    assert response.status_code == 422
    assert field in str(response.json())


def test_candidacy_does_not_count_a_low_dose_failure(api_for, clinician, patient):
    api = api_for(clinician)
    api.post(f"/patients/{patient.pk}/preventive-trials", trial_payload(daily_dose_mg="25"))
    api.post(
        f"/patients/{patient.pk}/preventive-trials",
        trial_payload(drug="propranolol", drug_class="beta_blocker", daily_dose_mg="160"),
    )
    body = api.get(f"/patients/{patient.pk}/candidacy").json()
    criterion = next(c for c in body["criteria"] if c["code"] == "preventive_failures")
    assert criterion["met"] is False
    assert "topiramate at 25 mg a day" in criterion["detail"]


def test_the_record_page_flags_adequacy_and_concurrent_preventives(client, clinician, patient):
    start = timezone.localdate() - timedelta(days=300)
    PreventiveTrial.objects.create(
        patient=patient, drug="amitriptyline", drug_class="tricyclic", start=start,
        end=start + timedelta(days=100), daily_dose_mg=10, outcome="ineffective",
    )  # fmt: skip
    PreventiveTrial.objects.create(
        patient=patient, drug="erenumab", drug_class="cgrp_antibody", start=start,
        outcome="ongoing",
    )  # fmt: skip
    client.force_login(clinician)
    html = client.get(
        reverse("patients:patient-record", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert 'data-adequacy="low_dose"' in html
    assert "below the usual dose" in html
    assert 'data-testid="concurrent-preventive"' in html


def test_the_plan_page_shows_concurrent_preventives(client, clinician, patient):
    PreventiveTrial.objects.create(
        patient=patient, drug="atogepant", drug_class="gepant",
        start=timezone.localdate() - timedelta(days=30), dose="60 mg daily", outcome="ongoing",
    )  # fmt: skip
    client.force_login(clinician)
    html = client.get(
        reverse("treatments:plan-create", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert 'data-testid="concurrent-preventives"' in html
    assert "atogepant" in html


def test_the_historical_baseline_api(api_for, clinician, nurse, frontdesk, patient):
    body = {
        "headache_days": "18.5",
        "migraine_days": "21",  # aura days: may exceed headache days
        "source": "Referral letter, Northfield Headache Clinic",
        "recorded_on": (timezone.localdate() - timedelta(days=200)).isoformat(),
    }
    response = api_for(nurse).post(f"/patients/{patient.pk}/historical-baseline", body)
    assert response.status_code == 201
    assert response.json()["headache_days"] in ("18.5", 18.5)
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, summary="Recorded a historical baseline"
    ).exists()
    got = api_for(clinician).get(f"/patients/{patient.pk}/historical-baseline")
    assert got.status_code == 200 and got.json()["source"].startswith("Referral letter")
    assert api_for(frontdesk).get(f"/patients/{patient.pk}/historical-baseline").status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"headache_days": "29"}, "headache_days"),
        ({"source": "  "}, "source"),
        ({"recorded_on": "2999-01-01"}, "recorded_on"),
    ],
)
def test_the_historical_baseline_refuses_impossible_values(
    api_for, clinician, patient, change, field
):
    body = {
        "headache_days": "18",
        "source": "Letter",
        "recorded_on": timezone.localdate().isoformat(),
        **change,
    }
    response = api_for(clinician).post(f"/patients/{patient.pk}/historical-baseline", body)
    assert response.status_code == 422
    assert field in str(response.json())
    assert not HistoricalBaseline.objects.exists()


def test_the_historical_baseline_page(client, clinician, patient):
    client.force_login(clinician)
    url = reverse("patients:historical-baseline-create", kwargs={"patient_id": patient.pk})
    response = client.post(
        url,
        {
            "headache_days": "20",
            "migraine_days": "",
            "source": "Transfer summary",
            "recorded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    html = client.get(
        reverse("patients:patient-record", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "Transfer summary" in html
