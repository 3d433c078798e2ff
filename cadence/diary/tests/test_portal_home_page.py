"""The patient portal's home: quick entry, the day form, gaps and the calendar."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadence.diary.models import DiaryDay
from cadence.diary.services import DiaryEntry, diary_day_record
from cadence.diary.tests.conftest import day_form, today
from cadence.rules.diary import AcuteMedicationTaken

pytestmark = pytest.mark.django_db


def test_the_portal_home_shows_quick_entry_gaps_and_calendar(client, patient_user):
    client.force_login(patient_user)
    response = client.get(reverse("diary:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No headache today" in html and "Days to fill in" in html
    assert "calendar-counts" in html


def test_one_tap_records_a_no_headache_day(client, patient_user, patient):
    client.force_login(patient_user)
    response = client.post(reverse("diary:home"), {"date": today().isoformat(), "no_headache": "1"})
    assert response.status_code == 302
    day = DiaryDay.objects.get(patient=patient, date=today())
    assert not day.is_headache_day and day.entered_by == patient_user and not day.entered_on_behalf


def test_a_headache_day_with_a_usual_medicine_is_classified(client, patient_user, patient):
    diary_day_record(
        patient=patient,
        on=today() - timedelta(days=20),
        actor=patient_user,
        entry=DiaryEntry(
            headache_hours=5,
            acute_medications=(AcuteMedicationTaken("Rizatriptan", "triptan", True),),
        ),
    )
    client.force_login(patient_user)
    page = client.get(reverse("diary:home")).content.decode()
    assert "Took Rizatriptan" in page  # the quick-pick of usual medicines
    response = client.post(
        reverse("diary:home"),
        day_form(
            today(),
            headache_hours="6",
            peak_severity="severe",
            unilateral="on",
            pulsating="on",
            usual_0_taken="on",
            usual_0_relieved="on",
        ),
    )
    assert response.status_code == 302
    day = DiaryDay.objects.get(patient=patient, date=today())
    assert day.is_migraine_day and day.is_triptan_day and day.is_moderate_severe_day
    assert day.acute_medications == [
        {"name": "Rizatriptan", "drug_class": "triptan", "relieved": True}
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"headache_hours": "30"}, "less than or equal to 24"),
        ({"headache_hours": "-2"}, "greater than or equal to 0"),
        ({"headache_hours": "0", "peak_severity": "severe"}, "A day with 0 hours of headache"),
        ({"headache_hours": "5", "other_0_name": "Pill"}, "Choose what kind of medicine"),
        (
            {"headache_hours": "5", "other_0_name": "Pill", "other_0_class": "homeopathy"},
            "Select a valid choice",
        ),
    ],
)
def test_bad_input_shows_a_message_and_stores_nothing(client, patient_user, fields, message):
    client.force_login(patient_user)
    response = client.post(reverse("diary:home"), day_form(today(), **fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DiaryDay.objects.exists()


def test_a_future_day_is_refused_on_the_page(client, patient_user):
    client.force_login(patient_user)
    response = client.post(reverse("diary:home"), day_form(today() + timedelta(days=1)))
    assert response.status_code == 422
    assert "can&#x27;t be in the future" in response.content.decode()
    assert not DiaryDay.objects.exists()


def test_the_gap_list_offers_missing_days_and_a_reminder_after_three(client, patient_user, patient):
    for offset in (1, 2):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=offset),
            entry=DiaryEntry(),
            actor=patient_user,
        )
    client.force_login(patient_user)
    response = client.get(reverse("diary:home"))
    gaps = response.context["gaps"]
    assert today() - timedelta(days=1) not in gaps and today() - timedelta(days=3) in gaps
    assert response.context["show_reminder"] is True  # days 3..14 are missing
    assert "You have missed a few days" in response.content.decode()


def test_no_reminder_when_the_last_two_weeks_are_complete(client, patient_user, patient):
    for offset in range(1, 15):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=offset),
            entry=DiaryEntry(),
            actor=patient_user,
        )
    client.force_login(patient_user)
    response = client.get(reverse("diary:home"))
    assert response.context["show_reminder"] is False and response.context["gaps"] == []


def test_editing_a_past_day_prefills_and_replaces_it(client, patient_user, patient):
    on = today() - timedelta(days=2)
    diary_day_record(
        patient=patient, on=on, entry=DiaryEntry(headache_hours=7, nausea=True), actor=patient_user
    )
    client.force_login(patient_user)
    page = client.get(reverse("diary:home"), {"date": on.isoformat()})
    assert page.context["form"].initial["headache_hours"] == 7
    client.post(reverse("diary:home"), day_form(on))
    assert DiaryDay.objects.get(patient=patient, date=on).headache_hours == 0
    assert DiaryDay.objects.count() == 1


def test_the_portal_home_stays_a_few_queries(
    client, patient_user, patient, django_assert_max_num_queries
):
    for offset in range(30):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=offset),
            entry=DiaryEntry(headache_hours=5),
            actor=patient_user,
        )
    client.force_login(patient_user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("diary:home")).status_code == 200


@pytest.mark.parametrize("role", ["clinician", "nurse", "frontdesk", "admin"])
def test_staff_cannot_open_the_patient_portal(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("diary:home")).status_code == 403
