"""iCalendar (RFC 5545) documents: a clinician's private feed, a patient's next appointment.

The clinician feed leaves the clinic (it is fetched by calendar apps), so it carries as
little patient data as it can: the appointment type and the patient's initials and record
number, never names, notes or reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from cadence.accounts.clinic import clinic_phone
from cadence.scheduling.models import Appointment, AppointmentStatus

PRODID = "-//Cadence//Scheduling//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def calendar_domain() -> str:
    """The domain that qualifies UIDs (RFC 5545 3.8.4.7): ``CADENCE_CALENDAR_DOMAIN``,
    else the host of ``CADENCE_FHIR_BASE`` (the deployment's public address)."""
    domain = getattr(settings, "CADENCE_CALENDAR_DOMAIN", "") or ""
    if not domain:
        domain = urlsplit(getattr(settings, "CADENCE_FHIR_BASE", "") or "").hostname or ""
    return domain or "cadence.invalid"


def event_uid(appointment: Appointment) -> str:
    """Globally unique and stable for the appointment's whole life."""
    return f"appointment-{appointment.pk}@{calendar_domain()}"


def _event(appointment: Appointment, summary: str, description: str = "") -> Event:
    event = Event()
    revised = appointment.updated_at or appointment.created_at or timezone.now()
    event.add("uid", event_uid(appointment))
    # DTSTAMP is the appointment's last revision, so that two fetches of an unchanged
    # appointment are byte-identical; SEQUENCE counts the moves (and a cancellation).
    event.add("dtstamp", revised)
    event.add("last-modified", revised)
    event.add("created", appointment.created_at or revised)
    event.add("sequence", int(getattr(appointment, "sequence", 0) or 0))
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("location", settings.CLINIC_NAME)
    if description:
        event.add("description", description)
    event.add(
        "status", "CANCELLED" if appointment.status == AppointmentStatus.CANCELLED else "CONFIRMED"
    )
    return event


def clinician_feed(appointments: Iterable[Appointment], *, clinician_name: str) -> bytes:
    calendar = _calendar(f"Cadence: {clinician_name}")
    for appointment in appointments:
        patient = appointment.patient
        initials = f"{patient.first_name[:1]}.{patient.last_name[:1]}."
        calendar.add_component(
            _event(appointment, f"{appointment.get_kind_display()} · {initials} (#{patient.pk})")
        )
    return calendar.to_ical()


def patient_appointment(appointment: Appointment) -> bytes:
    calendar = _calendar(settings.CLINIC_NAME)
    clinician = appointment.clinician.get_full_name() or appointment.clinician.username
    calendar.add_component(
        _event(
            appointment,
            f"{appointment.get_kind_display()} at {settings.CLINIC_NAME}",
            f"With {clinician}. If you cannot come, please call the clinic"
            + (f" on {clinic_phone()}." if clinic_phone() else "."),
        )
    )
    return calendar.to_ical()
