"""Export each demo patient, import the Bundle, and compare what import creates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadence.demo.clinic import build_demo_clinic
from cadence.interop.tests.helpers import as_transaction, response_json, validate_bundle
from cadence.patients.models import Diagnosis, Patient, PreventiveTrial
from cadence.treatments.models import (
    InjectionSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    VialLot,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def build_clinic():
    return build_demo_clinic(seed=11, today=TODAY, patient_count=8)


def enrich(story, index):
    """Give the patient a diagnosis, trials and sessions where the demo did not."""
    patient = story.patient
    if not patient.referring_clinician:
        patient.referring_clinician = "Dr Ada Referrer, Northside Practice"
        patient.save(update_fields=["referring_clinician"])
    if not patient.diagnoses.exists():
        Diagnosis.objects.create(
            patient=patient,
            icd10_code=["G43.709", "G43.719", "G43.701", "G43.711"][index % 4],
            confirmed_by_neurologist=index % 3 != 0,
            neurologist="Dr Rowan Vale" if index % 3 else "",
            confirmed_on=TODAY - timedelta(days=400),
        )
    if not patient.preventive_trials.exists():
        PreventiveTrial.objects.create(
            patient=patient,
            drug="topiramate",
            drug_class="antiepileptic",
            start=TODAY - timedelta(days=700),
            end=TODAY - timedelta(days=600),
            dose="100 mg daily",
            outcome="not_tolerated",
        )
        PreventiveTrial.objects.create(
            patient=patient,
            drug="propranolol",
            drug_class="beta_blocker",
            start=TODAY - timedelta(days=500),
            outcome="ongoing",
        )
    if not patient.procedures.exists():
        sites = list(InjectionSite.objects.filter(follow_the_pain=False))
        for session in story.session_dates or [TODAY - timedelta(days=30 + index)]:
            procedure = Procedure.objects.create(
                patient=patient,
                performed_on=session,
                total_units=Decimal("155"),
                wasted_units=Decimal("45"),
                status=ProcedureStatus.SIGNED,
            )
            # Two vials of two lots: each site records the vial it came from (issue 17).
            vials = [
                ProcedureVial.objects.create(
                    procedure=procedure,
                    lot=lot,
                    lot_number=lot.lot_number,
                    size_units=lot.size_units,
                    expires_on=lot.expires_on,
                )
                for lot in two_lots()
            ]
            ProcedureInjection.objects.bulk_create(
                [
                    ProcedureInjection(
                        procedure=procedure,
                        site=site,
                        units=site.default_units,
                        vial=vials[n % 2] if n % 5 else None,  # some not recorded
                    )
                    for n, site in enumerate(sites)
                ]
            )


def two_lots() -> list[VialLot]:
    return [
        VialLot.objects.get_or_create(
            lot_number=number,
            defaults={
                "expires_on": TODAY + timedelta(days=300 + n),
                "size_units": 100,
                "quantity_received": 10,
                "quantity_remaining": 10,
            },
        )[0]
        for n, number in enumerate(("RT1001A", "RT2002B"))
    ]


def record_of(patient):
    """What import creates, in comparable form ("equal" for the round trip)."""
    return {
        "demographics": (
            patient.first_name,
            patient.last_name,
            patient.date_of_birth,
            patient.sex,
            patient.email,
            patient.phone,
            patient.referring_clinician,
        ),
        "diagnoses": sorted(
            (d.icd10_code, d.confirmed_by_neurologist, d.neurologist, d.confirmed_on)
            for d in patient.diagnoses.all()
        ),
        "trials": sorted(
            (t.drug, t.drug_class, t.start, t.end, t.dose, t.outcome)
            for t in patient.preventive_trials.all()
        ),
        "procedures": sorted(
            (
                p.performed_on,
                p.total_units,
                p.wasted_units,
                # each injection: site, units and the vial (lot, expiry, size) it came from
                tuple(
                    sorted(
                        (
                            i.site.code,
                            i.units,
                            (i.vial.lot_number, i.vial.expires_on, i.vial.size_units)
                            if i.vial
                            else None,
                        )
                        for i in p.injections.all()
                    )
                ),
                tuple(sorted((v.lot_number, v.expires_on, v.size_units) for v in p.vials.all())),
            )
            for p in patient.procedures.all()
        ),
    }


def test_each_demo_patient_round_trips_through_import(api_for, clinician):
    ctx = build_clinic()
    stories = ctx.patients[:8]
    client = api_for(clinician)
    for index, story in enumerate(stories):
        enrich(story, index)
    for story in stories:
        original = story.patient
        exported = response_json(client.get(f"/fhir/r4/Patient/{original.pk}/$everything"))
        validate_bundle(exported)
        # Into a fresh patient: without Cadence's identifier and under another given name,
        # the import must not match the original.
        (sent_patient,) = [
            e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Patient"
        ]
        sent_patient.pop("identifier")
        sent_patient["name"][0]["given"] = ["Fresh"]
        response = client.post("/fhir/r4/Bundle", as_transaction(exported))
        assert response.status_code == 200, response.content[:2000]
        result = response.json()
        validate_bundle(result)
        location = result["entry"][0]["response"]["location"]
        imported = Patient.objects.get(pk=int(location.split("/")[1]))
        assert imported.pk != original.pk
        assert imported.first_name == "Fresh"
        imported.first_name = original.first_name
        assert record_of(imported) == record_of(original)
        linked = ProcedureInjection.objects.filter(procedure__patient=imported, vial__isnull=False)
        assert linked.exists() == (
            ProcedureInjection.objects.filter(
                procedure__patient=original, vial__isnull=False
            ).exists()
        )
    assert ProcedureInjection.objects.filter(
        procedure__patient__first_name="Fresh", vial__lot_number="RT2002B"
    ).exists()
