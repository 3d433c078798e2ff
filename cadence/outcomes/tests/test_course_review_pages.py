"""The course review (stopping rules) on the patient page, its own page with the
clinician's decision, the dashboard card and the payer packet."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.audit.models import AuditEvent
from cadence.outcomes import selectors
from cadence.outcomes.models import CourseReviewDecision
from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, session, write_pattern
from cadence.patients.models import PayerProfile, PreventiveTrial

pytestmark = pytest.mark.django_db


def per_28(n: int):
    """``n`` headache days in every 28 consecutive days."""
    return lambda on: MIGRAINE if on.toordinal() % 28 < n else NO_HEADACHE


def treated(patient, *, days_ago: int, after: int, baseline: int = 20, sessions: int = 2):
    """Sessions every 84 days from ``days_ago`` days ago; ``baseline`` headache days per
    28 before, ``after`` from the first session on."""
    today = timezone.localdate()
    first = today - timedelta(days=days_ago)
    dates = [first + timedelta(days=84 * k) for k in range(sessions)]
    for on in dates:
        session(patient, on)
    write_pattern(
        patient,
        first - timedelta(days=40),
        today,
        lambda on: per_28(baseline)(on) if on < first else per_28(after)(on),
    )
    return dates


@pytest.fixture
def nice():
    return PayerProfile.objects.create(
        name="NHS England (NICE TA260)",
        min_preventive_classes=3,
        min_interval_days=84,
        responder_rule="percent_50",
        review_weeks=24,
        stopping_rules="nice_ta260",
    )


def review_url(patient):
    return reverse("outcomes:course-review", kwargs={"patient_id": patient.pk})


def test_a_us_responder_at_24_weeks_is_recommended_to_continue(clinician_client, patient):
    treated(patient, days_ago=24 * 7 + 3, after=6)
    page = clinician_client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    )
    html = page.content.decode()
    assert 'data-recommendation="continue"' in html
    assert "US payer: responder rule" in html
    assert "No decision recorded for this course yet." in html


def test_a_us_non_responder_is_recommended_to_stop(clinician_client, patient):
    treated(patient, days_ago=24 * 7 + 3, after=17)
    review = selectors.course_review_for(selectors.patient_outcomes(patient))
    assert review.recommendation == "stop"
    assert review.review_period.end == review.due_on - timedelta(days=1)


def test_before_24_weeks_nothing_is_recommended(clinician_client, patient):
    treated(patient, days_ago=100, after=17)
    page = clinician_client.get(review_url(patient))
    assert 'data-recommendation=""' in page.content.decode()
    assert "Not due yet" in page.content.decode()


def test_nice_stops_a_patient_who_became_episodic(clinician_client, patient, nice):
    patient.payer_profile = nice
    patient.save()
    treated(patient, days_ago=3 * 28 + 10, after=10)
    page = clinician_client.get(review_url(patient))
    html = page.content.decode()
    assert 'data-recommendation="stop"' in html
    assert 'data-evidence="episodic"' in html
    assert "NHS England: NICE TA260" in html


def test_nice_stops_under_30_percent_fewer_after_two_cycles(patient, nice):
    patient.payer_profile = nice
    patient.save()
    treated(patient, days_ago=24 * 7 + 3, after=16)  # 20 -> 16: 20% fewer
    review = selectors.course_review_for(selectors.patient_outcomes(patient))
    assert review.recommendation == "stop"


@pytest.mark.parametrize(
    ("trials", "expected"),
    [
        (["topiramate", "propranolol", "amitriptyline"], "continue"),
        (["topiramate", "propranolol"], "review"),
    ],
)
def test_nice_continues_only_with_three_failed_preventives(patient, nice, trials, expected):
    classes = {
        "topiramate": "antiepileptic",
        "propranolol": "beta_blocker",
        "amitriptyline": "tricyclic",
    }
    start = timezone.localdate() - timedelta(days=700)
    for drug in trials:
        PreventiveTrial.objects.create(
            patient=patient,
            drug=drug,
            drug_class=classes[drug],
            start=start,
            end=start + timedelta(days=90),
            outcome="ineffective",
        )
    patient.payer_profile = nice
    patient.save()
    # 26 -> 16: 38% fewer and still chronic (an episodic patient stops under NICE)
    treated(patient, days_ago=24 * 7 + 3, baseline=26, after=16)
    review = selectors.course_review_for(selectors.patient_outcomes(patient))
    assert review.recommendation == expected


def test_the_clinician_records_the_decision_with_an_audit_entry(clinician_client, patient):
    treated(patient, days_ago=24 * 7 + 3, after=6)
    response = clinician_client.post(review_url(patient), {"decision": "continue", "note": ""})
    assert response.status_code == 302
    decision = CourseReviewDecision.objects.get(patient=patient)
    assert decision.recommendation == "continue"
    assert decision.stopping_rules == "us_responder"
    assert "Weeks 21-24" in decision.evidence
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, summary__startswith="Recorded course review decision"
    ).exists()
    page = clinician_client.get(review_url(patient)).content.decode()
    assert "Decided: <strong>Continue treatment</strong>" in page


def test_deciding_against_the_recommendation_needs_a_note(clinician_client, patient):
    treated(patient, days_ago=24 * 7 + 3, after=17)  # stop recommended
    response = clinician_client.post(review_url(patient), {"decision": "continue", "note": ""})
    assert response.status_code == 200
    assert "Say why the decision differs" in response.content.decode()
    assert not CourseReviewDecision.objects.exists()
    response = clinician_client.post(
        review_url(patient), {"decision": "continue", "note": "Wearing-off documented."}
    )
    assert response.status_code == 302
    assert CourseReviewDecision.objects.get().differs_from_recommendation


def test_a_nurse_sees_the_review_but_may_not_decide(client, nurse, patient):
    treated(patient, days_ago=24 * 7 + 3, after=6)
    client.force_login(nurse)
    assert client.get(review_url(patient)).status_code == 200
    assert client.post(review_url(patient), {"decision": "continue"}).status_code == 403
    assert not CourseReviewDecision.objects.exists()


def test_the_dashboard_card_lists_reviews_due_until_decided(clinician_client, make_patient):
    due = make_patient(last_name="Reviewdue")
    treated(due, days_ago=24 * 7 + 3, after=17)
    url = reverse("outcomes:course-reviews-due")
    html = clinician_client.get(url).content.decode()
    assert "Reviewdue" in html
    assert 'data-recommendation="stop"' in html
    dashboard = clinician_client.get(reverse("outcomes:dashboard")).content.decode()
    assert url in dashboard and "Course reviews due" in dashboard
    clinician_client.post(review_url(due), {"decision": "stop", "note": ""})
    assert "Reviewdue" not in clinician_client.get(url).content.decode()


def test_the_payer_packet_shows_the_course_review(clinician_client, patient):
    treated(patient, days_ago=24 * 7 + 3, after=6)
    response = clinician_client.get(
        reverse("outcomes:continuation-packet", kwargs={"patient_id": patient.pk})
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Course review" in text
    assert "Continue treatment" in text
