"""API schemas of the scheduling app."""

import datetime as dt

from ninja import Schema
from pydantic import Field


class TreatmentScheduleOut(Schema):
    last_session: dt.date | None
    next_due: dt.date | None = Field(description="Last session + 84 days.")
    earliest: dt.date | None = Field(
        description="Last session + the payer profile's minimum interval (84 days by default)."
    )
    sessions_in_course: int = Field(description="Sessions so far in the current course.")
    review_due: dt.date | None = Field(
        description="24 weeks after the current course's first session."
    )
    window_start: dt.date | None = Field(description="Start of the due window (day 84).")
    window_end: dt.date | None = Field(description="End of the due window (day 98).")
    status: str = Field(description="not_started, upcoming, due, overdue or lapsed.")
    course_first_session: dt.date | None
    next_appointment: "AppointmentOut | None" = None


class AppointmentIn(Schema):
    patient: int = Field(description="Patient id.")
    clinician: int = Field(description="User id of the clinician.")
    kind: str = Field(description="consultation, treatment_session or follow_up.")
    starts_at: dt.datetime = Field(description="ISO 8601; without an offset, clinic local time.")
    duration_minutes: int | None = Field(
        None, description="Defaults by kind: consultation 45, treatment session 15, follow-up 20."
    )
    override_reason: str = Field(
        "",
        description="Clinicians only: why a treatment session is booked before the earliest date.",
    )
    notes: str = ""


class AppointmentMoveIn(Schema):
    starts_at: dt.datetime
    override_reason: str = ""


class AppointmentCancelIn(Schema):
    reason: str = ""


class AppointmentOut(Schema):
    id: int
    patient: int
    patient_name: str
    clinician: int
    clinician_name: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    status: str
    override_reason: str
    notes: str


class ReminderPreferenceIn(Schema):
    email_enabled: bool
    sms_enabled: bool


class ReminderPreferenceOut(Schema):
    email_enabled: bool
    sms_enabled: bool


TreatmentScheduleOut.model_rebuild()
