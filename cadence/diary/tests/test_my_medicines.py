"""The patient's own preventive medicines (issue 18): shown apart from the acute ones;
the patient adds one they take ("entered by the patient"); the clinician sees it marked
and confirms it; candidacy counts it only once confirmed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.candidacy.selectors import candidacy_facts
from cadence.diary.services import DiaryEntry, diary_day_record
from cadence.patients.models import PreventiveTrial
from cadence.patients.services import preventive_trial_add, preventive_trial_confirm
from cadence.rules.diary import AcuteMedicationTaken

pytestmark = pytest.mark.django_db

MEDICINES = reverse("diary:medicines")


def add(client, **fields):
    data = {
        "drug": "Erenumab",
        "drug_class": "cgrp_antibody",
        "start": (timezone.localdate() - timedelta(days=60)).isoformat(),
        "dose": "140 mg monthly",
    }
    data.update(fields)
    return client.post(MEDICINES, data)


def test_preventive_and_acute_medicines_are_shown_apart(client, patient_user, patient, clinician):
    preventive_trial_add(
        actor=clinician,
        patient=patient,
        drug="Atogepant",
        drug_class="gepant",
        start=timezone.localdate() - timedelta(days=30),
        end=None,
        outcome="ongoing",
    )
    diary_day_record(
        patient=patient,
        on=timezone.localdate(),
        entry=DiaryEntry(
            headache_hours=4,
            peak_severity="moderate",
            acute_medications=(AcuteMedicationTaken("Sumatriptan", "triptan", True),),
        ),
        actor=patient_user,
    )
    client.force_login(patient_user)
    page = client.get(MEDICINES).content.decode()
    preventive = page[
        page.index('data-testid="preventive-medicines"') : page.index(
            'data-testid="acute-medicines"'
        )
    ]
    acute = page[page.index('data-testid="acute-medicines"') :]
    assert "Atogepant" in preventive and "Gepant" in preventive
    assert "Sumatriptan" not in preventive
    assert "Sumatriptan" in acute[: acute.index("add-heading")]
    assert "Atogepant" not in acute


def test_the_patient_adds_a_preventive_medicine_to_be_confirmed(client, patient_user, patient):
    client.force_login(patient_user)
    response = add(client)
    assert response.status_code == 302
    trial = PreventiveTrial.objects.get(patient=patient)
    assert (trial.drug, trial.drug_class, trial.outcome, trial.end) == (
        "Erenumab",
        "cgrp_antibody",
        "ongoing",
        None,
    )
    assert trial.reported_by_patient and trial.confirmed_at is None
    assert trial.recorded_by == patient_user
    assert AuditEvent.objects.filter(patient_id_ref=patient.pk, action="create").exists()
    page = client.get(MEDICINES).content.decode()
    assert "Erenumab" in page and "to be confirmed by the clinic" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"drug": "  "}, "This field is required."),
        ({"drug_class": ""}, "This field is required."),
        (
            {"start": (timezone.localdate() + timedelta(days=30)).isoformat()},
            "cannot be in the future",
        ),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_saved(client, patient_user, patient, fields, message):
    client.force_login(patient_user)
    response = add(client, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PreventiveTrial.objects.exists()


def test_staff_cannot_use_the_patients_medicines_page(client, clinician):
    client.force_login(clinician)
    assert client.get(MEDICINES).status_code == 403


def record_url(patient):
    return reverse("patients:patient-record", kwargs={"patient_id": patient.pk})


def confirm_url(trial):
    return reverse(
        "patients:preventive-trial-confirm",
        kwargs={"patient_id": trial.patient_id, "trial_id": trial.pk},
    )


def test_the_clinician_sees_it_marked_and_confirms_it(client, patient_user, patient, clinician):
    client.force_login(patient_user)
    add(client)
    trial = PreventiveTrial.objects.get(patient=patient)
    client.force_login(clinician)
    page = client.get(record_url(patient)).content.decode()
    assert "patient-reported, not yet confirmed" in page
    assert confirm_url(trial) in page
    response = client.post(confirm_url(trial))
    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.confirmed_by == clinician and trial.confirmed_at is not None
    page = client.get(record_url(patient)).content.decode()
    assert "patient-reported, confirmed" in page
    assert confirm_url(trial) not in page
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, action="change", summary__contains="Confirmed"
    ).exists()


def test_a_nurse_sees_the_mark_but_may_not_confirm(client, patient_user, patient, nurse):
    client.force_login(patient_user)
    add(client)
    trial = PreventiveTrial.objects.get(patient=patient)
    client.force_login(nurse)
    page = client.get(record_url(patient)).content.decode()
    assert "patient-reported, not yet confirmed" in page
    assert confirm_url(trial) not in page
    assert client.post(confirm_url(trial)).status_code == 403
    trial.refresh_from_db()
    assert trial.confirmed_at is None


def test_a_clinic_recorded_trial_has_nothing_to_confirm(patient, clinician):
    trial = preventive_trial_add(
        actor=clinician,
        patient=patient,
        drug="Topiramate",
        drug_class="antiepileptic",
        start=timezone.localdate() - timedelta(days=200),
        end=timezone.localdate() - timedelta(days=100),
        outcome="ineffective",
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        preventive_trial_confirm(actor=clinician, trial=trial)


def test_candidacy_counts_a_patient_entered_trial_only_once_confirmed(
    client, patient_user, patient, clinician
):
    client.force_login(patient_user)
    add(
        client,
        drug="Propranolol",
        drug_class="beta_blocker",
        start=(timezone.localdate() - timedelta(days=200)).isoformat(),
    )
    trial = PreventiveTrial.objects.get(patient=patient)
    today = timezone.localdate()
    assert candidacy_facts(patient, today=today)[0].preventive_trials is None
    preventive_trial_confirm(actor=clinician, trial=trial)
    [counted] = candidacy_facts(patient, today=today)[0].preventive_trials
    assert counted.drug == "Propranolol"


def test_an_unconfirmed_patient_entry_is_kept_out_of_the_payer_packet_and_marked_in_fhir(
    client, patient_user, patient, clinician
):
    """The payer packet lists only the trials the clinic stands behind; FHIR carries the
    patient's entry with the patient as its source and says it awaits confirmation."""
    from cadence.interop.fhir.mappers import medication_statement_resource
    from cadence.outcomes.selectors import preventive_trials_for as packet_trials

    client.force_login(patient_user)
    assert add(client, drug="Propranolol", drug_class="beta_blocker").status_code == 302
    entered = PreventiveTrial.objects.get(drug="Propranolol")
    entered.outcome = "ineffective"
    entered.end = timezone.localdate() - timedelta(days=1)
    entered.save()
    assert packet_trials(patient) == []
    statement = medication_statement_resource(entered, patient_id=patient.pk)
    assert statement["informationSource"] == {"reference": f"Patient/{patient.pk}"}
    assert {"text": "Entered by the patient; not yet confirmed by the clinic."} in statement["note"]
    preventive_trial_confirm(actor=clinician, trial=entered)
    entered.refresh_from_db()
    assert [line.drug for line in packet_trials(patient)] == ["Propranolol"]
    confirmed = medication_statement_resource(entered, patient_id=patient.pk)
    assert "Entered by the patient" not in str(confirmed.get("note"))
    assert confirmed["informationSource"] == {"reference": f"Patient/{patient.pk}"}
