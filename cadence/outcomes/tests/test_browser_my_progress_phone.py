"""My progress on a phone (390x844, issue 19): the booked treatment instead of a due date,
the wearing-off paragraph in plain words, no sideways scrolling, no serious or critical
axe violation; the questionnaire page's same-day question with its tick box."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import QuestionnaireResponse
from cadence.diary.tests.test_browser_diary_v11 import _serious_violations
from cadence.outcomes.tests.factories import build_story
from cadence.scheduling.models import Appointment, AppointmentKind
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_my_progress_shows_the_booked_treatment_and_wearing_off_kindly(
    phone_page, patient_user, patient, clinician
):
    today = timezone.localdate()
    build_story(patient, today, kind="wearing_off")
    booked_on = today + timedelta(days=5)
    starts = timezone.make_aware(datetime.combine(booked_on, time(9, 45)))
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind=AppointmentKind.TREATMENT_SESSION,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=15),
    )
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/outcomes/my-progress/")
    next_treatment = page.get_by_test_id("next-treatment")
    assert next_treatment.inner_text().startswith("Next treatment:")
    assert "09:45" in next_treatment.inner_text()
    words = page.get_by_test_id("wearing-off-words")
    assert words.is_visible() and "This is common" in words.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert _serious_violations(page) == []


def test_a_second_midas_today_asks_before_replacing(phone_page, patient_user, patient):
    page = phone_page
    browser_login(page, patient_user.username)

    def answer(days):
        page.goto("/diary/questionnaires/midas/")
        for index in range(5):
            page.locator(f"#id_item_{index}").fill(str(days))
        page.get_by_role("button", name="Save MIDAS").click()

    answer(1)
    page.wait_for_url("**/questionnaires/")
    answer(2)
    question = page.get_by_test_id("same-day-question")
    assert "You already answered MIDAS today (score 5). Replace it?" in question.inner_text()
    assert _serious_violations(page) == []
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    question.get_by_label("Yes, replace my earlier answer with this one").check()
    page.get_by_role("button", name="Save MIDAS").click()
    page.wait_for_url("**/questionnaires/")
    assert [r.score for r in QuestionnaireResponse.objects.filter(patient=patient)] == [10]
