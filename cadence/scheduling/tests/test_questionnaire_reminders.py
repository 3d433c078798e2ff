"""MIDAS and HIT-6 before each session: the reminder (through the reminder machinery) and
the worklists' questionnaire column."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cadence.diary.models import QuestionnaireResponse
from cadence.scheduling import reminders, sms
from cadence.scheduling.models import Reminder, ReminderChannel, ReminderKind, ReminderStatus
from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def answered(patient, instrument: str, days: int, score: int = 20):
    return QuestionnaireResponse.objects.create(
        patient=patient, instrument=instrument, completed_on=in_days(days), score=score
    )


def questionnaire_reminders():
    return Reminder.objects.filter(kind=ReminderKind.QUESTIONNAIRE)


def test_a_session_next_week_with_questionnaires_due_gets_a_reminder(
    patient, working_week, sign_session
):
    sign_session(patient, in_days(-80))
    answered(patient, "MIDAS", -85)  # before the last session: due again
    appointment(patient, working_week, in_days(5), 10)
    reminders.plan_due_reminders()
    reminder = questionnaire_reminders().get(channel=ReminderChannel.EMAIL)
    assert reminder.due_on == in_days(5 - 7)
    assert reminders.send_reminder(reminder.pk) == ReminderStatus.SENT
    assert "MIDAS and HIT-6" in mail.outbox[0].body
    reminders.plan_due_reminders()  # idempotent
    assert questionnaire_reminders().filter(channel=ReminderChannel.EMAIL).count() == 1


def test_no_reminder_when_both_were_filled_in_since_the_last_session(
    patient, working_week, sign_session
):
    sign_session(patient, in_days(-80))
    answered(patient, "MIDAS", -3)
    answered(patient, "HIT-6", -3, score=60)
    appointment(patient, working_week, in_days(5), 10)
    reminders.plan_due_reminders()
    assert not questionnaire_reminders().exists()


def test_no_reminder_for_a_session_more_than_a_week_away(patient, working_week, sign_session):
    sign_session(patient, in_days(-70))
    appointment(patient, working_week, in_days(14), 10)
    reminders.plan_due_reminders()
    assert not questionnaire_reminders().exists()


def test_a_reminder_is_skipped_when_the_patient_fills_them_in_before_it_goes(
    patient, working_week, sign_session
):
    sign_session(patient, in_days(-80))
    appointment(patient, working_week, in_days(3), 10)
    reminders.plan_due_reminders()
    reminder = questionnaire_reminders().get(channel=ReminderChannel.EMAIL)
    answered(patient, "MIDAS", 0)
    answered(patient, "HIT-6", 0, score=60)
    assert reminders.send_reminder(reminder.pk) == ReminderStatus.SKIPPED
    assert not mail.outbox


def test_the_worklists_show_which_questionnaires_are_due(
    frontdesk, make_patient, working_week, sign_session
):
    due = make_patient(last_name="Needsboth")
    done = make_patient(last_name="Hasmidas")
    for p in (due, done):
        sign_session(p, in_days(-86))  # overdue: on the worklist
    answered(done, "MIDAS", -2)
    html = signed_in(frontdesk).get(reverse("scheduling:worklists")).content.decode()
    assert 'data-questionnaires-due="MIDAS,HIT-6"' in html
    assert 'data-questionnaires-due="HIT-6"' in html
    assert "MIDAS and HIT-6 due" in html


def test_no_reminder_before_a_first_session(patient, working_week):
    appointment(patient, working_week, in_days(5), 10)
    reminders.plan_due_reminders()
    assert not questionnaire_reminders().exists()
