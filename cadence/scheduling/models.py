"""Scheduling: appointments, clinicians' working hours, calendar feeds and reminders.

No double-booking is guaranteed by the database itself: a clinician cannot hold two
overlapping *active* (not cancelled) appointments, and neither can a patient (a patient
can't be in two rooms at once). On PostgreSQL exclusion constraints (btree_gist) refuse the
overlap, on SQLite triggers do (see migrations 0002 and 0003). The
booking service also serialises bookings per clinician (a lock on the clinician's
`ClinicianCalendar` row) and checks first, so that users get a clear answer.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppointmentKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    TREATMENT_SESSION = "treatment_session", "Treatment session"
    FOLLOW_UP = "follow_up", "Follow-up / review"


#: Default length of each kind of appointment, in minutes. The treatment session's 15
#: minutes comes from the issue; consultation (45) and follow-up (20) are Cadence
#: defaults (scheduling practice, not clinical numbers). A booking may give its own length.
DEFAULT_DURATION_MINUTES: dict[str, int] = {
    AppointmentKind.CONSULTATION: 45,
    AppointmentKind.TREATMENT_SESSION: 15,
    AppointmentKind.FOLLOW_UP: 20,
}


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"
    CANCELLED = "cancelled", "Cancelled"


#: Statuses that hold the clinician's time (everything except cancelled).
ACTIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


#: The working week a new clinician starts with, as (weekday, from, to) in clinic time:
#: Monday to Friday 09:00-17:00 (issue 19; a Cadence default, not a clinical number).
#: A deployment may give its own in the setting CADENCE_DEFAULT_WORKING_HOURS (same
#: shape, times as "HH:MM"); an empty list gives new clinicians no hours.
DEFAULT_WORKING_HOURS: tuple[tuple[int, str, str], ...] = tuple(
    (weekday, "09:00", "17:00") for weekday in range(5)
)


class WorkingHours(models.Model):
    """One block of a clinician's working week, in the clinic's time zone (a clinician may
    have several blocks a day, e.g. morning and afternoon)."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["clinician_id", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                name="working_hours_ends_after_start",
                condition=models.Q(ends__gt=models.F("starts")),
            ),
            models.CheckConstraint(
                name="working_hours_weekday_0_6", condition=models.Q(weekday__gte=0, weekday__lte=6)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


def hash_feed_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ClinicianCalendar(models.Model):
    """One row per clinician: the lock that serialises bookings for that clinician, and
    the secret token of their private iCalendar feed (only its hash is stored)."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar"
    )
    feed_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    feed_token_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar of {self.clinician}"

    @property
    def has_feed(self) -> bool:
        return bool(self.feed_token_hash)

    def new_feed_token(self) -> str:
        raw = "cal_" + secrets.token_urlsafe(32)
        self.feed_token_hash = hash_feed_token(raw)
        self.feed_token_created_at = timezone.now()
        return raw


class Appointment(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    notes = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True,
        help_text="Why a treatment session was booked before the earliest date "
        "(documented by a clinician, e.g. wearing-off).",
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    #: iCalendar SEQUENCE (RFC 5545 3.8.7.4): revisions sent to calendars, incremented
    #: each time the appointment is moved or cancelled.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["clinician", "starts_at"]),
            models.Index(fields=["patient", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="appointment_ends_after_start",
                condition=models.Q(ends_at__gt=models.F("starts_at")),
            ),
            models.CheckConstraint(
                name="appointment_status_valid",
                condition=models.Q(status__in=[s.value for s in AppointmentStatus]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class TreatmentRhythm(models.Model):
    """Where a patient stands in the 12-week rhythm, kept from their signed sessions
    (``cadence.scheduling.rhythm`` keeps it: on every save of a session, and in bulk after
    bulk loads), so that the worklists find the patients due, overdue, lost to follow-up
    or with a course review due by an index on dates, not by reading every patient's
    sessions. The exact schedule is still decided by ``cadence.rules.schedule`` from the
    sessions themselves: these columns only choose whom to look at."""

    patient = models.OneToOneField(
        "patients.Patient",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="treatment_rhythm",
    )
    first_session_on = models.DateField()
    last_session_on = models.DateField(db_index=True)
    course_first_session_on = models.DateField(db_index=True)
    sessions_in_course = models.PositiveSmallIntegerField()
    #: The (local) day of the patient's latest follow-up appointment that holds time
    #: (booked, attended or no-show), any course: the course is reviewed when it is on or
    #: after the course's first session.
    last_follow_up_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The courses whose review is outstanding, by course start: the review
            # worklist reads only these, however many patients had their review.
            models.Index(
                fields=["course_first_session_on"],
                condition=models.Q(last_follow_up_on__isnull=True)
                | models.Q(last_follow_up_on__lt=models.F("course_first_session_on")),
                name="rhythm_review_outstanding",
            )
        ]

    def __str__(self) -> str:
        return f"Treatment rhythm of patient {self.patient_id}"


class ReminderPreference(models.Model):
    """A patient's choice of reminder channels (both on until the patient opts out)."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email_enabled = models.BooleanField(default=True, help_text="Send reminders by email.")
    sms_enabled = models.BooleanField(default=True, help_text="Send reminders by text message.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Reminder channels of patient {self.patient_id}"


class ReminderKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment reminder"
    BOOK_NEXT = "book_next", "Time to book your next session"
    DIARY_GAP = "diary_gap", "Diary nudge"
    QUESTIONNAIRE = "questionnaire", "Questionnaires before your session"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # created, waiting for a worker
    CLAIMED = "claimed", "Claimed"  # a worker owns it; nothing sent yet
    SENDING = "sending", "Sending"  # the worker is handing it to the email/SMS backend
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"  # opted out or no address by the time it was due
    FAILED = "failed", "Failed"  # the backend refused it too many times
    UNCONFIRMED = "unconfirmed", "Unconfirmed"  # the worker died during the hand-over


class Reminder(models.Model):
    """One message to one patient on one channel. `key` (kind, channel, patient,
    appointment, due date) is unique, so the same reminder is never created twice; the
    status moves pending -> claimed -> sending -> sent with conditional updates (see
    `cadence.scheduling.reminders`)."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    channel = models.CharField(max_length=8, choices=ReminderChannel.choices)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminders"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def make_key(
        *, kind: str, channel: str, patient_id: int, appointment_id: int | None, due_on
    ) -> str:
        return f"{kind}:{channel}:p{patient_id}:a{appointment_id or '-'}:{due_on.isoformat()}"


class OnCallAlertRound(models.TextChoices):
    FIRST = "first", "First alert"
    ESCALATION = "escalation", "Sent again: not acknowledged"


class OnCallAlert(models.Model):
    """One message about one urgent side-effect report to one on-call e-mail address or
    phone number (clinic-reference.md section 7: the clinic is alerted through a channel
    that reaches a person). (report, round, channel, to) is unique, so a message is never
    created twice; the status moves pending -> sending -> sent with conditional updates
    (see `cadence.scheduling.alerts`). The message names no patient: the record number and
    a link."""

    report = models.ForeignKey(
        "diary.SideEffectReport", on_delete=models.CASCADE, related_name="on_call_alerts"
    )
    round = models.CharField(max_length=12, choices=OnCallAlertRound.choices)
    channel = models.CharField(max_length=8, choices=ReminderChannel.choices)
    to = models.CharField(max_length=254)
    status = models.CharField(
        max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "round", "channel", "to"], name="one_on_call_alert_per_send"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.round} {self.channel} alert for report {self.report_id} to {self.to}"
