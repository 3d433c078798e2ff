"""Surgery outcomes on the clinic report (the dashboard), beside the Botox outcomes: the
section surgery registers with outcomes' report_sections, its numbers from the same
windows as each patient's page, its empty state and its query cost."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes import report_sections
from cadence.surgery import selectors
from cadence.surgery.models import SurgicalOperation
from cadence.surgery.tests.helpers import diary_window

pytestmark = pytest.mark.django_db


def operate(patient, clinician, *, days_ago: int, sites, before: int, after: int):
    """An operation ``days_ago`` with ``before`` headache days in the 28 days before it
    and ``after`` in every 28 days from the day of the operation on (to today)."""
    today = timezone.localdate()
    operated = today - timedelta(days=days_ago)
    diary_window(patient, operated - timedelta(days=28), 28, before)
    for block in range(days_ago // 28):
        diary_window(patient, operated + timedelta(days=28 * block), 28, after)
    return SurgicalOperation.objects.create(
        patient=patient,
        performed_on=operated,
        surgeon="Dr S",
        sites=[{"trigger_site": code, "side": "both"} for code in sites],
        recorded_by=clinician,
    )


def section_of(html: str) -> str:
    return html.split('data-testid="surgery-report-section"')[1].split("</section>")[0]


def test_surgery_registers_its_section_with_outcomes():
    assert "surgery" in report_sections.registered_keys()


def test_the_dashboard_shows_the_empty_state(client, clinician):
    client.force_login(clinician)
    html = client.get(reverse("outcomes:dashboard")).content.decode()
    section = section_of(html)
    assert "Outcomes after migraine surgery" in section
    assert "No operation recorded yet." in section
    assert 'href="/patients/surgery-outcomes/"' in section


def test_the_dashboard_shows_surgery_beside_botox(client, clinician, nurse, make_patient):
    first, second = make_patient(), make_patient()
    a = operate(first, clinician, days_ago=120, sites=["occipital", "frontal"], before=14, after=2)
    b = operate(second, clinician, days_ago=120, sites=["occipital"], before=10, after=8)
    for user in (clinician, nurse):
        client.force_login(user)
        html = client.get(reverse("outcomes:dashboard")).content.decode()
        assert "Clinic outcomes" in html  # the Botox outcomes stay (loaded after the page)
        outcomes = client.get(reverse("outcomes:dashboard-outcomes")).content.decode()
        assert "Response at 24 weeks" in outcomes
        section = section_of(html)
        assert 'data-testid="surgery-operation-count">2<' in section
        by_site = section.split('data-testid="surgery-by-site"')[1].split("</table>")[0]
        assert (
            by_site.split('data-trigger-site="occipital"')[1]
            .split("</tr>")[0]
            .endswith('<td class="num">2</td>')
        )
        assert (
            by_site.split('data-trigger-site="frontal"')[1]
            .split("</tr>")[0]
            .endswith('<td class="num">1</td>')
        )
        assert 'data-trigger-site="temporal"' not in by_site
        three = section.split('data-months="3"')[1].split("</tr>")[0]
        assert '<td class="num">2</td>' in three  # patients 3 months on
        assert "1 of 2 (50.0%)" in three  # only the first has 50% fewer headache days
        six = section.split('data-months="6"')[1].split("</tr>")[0]
        assert '<td class="num">0</td>' in six and "none measurable yet" in six
    # the MHI change is the mean of each operation's own change (the patient's page)
    changes = [
        next(w for w in selectors.surgery_outcomes(op, today=timezone.localdate()) if w.months == 3)
        for op in (a, b)
    ]
    mean = sum((w.mhi_change for w in changes), Fraction(0)) / 2
    assert f"{round(float(mean), 1)}% lower (mean of 2)" in three


def test_the_clinic_report_and_each_patients_page_give_the_same_windows(clinician, make_patient):
    """One owner: the clinic read (one joined query) and the patient's page (its own
    query) agree, also on the days at the edges of the windows."""
    today = timezone.localdate()
    patients = [make_patient() for _ in range(3)]
    operations = [
        operate(patients[0], clinician, days_ago=400, sites=["occipital"], before=12, after=5),
        operate(patients[1], clinician, days_ago=200, sites=["temporal"], before=9, after=4),
        operate(patients[2], clinician, days_ago=30, sites=["nasal"], before=6, after=6),
    ]
    # A headache day exactly on the first day of the baseline and on the last day of the
    # 12-month window of the first operation.
    first = operations[0]
    windows = {w.months: w for w in selectors.surgery_outcomes(first, today=today)}
    diary_window(patients[0], windows[None].start, 1, 1)
    diary_window(patients[0], windows[12].end, 1, 1)
    clinic = {op.pk: windows for op, windows in selectors.clinic_operation_outcomes(today=today)}
    assert set(clinic) == {op.pk for op in operations}
    for operation in operations:
        assert clinic[operation.pk] == selectors.surgery_outcomes(operation, today=today)
    assert clinic[first.pk][0].days_recorded == 28 and clinic[first.pk][3].ended


def test_the_clinic_read_is_one_query_whatever_the_number_of_operations(
    clinician, make_patient, django_assert_num_queries
):
    for n in range(4):
        operate(make_patient(), clinician, days_ago=100 + n, sites=["occipital"], before=8, after=2)
    with django_assert_num_queries(1):
        report = selectors.clinic_surgery_report(today=timezone.localdate())
    assert report.operation_count == 4 and report.patient_count == 4


def test_a_provider_may_show_nothing(client, clinician, monkeypatch):
    monkeypatch.setattr(report_sections, "_PROVIDERS", {})
    report_sections.register_report_section("quiet", lambda *, today: None)
    assert report_sections.report_sections(today=timezone.localdate()) == []
    client.force_login(clinician)
    html = client.get(reverse("outcomes:dashboard")).content.decode()
    assert 'data-testid="surgery-report-section"' not in html
