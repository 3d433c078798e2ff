"""Issue 16: the numbers a neurologist and a payer check, through the API and on every
surface: exact response, the weeks 21-24 review, migraine/moderate-severe/acute-medication
days beside headache days, and the same response on the patient page, the clinic report,
the payer packet and the FHIR/CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.interop.selectors import period_resources
from cadence.outcomes import reports, selectors
from cadence.outcomes.tests.factories import (
    MIGRAINE,
    NO_HEADACHE,
    SIMPLE_ANALGESIC,
    TENSION,
    TRIPTAN_MIGRAINE,
    session,
    write_days,
)
from cadence.rules.diary import AcuteMedicationTaken

pytestmark = pytest.mark.django_db


def diary(patient, start: date, recorded: int, headache: int, facts=MIGRAINE) -> None:
    """``recorded`` diary days from ``start``, the first ``headache`` of them headache days."""
    write_days(
        patient,
        [
            (start + timedelta(days=i), facts if i < headache else NO_HEADACHE)
            for i in range(recorded)
        ],
    )


def test_exactly_50_percent_fewer_from_21_recorded_days_is_a_responder(api_for, clinician, patient):
    """10 headache days in 21 recorded baseline days against 5 in 21 = exactly 50%."""
    today = timezone.localdate()
    first = today - timedelta(days=40)
    session(patient, first)
    diary(patient, first - timedelta(days=28), 21, 10)
    diary(patient, first, 21, 5)
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["baseline"]["headache_days"] == 13.3  # shown rounded
    assert body["periods"][0]["headache_days"] == 6.7
    assert body["response"]["status"] == "responder"
    assert body["response"]["percent_change"] == -50.0
    assert body["response"]["headache_day_change"] == -6.7


def test_49_9_percent_fewer_is_partial_though_the_rounded_numbers_look_like_50(
    api_for, clinician, patient
):
    """19 in 20 recorded baseline days against 10 in 21: 26.6 -> 13.3 = 49.9% fewer."""
    today = timezone.localdate()
    first = today - timedelta(days=40)
    session(patient, first)
    diary(patient, first - timedelta(days=28), 20, 19)
    diary(patient, first, 21, 10)
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert (body["baseline"]["headache_days"], body["periods"][0]["headache_days"]) == (26.6, 13.3)
    assert body["response"]["status"] == "partial"
    assert body["response"]["percent_change"] == -49.9


def test_migraine_moderate_severe_and_acute_medication_days_beside_headache_days(
    client, api_for, clinician, patient
):
    today = timezone.localdate()
    first = today - timedelta(days=40)
    session(patient, first)
    base = first - timedelta(days=28)
    # baseline: 10 migraine days with a triptan, 10 mild tension days with ibuprofen
    write_days(patient, [(base + timedelta(days=i), TRIPTAN_MIGRAINE) for i in range(10)])
    write_days(patient, [(base + timedelta(days=10 + i), SIMPLE_ANALGESIC) for i in range(10)])
    write_days(patient, [(base + timedelta(days=20 + i), NO_HEADACHE) for i in range(8)])
    # follow-up: 4 migraine days (no medicine), 4 tension days
    write_days(patient, [(first + timedelta(days=i), MIGRAINE) for i in range(4)])
    write_days(patient, [(first + timedelta(days=4 + i), TENSION) for i in range(4)])
    write_days(patient, [(first + timedelta(days=8 + i), NO_HEADACHE) for i in range(20)])
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    answer = body["response"]
    assert (answer["headache_day_change"], answer["percent_change"]) == (-12.0, -60.0)
    assert (answer["migraine_day_change"], answer["migraine_day_percent_change"]) == (-6.0, -60.0)
    assert answer["moderate_severe_day_change"] == -6.0
    assert answer["moderate_severe_day_percent_change"] == -60.0
    assert (
        answer["acute_medication_day_change"],
        answer["acute_medication_day_percent_change"],
    ) == (
        -20.0,
        -100.0,
    )
    client.force_login(clinician)
    page = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert (
        'data-testid="measure-migraine_days">Migraine days: 10 → 4 per 28 days (-6.0, -60.0%)'
        in page
    )
    assert 'data-testid="measure-acute_medication_days">Acute-medication days: 20 → 0' in page


def _review_patient(patient, today: date) -> date:
    """A responder at weeks 21-24 whose latest period (weeks 25-28) is wearing off."""
    first = today - timedelta(days=28 * 7 + 1)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    session(patient, first + timedelta(days=168))
    diary(patient, first - timedelta(days=28), 28, 20)
    for index in range(7):
        headache = {5: 8, 6: 18}.get(index, 12)
        diary(patient, first + timedelta(days=28 * index), 28, headache)
    return first


def test_the_24_week_review_uses_weeks_21_to_24_not_the_latest_period(api_for, clinician, patient):
    today = timezone.localdate()
    first = _review_patient(patient, today)
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["response"]["status"] == "non_responder"  # the latest period: 18 of 20
    review = body["week_24_response"]
    assert review["status"] == "responder"
    assert review["headache_day_change"] == -12.0 and review["percent_change"] == -60.0
    week_21 = (first + timedelta(weeks=20)).isoformat()
    assert week_21 in review["reason"]


def test_the_payer_packet_prints_the_24_week_review(client, clinician, patient):
    today = timezone.localdate()
    _review_patient(patient, today)
    outcome = selectors.patient_outcomes(patient, today=today)
    context = reports.report_context(outcome, clinician)
    html = reports.render_to_string("outcomes/pdf/continuation_packet.html", context)
    assert 'data-testid="week-24-status">Responder: -12.0 days (-60.0%)' in html
    client.force_login(clinician)
    detail = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert 'data-testid="week-24-status"><strong>Responder</strong>' in detail


# -- one response on every surface ------------------------------------------------------------


def _csv_row(client, patient_id: int) -> dict:
    answer = client.get(reverse("interop:outcomes-csv"))
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    return next(row for row in rows if row["patient_id"] == str(patient_id))


@pytest.mark.parametrize(
    ("base_recorded", "base_headache", "follow_recorded", "follow_headache", "status"),
    [
        (21, 10, 21, 5, "responder"),  # exactly 50%
        (20, 19, 21, 10, "partial"),  # 49.9%
        (20, 10, 20, 7, "partial"),  # exactly 30%
        (23, 15, 24, 11, "non_responder"),  # 29.7%: rounded values would say 30%
    ],
)
def test_every_surface_shows_the_same_response(
    client,
    api_for,
    clinician,
    patient,
    base_recorded,
    base_headache,
    follow_recorded,
    follow_headache,
    status,
):
    """The patient page, the clinic report, the payer packet, the API, FHIR and the CSV
    export, for a patient whose latest ended period is the weeks 21-24 period."""
    today = timezone.localdate()
    first = today - timedelta(days=24 * 7 + 2)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    diary(patient, first - timedelta(days=28), base_recorded, base_headache)
    w24 = first + timedelta(weeks=20)
    diary(patient, w24, follow_recorded, follow_headache)

    api = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert api["response"]["status"] == status
    assert api["week_24_response"]["status"] == status

    outcome = selectors.patient_outcomes(patient, today=today)
    assert outcome.response.status == status == outcome.week_24_response.status
    assert outcome.response.compared_period.start == w24

    report = selectors.clinic_report(today)
    assert report.status_counts_24_weeks[status] == 1

    html = reports.render_to_string(
        "outcomes/pdf/continuation_packet.html", reports.report_context(outcome, clinician)
    )
    words = reports.STATUS_WORDS[status]
    assert f'data-testid="response-status">{words}<' in html
    assert f'data-testid="week-24-status">{words}' in html

    client.force_login(clinician)
    detail = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert f'data-testid="response-status"><strong>{words}</strong>' in detail

    row = _csv_row(client, patient.pk)
    assert (row["response"], row["week_24_response"]) == (status, status)
    assert float(row["headache_day_change"]) == api["response"]["headache_day_change"]

    # FHIR: the baseline and weeks 21-24 period Observations carry the API's numbers
    by_start = {
        resource["effectivePeriod"]["start"]: resource
        for resource in period_resources(patient, as_of=today)
    }
    for period in (api["baseline"], api["periods"][5]):
        values = [
            component["valueQuantity"]["value"]
            for component in by_start[period["start"]]["component"]
            if "valueQuantity" in component
        ]
        assert period["headache_days"] in values


# -- ICHD-3 8.2.6 through the API -----------------------------------------------------------


def _overuse_diary(patient, runs) -> None:
    """Each of the 3 periods ending today: consecutive runs of (n days, facts)."""
    today = timezone.localdate()
    days = []
    for k in range(3):
        end = today - timedelta(days=28 * k)
        on = end - timedelta(days=27)
        for n, facts in [*runs, (28, NO_HEADACHE)]:
            for _ in range(n):
                if on <= end:
                    days.append((on, facts))
                on += timedelta(days=1)
    write_days(patient, days)


def test_6_triptan_and_6_paracetamol_days_for_three_periods_is_flagged(api_for, clinician, patient):
    _overuse_diary(patient, [(6, TRIPTAN_MIGRAINE), (6, SIMPLE_ANALGESIC)])
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["medication_overuse"]["flagged"] is True
    assert "8.2.6" in body["medication_overuse"]["detail"]


def test_gepant_days_are_shown_but_not_counted(api_for, clinician, patient):
    """10 days of ibuprofen with rimegepant: one ICHD-3 class on 10 days, not overuse
    (a gepant used to make these "mixed classes" days)."""
    with_gepant = SIMPLE_ANALGESIC.__class__(
        headache_hours=6,
        peak_severity=MIGRAINE.peak_severity,
        acute_medications=(
            AcuteMedicationTaken("ibuprofen", "simple_analgesic", False),
            AcuteMedicationTaken("rimegepant", "gepant", True),
        ),
    )
    _overuse_diary(patient, [(10, with_gepant)])
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["medication_overuse"]["flagged"] is False
