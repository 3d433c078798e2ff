"""The clinic dashboard and clinic_report: numbers from aggregates, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import build_story, session

pytestmark = pytest.mark.django_db


def test_it_counts_stages(make_patient):
    today = timezone.localdate()
    make_patient()  # work-up
    session(make_patient(), today - timedelta(days=30))  # first course
    session(make_patient(), today - timedelta(days=85))  # first course
    session(make_patient(), today - timedelta(days=120))  # first course, overdue
    session(make_patient(), today - timedelta(days=400))  # stopped
    report = selectors.clinic_report(today)
    assert report.patient_count == 5
    assert report.stage_counts == {"work_up": 1, "first_course": 3, "maintenance": 0, "stopped": 1}


def test_the_dashboard_counts_due_and_overdue_as_the_worklists_do(client, clinician, make_patient):
    """The numbers on the dashboard are the lengths of the worklists they link to."""
    from cadence.scheduling.selectors import worklists

    today = timezone.localdate()
    session(make_patient(), today - timedelta(days=84))  # due today
    session(make_patient(), today - timedelta(days=95))  # past due, not booked: overdue
    session(make_patient(), today - timedelta(days=400))  # lost to follow-up
    lists = worklists(today)
    client.force_login(clinician)
    html = client.get(reverse("outcomes:dashboard")).content.decode()
    assert f'<strong data-testid="due-this-week">{len(lists.due_this_week)}</strong>' in html
    assert f'<strong data-testid="overdue">{len(lists.overdue)}</strong>' in html
    assert f'<strong data-testid="lost">{len(lists.lost_to_follow_up)}</strong>' in html
    assert len(lists.overdue) == 1 and len(lists.lost_to_follow_up) == 1


def test_it_reports_24_week_responders_against_preempt(make_patient):
    today = timezone.localdate()
    build_story(make_patient(), today, kind="responder", sessions=3, seed=1)
    build_story(make_patient(), today, kind="non_responder", sessions=3, seed=2)
    session(make_patient(), today - timedelta(days=200))  # past week 24, no diary
    report = selectors.clinic_report(today)
    assert report.review_patients == 3
    assert report.evaluable_at_24_weeks == 2
    assert report.responder_rate_percent == 50.0
    assert report.status_counts_24_weeks["insufficient_data"] == 1
    assert report.mean_headache_day_change < 0
    assert report.preempt.headache_day_change_active == -8.4


def test_week_24_counts_match_the_per_patient_outcome(make_patient):
    today = timezone.localdate()
    patient = make_patient()
    build_story(patient, today, kind="responder", sessions=3, seed=5)
    ((_pk, first, base_n, base_hd, w24_n, w24_hd, rule),) = selectors.week_24_counts(today)
    outcome = selectors.patient_outcomes(patient, today=today)
    assert rule == outcome.profile.responder_rule
    assert (base_n, base_hd) == (outcome.baseline.days_recorded, outcome.baseline.raw.headache_days)
    assert (w24_n, w24_hd) == (
        outcome.periods[5].days_recorded,
        outcome.periods[5].raw.headache_days,
    )


def test_an_empty_clinic_has_no_rates():
    report = selectors.clinic_report(timezone.localdate())
    assert report.patient_count == 0
    assert report.responder_rate_percent is None and report.mean_headache_day_change is None


@pytest.mark.parametrize("patients", [2, 40])
def test_the_dashboard_uses_a_bounded_number_of_queries(
    client, clinician, make_patient, patients, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(patients):
        patient = make_patient()
        if n % 2:
            build_story(patient, today, kind="responder", sessions=3, seed=n)
    client.force_login(clinician)
    # session, user, MFA device, urgent alerts, the worklists' seven (payer profiles, the
    # patients they may hold, their sessions, bookings, patients, default profile,
    # follow-ups) (+ savepoints): the same whatever the number of patients; + the audit
    # view entry (issue 21: the dashboard names patients), 8 here because this first
    # entry of the test database also creates the chain head; + the sections other apps
    # register (report_sections): surgery's one joined query
    with django_assert_max_num_queries(22):
        page = client.get(reverse("outcomes:dashboard"))
    assert page.status_code == 200
    assert reverse("outcomes:dashboard-outcomes") in page.content.decode()
    # the outcome cards (htmx, after the page): patients, sessions + week-24 counts,
    # side-effect rates (+ session, user, MFA device)
    with django_assert_max_num_queries(8):
        cards = client.get(reverse("outcomes:dashboard-outcomes"), headers={"HX-Request": "true"})
    assert cards.status_code == 200
    assert "Response at 24 weeks" in cards.content.decode()


def test_the_outcome_cards_are_a_fragment_for_htmx_and_a_page_without_it(client, clinician):
    client.force_login(clinician)
    url = reverse("outcomes:dashboard-outcomes")
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Patients by stage" in fragment and "<html" not in fragment
    page = client.get(url).content.decode()
    assert "Patients by stage" in page and "<html" in page
    assert f'href="{reverse("outcomes:dashboard")}"' in page


def test_the_dashboard_loads_its_outcome_cards_after_the_page(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("outcomes:dashboard")).content.decode()
    url = reverse("outcomes:dashboard-outcomes")
    assert f'hx-get="{url}" hx-trigger="load"' in page
    assert f'<a href="{url}">Open the clinic outcomes</a>' in page  # without JavaScript


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 403), ("nurse", 200), ("frontdesk", 403), ("patient", 403)]
)
def test_who_may_open_the_dashboard(client, users_by_role, role, status):
    client.force_login(users_by_role[role])
    assert client.get(reverse("outcomes:dashboard")).status_code == status
    assert client.get(reverse("outcomes:dashboard-outcomes")).status_code == status
