from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cadence.scheduling import reminders, sms, tasks
from cadence.scheduling.models import (
    Appointment,
    Reminder,
    ReminderChannel,
    ReminderKind,
    ReminderPreference,
    ReminderStatus,
)
from cadence.scheduling.tests.conftest import at, in_days

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the worker process dying (not an error the code could handle)."""


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def appointment_in_two_days(patient, clinician):
    patient.phone = "+1 202 555 0100"
    patient.save()
    return Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="treatment_session",
        starts_at=at(in_days(2), 10),
        ends_at=at(in_days(2), 10, 15),
    )


def _email_reminder(appointment) -> Reminder:
    reminders.plan_due_reminders()
    return Reminder.objects.get(appointment=appointment, channel=ReminderChannel.EMAIL)


def test_the_command_sends_an_appointment_reminder_by_email_and_sms(
    appointment_in_two_days, patient
):
    call_command("send_due_reminders")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [patient.email]
    assert "treatment session" in mail.outbox[0].body
    assert [m.to for m in sms.outbox] == [patient.phone]
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_running_the_command_again_sends_nothing_more(appointment_in_two_days):
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    assert len(mail.outbox) == 1
    assert len(sms.outbox) == 1


def test_a_reminder_is_sent_exactly_once_across_a_worker_killed_after_its_claim(
    appointment_in_two_days, monkeypatch
):
    reminder = _email_reminder(appointment_in_two_days)

    def killed(reminder_id):
        raise WorkerKilled

    monkeypatch.setattr(reminders, "_after_claim", killed)
    with pytest.raises(WorkerKilled):
        reminders.send_reminder(reminder.pk)
    assert len(mail.outbox) == 0
    monkeypatch.setattr(reminders, "_after_claim", lambda reminder_id: None)
    # Restarted worker within the lease: the claim still belongs to the dead worker.
    assert reminders.send_reminder(reminder.pk) == "not claimed"
    # After the lease, the claim is taken over and the reminder goes out, once.
    later = timezone.now() + reminders.CLAIM_LEASE + timedelta(minutes=1)
    assert reminders.send_reminder(reminder.pk, now=later) == "sent"
    assert reminders.send_reminder(reminder.pk, now=later) == "not claimed"
    assert len(mail.outbox) == 1


def test_a_worker_killed_during_the_hand_over_is_never_resent(appointment_in_two_days, monkeypatch):
    reminder = _email_reminder(appointment_in_two_days)

    def killed(reminder_id):
        raise WorkerKilled

    monkeypatch.setattr(reminders, "_after_send", killed)
    with pytest.raises(WorkerKilled):
        reminders.send_reminder(reminder.pk)
    monkeypatch.setattr(reminders, "_after_send", lambda reminder_id: None)
    later = timezone.now() + reminders.CLAIM_LEASE + timedelta(minutes=1)
    tasks.enqueue_due_reminders(now=later)
    assert reminders.send_reminder(reminder.pk, now=later) == "not claimed"
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.UNCONFIRMED


def test_a_failing_backend_leaves_the_reminder_for_a_retry(appointment_in_two_days, monkeypatch):
    reminder = _email_reminder(appointment_in_two_days)

    def refuse(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    assert reminders.send_reminder(reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING
    assert "SMTP down" in reminder.last_error
    monkeypatch.undo()
    assert reminders.send_reminder(reminder.pk) == "sent"
    assert len(mail.outbox) == 1


def test_concurrent_tasks_for_one_reminder_send_once(appointment_in_two_days):
    reminder = _email_reminder(appointment_in_two_days)
    results = [reminders.send_reminder(reminder.pk) for _ in range(3)]
    assert results.count("sent") == 1
    assert len(mail.outbox) == 1


def test_an_opted_out_channel_gets_nothing(appointment_in_two_days, patient):
    ReminderPreference.objects.create(patient=patient, email_enabled=False, sms_enabled=True)
    call_command("send_due_reminders")
    assert len(mail.outbox) == 0
    assert len(sms.outbox) == 1


def test_opting_out_after_planning_skips_the_reminder(appointment_in_two_days, patient):
    reminder = _email_reminder(appointment_in_two_days)
    ReminderPreference.objects.create(patient=patient, email_enabled=False)
    assert reminders.send_reminder(reminder.pk) == "skipped"
    assert len(mail.outbox) == 0


def test_a_cancelled_appointment_is_not_reminded(appointment_in_two_days):
    reminder = _email_reminder(appointment_in_two_days)
    Appointment.objects.filter(pk=appointment_in_two_days.pk).update(status="cancelled")
    assert reminders.send_reminder(reminder.pk) == "skipped"
    assert len(mail.outbox) == 0


def test_no_appointment_reminder_three_days_ahead(patient, clinician):
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="consultation",
        starts_at=at(in_days(3), 10),
        ends_at=at(in_days(3), 11),
    )
    call_command("send_due_reminders")
    assert len(mail.outbox) == 0


def test_it_reminds_to_book_70_days_after_a_session(patient, sign_session):
    sign_session(patient, in_days(-70))
    call_command("send_due_reminders")
    assert [m.subject for m in mail.outbox] == ["Time to book your next treatment session"]
    assert Reminder.objects.get().kind == ReminderKind.BOOK_NEXT


def test_no_booking_reminder_when_a_session_is_booked(patient, clinician, sign_session):
    sign_session(patient, in_days(-70))
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="treatment_session",
        starts_at=at(in_days(14), 10),
        ends_at=at(in_days(14), 10, 15),
    )
    call_command("send_due_reminders")
    assert len(mail.outbox) == 0


def test_no_booking_reminder_before_day_70(patient, sign_session):
    sign_session(patient, in_days(-69))
    call_command("send_due_reminders")
    assert len(mail.outbox) == 0


@pytest.mark.parametrize(
    ("days_since_entry", "nudged"), [(2, False), (3, True), (5, True), (20, False)]
)
def test_it_nudges_after_three_days_without_a_diary_entry(patient, days_since_entry, nudged):
    from cadence.diary.models import DiaryDay

    DiaryDay.objects.create(patient=patient, date=in_days(-days_since_entry))
    call_command("send_due_reminders")
    assert (len(mail.outbox) == 1) is nudged
