"""The portal pages, the staff diary page and the Alerts page."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.diary.services import DiaryEntry, diary_day_record
from cadence.rules.diary import AcuteMedicationTaken

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def day_form(on, **fields):
    data = {"date": on.isoformat(), "headache_hours": "0", "peak_severity": "none"}
    data.update(fields)
    return data


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
        ({"headache_hours": "0", "peak_severity": "severe"}, "peak_severity must be none"),
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


def test_a_nurse_enters_a_day_on_the_patients_behalf(client, nurse, patient):
    client.force_login(nurse)
    url = reverse("diary:patient-diary", kwargs={"patient_id": patient.pk})
    assert "on Pat's behalf" in client.get(url).content.decode()
    assert client.post(url, day_form(today(), headache_hours="4")).status_code == 302
    day = DiaryDay.objects.get(patient=patient)
    assert day.entered_on_behalf and day.entered_by == nurse


@pytest.mark.parametrize("role", ["frontdesk", "admin", "patient"])
def test_other_roles_cannot_use_the_staff_diary_page(client, users_by_role, patient, role):
    client.force_login(users_by_role[role])
    url = reverse("diary:patient-diary", kwargs={"patient_id": patient.pk})
    assert client.get(url).status_code == 403


def test_the_staff_diary_page_of_a_missing_patient_is_404(client, clinician):
    client.force_login(clinician)
    assert (
        client.get(reverse("diary:patient-diary", kwargs={"patient_id": 99999})).status_code == 404
    )


def test_midas_is_scored_and_listed_with_its_change(client, patient_user, patient):
    client.force_login(patient_user)
    QuestionnaireResponse.objects.create(
        patient=patient,
        instrument="MIDAS",
        completed_on=today() - timedelta(days=90),
        answers=[10, 10, 5, 5, 10],
        score=40,
        grade="IV",
    )
    data = {"completed_on": today().isoformat(), **{f"item_{i}": "2" for i in range(5)}}
    assert client.post(reverse("diary:midas-new"), data).status_code == 302
    stored = QuestionnaireResponse.objects.latest("id")
    assert (stored.score, stored.grade) == (10, "II")
    page = client.get(reverse("diary:questionnaire-list")).content.decode()
    assert "Grade II" in page and "-30 points (better)" in page


def test_midas_refuses_an_out_of_range_answer(client, patient_user):
    client.force_login(patient_user)
    data = {
        "completed_on": today().isoformat(),
        **{f"item_{i}": "2" for i in range(5)},
        "item_3": "91",
    }
    response = client.post(reverse("diary:midas-new"), data)
    assert response.status_code == 422 and "less than or equal to 90" in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_hit6_shows_neutral_labels_unless_licensed(client, patient_user, settings):
    from cadence.rules.questionnaires import HIT6_NEUTRAL_LABELS

    client.force_login(patient_user)
    settings.CADENCE_HIT6_LICENSED = False
    settings.CADENCE_HIT6_ITEM_TEXT = [f"Licensed item {n}" for n in range(6)]
    page = client.get(reverse("diary:hit6-new")).content.decode()
    assert "Item 1 – pain severity" in page or HIT6_NEUTRAL_LABELS[0] in page
    assert "Licensed item" not in page
    settings.CADENCE_HIT6_LICENSED = True
    assert "Licensed item 0" in client.get(reverse("diary:hit6-new")).content.decode()


def test_hit6_is_scored(client, patient_user):
    client.force_login(patient_user)
    data = {"completed_on": today().isoformat(), **{f"item_{i}": "sometimes" for i in range(6)}}
    assert client.post(reverse("diary:hit6-new"), data).status_code == 302
    stored = QuestionnaireResponse.objects.get()
    assert (stored.score, stored.band) == (60, "severe")


def test_an_urgent_report_shows_advice_and_appears_on_the_alerts(
    client, patient_user, clinician, patient
):
    client.force_login(patient_user)
    response = client.post(
        reverse("diary:side-effect-list"),
        {"effect": "difficulty_breathing", "severity": "moderate", "onset_on": today().isoformat()},
        follow=True,
    )
    assert "Seek medical care now" in response.content.decode()
    client.force_login(clinician)
    alerts = client.get(reverse("diary:alerts")).content.decode()
    assert "Urgent side effects (1)" in alerts and "Difficulty breathing" in alerts
    report = SideEffectReport.objects.get()
    client.post(reverse("diary:alert-acknowledge", kwargs={"report_id": report.pk}))
    report.refresh_from_db()
    assert report.acknowledged_by == clinician and report.acknowledged_at
    assert "Urgent side effects" not in client.get(reverse("diary:alerts")).content.decode()


def test_a_side_effect_in_the_future_is_refused(client, patient_user):
    client.force_login(patient_user)
    response = client.post(
        reverse("diary:side-effect-list"),
        {
            "effect": "rash",
            "severity": "mild",
            "onset_on": (today() + timedelta(days=2)).isoformat(),
        },
    )
    assert (
        response.status_code == 422 and "can&#x27;t be in the future" in response.content.decode()
    )
    assert not SideEffectReport.objects.exists()


def test_the_patient_cannot_see_another_patients_report_advice(client, patient_user, other_patient):
    report = SideEffectReport.objects.create(
        patient=other_patient,
        effect="double_vision",
        severity="mild",
        onset_on=today(),
        urgent=True,
    )
    client.force_login(patient_user)
    response = client.get(reverse("diary:side-effect-list"), {"report": report.pk})
    assert response.context["just_reported"] is None


@pytest.mark.parametrize("role", ["frontdesk", "admin", "patient"])
def test_only_clinical_staff_see_alerts(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("diary:alerts")).status_code == 403


def test_the_alerts_page_stays_a_few_queries(
    client, clinician, make_patient, django_assert_max_num_queries
):
    for n in range(12):
        SideEffectReport.objects.create(
            patient=make_patient(),
            effect="double_vision" if n % 2 else "neck_pain",
            severity="mild",
            onset_on=today(),
            urgent=bool(n % 2),
        )
    client.force_login(clinician)
    with django_assert_max_num_queries(20):  # constant: no query per report
        assert client.get(reverse("diary:alerts")).status_code == 200


def test_the_dashboard_tag_renders_the_urgent_alerts(patient, clinician):
    SideEffectReport.objects.create(
        patient=patient,
        effect="generalised_weakness",
        severity="severe",
        onset_on=today(),
        urgent=True,
    )
    request = RequestFactory().get("/outcomes/")
    request.user = clinician
    html = Template("{% load diary_alerts %}{% urgent_alerts %}").render(
        Context({"request": request})
    )
    assert "Generalised muscle weakness" in html and "Pat Owner" in html
