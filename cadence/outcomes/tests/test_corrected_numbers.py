"""Issue 16: the numbers a neurologist and a payer check, through the API and on every
surface: exact response, the weeks 21-24 review, migraine/moderate-severe/acute-medication
days beside headache days, and the same response on the patient page, the clinic report,
the payer packet and the FHIR/CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

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
    put_on_payer_rule,
    session,
    write_days,
)
from cadence.patients.models import HistoricalBaseline
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


def _on_payer_rule(patient, rule: str) -> None:
    """Put the patient on a payer profile with ``rule`` (the default profile keeps the
    reference's 50% rule)."""
    if rule == "percent_50":
        return
    put_on_payer_rule(patient, rule)


@pytest.mark.parametrize(
    ("rule", "base_recorded", "base_headache", "follow_recorded", "follow_headache", "status"),
    [
        ("percent_50", 21, 10, 21, 5, "responder"),  # exactly 50%
        ("percent_50", 20, 19, 21, 10, "partial"),  # 49.9%
        ("percent_50", 20, 10, 20, 7, "partial"),  # exactly 30%
        ("percent_50", 23, 15, 24, 11, "non_responder"),  # 29.7%: rounded values would say 30%
        ("percent_50", 28, 20, 28, 13, "partial"),  # 7 fewer, but only 35%
        ("fewer_7_days", 28, 20, 28, 13, "responder"),  # exactly 7 fewer (35%)
        ("fewer_7_days", 20, 15, 20, 10, "responder"),  # 21 -> 14 scaled: exactly 7 fewer
        # 22.67 -> 15.68: 6.99 fewer, shown as -7.0, yet not 7 (30.8%: partial)
        ("fewer_7_days", 21, 17, 25, 14, "partial"),
    ],
)
def test_every_surface_shows_the_same_response(
    client,
    api_for,
    clinician,
    patient,
    rule,
    base_recorded,
    base_headache,
    follow_recorded,
    follow_headache,
    status,
):
    """The patient page, the clinic report, the payer packet, the API, FHIR and the CSV
    export, for a patient whose latest ended period is the weeks 21-24 period, decided by
    the patient's own payer-profile responder rule on exact values."""
    _on_payer_rule(patient, rule)
    today = timezone.localdate()
    first = today - timedelta(days=24 * 7 + 2)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    diary(patient, first - timedelta(days=28), base_recorded, base_headache)
    w24 = first + timedelta(weeks=20)
    diary(patient, w24, follow_recorded, follow_headache)
    _assert_every_surface_agrees(
        client,
        api_for,
        clinician,
        patient,
        today=today,
        rule=rule,
        status=status,
        w24=w24,
        base_exact=Fraction(base_headache * 28, base_recorded),
        base_raw=base_headache,
        follow_exact=Fraction(follow_headache * 28, follow_recorded),
        follow_recorded=follow_recorded,
    )


def _assert_every_surface_agrees(
    client,
    api_for,
    clinician,
    patient,
    *,
    today: date,
    rule: str,
    status: str,
    w24: date,
    base_exact: Fraction,
    base_raw: int | None,
    follow_exact: Fraction,
    follow_recorded: int,
) -> None:
    """The API, the patient page, the clinic report, the payer packet, the CSV export and
    the FHIR response Observations all show ``status`` for ``patient``, whose latest ended
    period is the weeks 21-24 period starting on ``w24``."""
    api = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert api["response"]["status"] == status
    assert api["week_24_response"]["status"] == status

    outcome = selectors.patient_outcomes(patient, today=today)
    assert outcome.response.status == status == outcome.week_24_response.status
    assert outcome.response.compared_period.start == w24

    report = selectors.clinic_report(today)
    assert report.status_counts_24_weeks[status] == 1
    ((*_counts, report_rule),) = selectors.week_24_counts(today)
    assert report_rule == rule == outcome.profile.responder_rule

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
    resources = list(period_resources(patient, as_of=today))
    by_start = {
        resource["effectivePeriod"]["start"]: resource
        for resource in resources
        if resource["id"].startswith("period-")
    }
    # ... and the course response Observations the status, the rule and exact values
    by_id = {resource["id"]: resource for resource in resources}
    for response_id in (f"response-{patient.pk}", f"response-{patient.pk}-week-24"):
        observation = by_id[response_id]
        assert observation["valueCodeableConcept"]["coding"][0]["code"] == status
        parts = {
            component["code"]["coding"][0]["code"]: component
            for component in observation["component"]
        }
        assert parts["responder-rule"]["valueCodeableConcept"]["coding"][0]["code"] == rule
        assert observation["effectivePeriod"] == {
            "start": w24.isoformat(),
            "end": (w24 + timedelta(days=27)).isoformat(),
        }
        assert parts["baseline-headache-days"]["valueQuantity"]["value"] == pytest.approx(
            float(base_exact), abs=1e-6
        )
        assert parts["follow-up-headache-days"]["valueQuantity"]["value"] == pytest.approx(
            float(follow_exact), abs=1e-6
        )
        assert parts["headache-day-percent-change"]["valueQuantity"]["value"] == pytest.approx(
            float((follow_exact - base_exact) * 100 / base_exact), abs=1e-6
        )
        if base_raw is not None:
            recorded = parts["baseline-headache-days-recorded"]["valueQuantity"]["value"]
            assert recorded == base_raw
        assert parts["follow-up-days-recorded"]["valueQuantity"]["value"] == follow_recorded
    for period in (api["baseline"], api["periods"][5]):
        values = [
            component["valueQuantity"]["value"]
            for component in by_start[period["start"]]["component"]
            if "valueQuantity" in component
        ]
        assert period["headache_days"] in values


@pytest.mark.parametrize(
    ("kind", "rule", "follow_recorded", "follow_headache", "status"),
    [
        # a new course after a 200-day lapse: 10 in 21 baseline days, the old course's
        # baseline (28 of 28) and its empty weeks 21-24 no longer count
        ("lapse", "percent_50", 21, 5, "responder"),  # exactly 50% fewer
        ("lapse", "percent_50", 21, 6, "partial"),  # 42.9%
        ("lapse", "fewer_7_days", 28, 7, "partial"),  # 13.3 -> 7: 6.3 fewer (47.5%)
        # a transferred patient: 5 diary days before the first session here (too few),
        # so the recorded historical baseline of 18.5 headache days counts
        ("historical", "percent_50", 28, 9, "responder"),  # 51.4% fewer
        ("historical", "percent_50", 28, 10, "partial"),  # 45.9%
        ("historical", "fewer_7_days", 28, 12, "partial"),  # 6.5 fewer (35.1%)
        ("historical", "fewer_7_days", 28, 11, "responder"),  # 7.5 fewer
    ],
)
def test_every_surface_shows_the_same_response_after_a_lapse_or_from_a_historical_baseline(
    client, api_for, clinician, patient, kind, rule, follow_recorded, follow_headache, status
):
    """Issue 16: the clinic report takes each patient's course and baseline from the
    patient page's owner, so a course restarted after a lapse of more than 180 days and a
    recorded historical baseline give the same response on every surface."""
    _on_payer_rule(patient, rule)
    today = timezone.localdate()
    first = today - timedelta(days=24 * 7 + 2)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    w24 = first + timedelta(weeks=20)
    diary(patient, w24, follow_recorded, follow_headache)
    follow_exact = Fraction(follow_headache * 28, follow_recorded)
    if kind == "lapse":
        old_last = first - timedelta(days=200)
        old_first = old_last - timedelta(days=84)
        session(patient, old_first)
        session(patient, old_last)
        diary(patient, old_first - timedelta(days=28), 28, 28)
        diary(patient, first - timedelta(days=28), 21, 10)
        base_exact, base_raw = Fraction(10 * 28, 21), 10
    else:
        diary(patient, first - timedelta(days=5), 5, 5)
        HistoricalBaseline.objects.create(
            patient=patient,
            headache_days=Decimal("18.5"),
            source="Referral letter, Northfield Headache Clinic",
            recorded_on=first - timedelta(days=100),
            recorded_by=clinician,
        )
        base_exact, base_raw = Fraction(37, 2), None

    outcome = selectors.patient_outcomes(patient, today=today)
    assert outcome.course_start == first
    assert outcome.baseline_source.kind == ("diary" if kind == "lapse" else "historical")
    ((_pk, course_start, *_counts),) = selectors.week_24_counts(today)
    assert course_start == first
    _assert_every_surface_agrees(
        client,
        api_for,
        clinician,
        patient,
        today=today,
        rule=rule,
        status=status,
        w24=w24,
        base_exact=base_exact,
        base_raw=base_raw,
        follow_exact=follow_exact,
        follow_recorded=follow_recorded,
    )
    if kind == "historical":
        # the historical baseline has headache days only: the packet's and the patient
        # page's period table says the other counts were not recorded
        baseline_row = reports.period_rows(outcome)[0]
        assert baseline_row["values"][:3] == ["18.5", "not recorded", "not recorded"]


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
