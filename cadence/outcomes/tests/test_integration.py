"""The outcome pages read the other apps: urgent alerts and side-effect rates on the
dashboard, links and the next appointment on the patient page, diagnosis and failed
preventives in the payer packet; and the clinic report's fast week-24 classification."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.diary.models import SideEffectReport
from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import build_story, session
from cadence.patients.models import Diagnosis, PreventiveTrial
from cadence.rules import outcomes as rules
from cadence.rules.outcomes import period_from_counts
from cadence.scheduling.models import Appointment, AppointmentKind

pytestmark = pytest.mark.django_db


def report(patient, effect: str, onset: date, *, urgent: bool = False) -> SideEffectReport:
    return SideEffectReport.objects.create(
        patient=patient, effect=effect, severity="moderate", onset_on=onset, urgent=urgent
    )


# -- dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_an_urgent_alert_first_until_acknowledged(client, clinician, patient):
    today = timezone.localdate()
    session(patient, today - timedelta(days=3))
    urgent = report(patient, "difficulty_swallowing", today - timedelta(days=1), urgent=True)
    client.force_login(clinician)
    page = client.get(reverse("outcomes:dashboard")).content.decode()
    assert 'data-testid="urgent-report"' in page
    assert page.index("Urgent side effects") < page.index("Clinic outcomes")
    assert patient.full_name in page
    urgent.acknowledged_at = timezone.now()
    urgent.acknowledged_by = clinician
    urgent.save()
    assert (
        'data-testid="urgent-report"'
        not in client.get(reverse("outcomes:dashboard")).content.decode()
    )


def test_side_effect_rates_are_shares_of_patients_within_their_first_24_weeks(make_patient):
    """Section 7: like PREEMPT, the share of *patients* with at least one report within
    their first 24 weeks (from the first signed session), not of sessions."""
    today = timezone.localdate()
    first_on = today - timedelta(days=200)
    a, b, c, d, e = (make_patient() for _ in range(5))
    for patient in (a, b, c, d):
        session(patient, first_on)
        session(patient, first_on + timedelta(days=84))
    report(a, "neck_pain", first_on + timedelta(days=3))
    report(a, "neck_pain", first_on + timedelta(days=90))  # a second report: still 1 patient
    report(b, "neck_pain", first_on)  # the session day counts
    report(b, "eyelid_ptosis", first_on + timedelta(days=167))  # the last day of week 24
    report(c, "neck_pain", first_on + timedelta(days=168))  # week 25: too late
    report(d, "bruising", first_on + timedelta(days=100))  # after the second session
    session(e, today - timedelta(days=100))  # first 24 weeks not ended: not counted
    report(e, "neck_pain", today - timedelta(days=99))
    rates = {rate.effect: rate for rate in selectors.clinic_report(today).side_effects}
    assert (rates["neck_pain"].patients, rates["neck_pain"].evaluated) == (2, 4)
    assert (rates["neck_pain"].percent, rates["neck_pain"].preempt_percent) == (50.0, 9.0)
    assert (rates["eyelid_ptosis"].patients, rates["eyelid_ptosis"].percent) == (1, 25.0)
    assert rates["eyelid_ptosis"].preempt_percent == 4.0
    assert (rates["bruising"].percent, rates["bruising"].preempt_percent) == (25.0, None)


def test_the_dashboard_shows_side_effect_rates_next_to_preempt(client, clinician, patient):
    today = timezone.localdate()
    session(patient, today - timedelta(days=170))
    report(patient, "neck_pain", today - timedelta(days=150))
    client.force_login(clinician)
    page = client.get(reverse("outcomes:dashboard-outcomes")).content.decode()
    assert 'data-testid="rate-neck_pain">100.0%' in page
    assert 'data-testid="patients-neck_pain">1 of 1' in page
    assert 'data-testid="rate-eyelid_ptosis">0.0%' in page
    assert "about 9%" in page and "about 4%" in page
    assert "first 24 weeks" in page


def test_the_dashboard_links_sessions_due_and_overdue_to_the_worklists(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("outcomes:dashboard")).content.decode()
    worklists = reverse("scheduling:worklists")
    assert f'href="{worklists}" data-testid="due-link"' in page
    assert f'href="{worklists}" data-testid="overdue-link"' in page


# -- patient page -------------------------------------------------------------------------


def test_the_patient_page_links_record_candidacy_and_booking(client, clinician, patient):
    client.force_login(clinician)
    page = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    for name in ("patients:patient-record", "candidacy:candidacy", "scheduling:patient-book"):
        assert f'href="{reverse(name, kwargs={"patient_id": patient.pk})}"' in page
    assert "No appointment booked." in page


def test_the_patient_page_shows_the_next_booked_appointment(client, clinician, patient):
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=9), datetime.min.time())
    ) + timedelta(hours=10)
    appointment = Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind=AppointmentKind.TREATMENT_SESSION,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
    )
    client.force_login(clinician)
    page = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "Next appointment: <strong>Treatment session</strong>" in page
    assert (
        reverse("scheduling:appointment-detail", kwargs={"appointment_id": appointment.pk}) in page
    )


def test_the_patient_page_alerts_an_open_urgent_report(client, clinician, patient):
    today = timezone.localdate()
    session(patient, today - timedelta(days=4))
    report(patient, "double_vision", today - timedelta(days=2), urgent=True)
    client.force_login(clinician)
    page = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert 'data-alert="urgent"' in page and "Double vision" in page


# -- documents ----------------------------------------------------------------------------


def pdf_text(response) -> str:
    return " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )


def test_the_continuation_packet_states_diagnosis_failed_preventives_and_sessions(
    client, clinician, patient
):
    today = timezone.localdate()
    build_story(patient, today, kind="responder", sessions=2)
    Diagnosis.objects.create(
        patient=patient,
        icd10_code="G43.709",
        confirmed_by_neurologist=True,
        neurologist="Dr Ada Nerve",
        confirmed_on=date(2024, 3, 1),
    )
    PreventiveTrial.objects.create(
        patient=patient,
        drug="Topiramate",
        drug_class="antiepileptic",
        start=date(2023, 1, 1),
        end=date(2023, 4, 1),
        outcome="not_tolerated",
    )
    PreventiveTrial.objects.create(
        patient=patient,
        drug="Magnesium",
        drug_class="other",
        start=date(2023, 5, 1),
        outcome="effective",
    )
    client.force_login(clinician)
    text = pdf_text(
        client.get(reverse("outcomes:continuation-packet", kwargs={"patient_id": patient.pk}))
    )
    assert "G43.709" in text and "Chronic migraine without aura" in text
    assert "Dr Ada Nerve" in text
    assert "Topiramate" in text and "Not tolerated" in text and "1 Jan 2023" in text
    assert "Magnesium" not in text  # effective: not a failed preventive
    assert "155" in text and "45" in text  # units injected and wasted of each session


def test_the_referrer_letter_states_the_diagnosis(client, clinician, patient):
    session(patient, timezone.localdate() - timedelta(days=20))
    Diagnosis.objects.create(patient=patient, icd10_code="G43.709", neurologist="Dr Ada Nerve")
    client.force_login(clinician)
    text = pdf_text(
        client.get(reverse("outcomes:referrer-letter", kwargs={"patient_id": patient.pk}))
    )
    assert "G43.709" in text and "Dr Ada Nerve" in text


# -- the clinic report's week-24 classification ---------------------------------------------


def _rules_response(base_n: int, base_hd: int, w24_n: int, w24_hd: int):
    first = date(2025, 1, 1)
    baseline = period_from_counts(
        first - timedelta(days=28),
        first - timedelta(days=1),
        base_n,
        rules.PeriodCounts(headache_days=base_hd),
    )
    period = period_from_counts(
        first + timedelta(days=140),
        first + timedelta(days=167),
        w24_n,
        rules.PeriodCounts(headache_days=w24_hd),
    )
    outcome = rules.response(baseline, [period])
    return outcome.status, outcome.headache_day_change


@pytest.mark.parametrize("base_n", [19, 20, 21, 23, 27, 28])
def test_the_week_24_classification_equals_the_rules_at_every_count(base_n):
    for w24_n in (19, 20, 22, 25, 28):
        for base_hd in range(base_n + 1):
            for w24_hd in range(w24_n + 1):
                expected = _rules_response(base_n, base_hd, w24_n, w24_hd)
                assert selectors.week_24_response(base_n, base_hd, w24_n, w24_hd) == expected, (
                    base_n,
                    base_hd,
                    w24_n,
                    w24_hd,
                )


@pytest.mark.parametrize(
    ("base_hd", "w24_hd", "status"),
    [
        (20, 10, "responder"),
        (20, 11, "partial"),
        (20, 14, "partial"),
        (20, 15, "non_responder"),
        (10, 7, "partial"),
    ],
)
def test_the_50_and_30_percent_boundaries_are_exact(base_hd, w24_hd, status):
    assert selectors.week_24_response(28, base_hd, 28, w24_hd)[0] == status
