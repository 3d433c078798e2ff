"""Booking's free times follow the chosen date and clinician (htmx and without
JavaScript); the week grid links a free slot to booking it, prefilled (issue 19)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.scheduling import selectors
from cadence.scheduling.models import WorkingHours
from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


def _book_url(patient):
    return reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk})


def test_htmx_asks_only_for_the_free_times_of_the_chosen_day(
    frontdesk, working_week, patient, other_patient
):
    day = in_days(3)
    appointment(other_patient, working_week, day, 9)
    response = signed_in(frontdesk).get(
        _book_url(patient),
        {"day": day.isoformat(), "clinician": working_week.pk, "kind": "treatment_session"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post"' not in html  # the fragment, not the page
    assert f"Free times on {day:%A} {day.day}" in html
    assert ">08:45<" in html and ">09:00<" not in html and ">09:15<" in html


def test_the_booking_form_asks_htmx_for_the_free_times_when_date_or_clinician_change(
    frontdesk, working_week, patient
):
    html = signed_in(frontdesk).get(_book_url(patient)).content.decode()
    for name in ("day", "clinician", "kind"):
        assert f'name="{name}"' in html
    assert html.count('hx-target="#free-times"') == 3
    assert f'hx-get="{_book_url(patient)}"' in html


def test_without_javascript_the_chosen_day_reloads_the_page_with_its_free_times(
    frontdesk, working_week, patient
):
    day = in_days(5)
    response = signed_in(frontdesk).get(_book_url(patient), {"day": day.isoformat()})
    assert response.context["free_day"] == day
    assert response.context["form"].initial["day"] == day
    assert "Show free times" in response.content.decode()


def test_a_slot_from_the_week_grid_prefills_the_booking_form(frontdesk, working_week, patient):
    day = in_days(6)
    form = (
        signed_in(frontdesk)
        .get(
            _book_url(patient),
            {"day": day.isoformat(), "clinician": working_week.pk, "time": "14:30"},
        )
        .context["form"]
    )
    assert form.initial["day"] == day
    assert form.initial["clinician"] == working_week.pk
    assert form.initial["start_time"] == time(14, 30)


def test_the_patient_search_carries_the_chosen_slot(frontdesk, working_week, patient):
    day = in_days(6)
    response = signed_in(frontdesk).get(
        reverse("scheduling:book-start"),
        {"q": "Owner", "day": day.isoformat(), "clinician": working_week.pk, "time": "14:30"},
    )
    html = response.content.decode()
    assert f"day={day.isoformat()}&amp;clinician={working_week.pk}&amp;time=14%3A30" in html
    assert "Chosen slot:" in html


def test_the_week_grid_shows_booked_patients_and_links_free_slots(frontdesk, working_week, patient):
    day = in_days(7)
    appointment(patient, working_week, day, 10)
    response = signed_in(frontdesk).get(
        reverse("scheduling:calendar"),
        {"view": "grid", "date": day.isoformat(), "clinician": working_week.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert patient.full_name in html
    assert f'data-slot="{day.isoformat()}T11:00"' in html
    assert f'data-slot="{day.isoformat()}T10:00"' not in html  # booked
    assert 'tabindex="0" role="region"' in html


def test_the_week_grid_marks_hours_off_and_the_past(clinician):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    WorkingHours.objects.create(clinician=clinician, weekday=0, starts=time(9), ends=time(12))
    WorkingHours.objects.create(clinician=clinician, weekday=2, starts=time(10), ends=time(17))
    days, rows = selectors.week_grid(clinician, monday + timedelta(days=7), step_minutes=15)
    assert [r.starts for r in rows][:2] == [time(9), time(9, 15)]
    assert rows[-1].starts == time(16, 45)
    nine = rows[0].cells
    assert nine[0].bookable and not nine[1].working and not nine[2].working
    past_days, past_rows = selectors.week_grid(clinician, monday - timedelta(days=7))
    assert not any(c.bookable for r in past_rows for c in r.cells)
    assert any(c.working for r in past_rows for c in r.cells)


def test_the_week_grid_is_for_the_care_team_only(patient_user, clinician):
    response = signed_in(patient_user).get(reverse("scheduling:calendar"), {"view": "grid"})
    assert response.status_code == 403


def test_the_week_grid_shows_an_appointment_outside_working_hours(clinician, patient, sign_session):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    WorkingHours.objects.create(clinician=clinician, weekday=0, starts=time(9), ends=time(12))
    early = appointment(patient, clinician, monday + timedelta(days=8), 7)  # Tuesday 07:00
    days, rows = selectors.week_grid(clinician, monday + timedelta(days=7))
    assert rows[0].starts == time(7)
    assert rows[0].cells[1].appointments == (early,)
