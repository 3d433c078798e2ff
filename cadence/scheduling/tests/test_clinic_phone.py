"""The clinic's phone number (issue 19): a setting, with a tap-to-call link wherever a
patient is told to call (the reminders' e-mail and text, and the footer of every page;
the urgent advice and the aftercare sheet are tested with the one wording in
cadence/treatments/tests/test_urgent_advice_everywhere.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from cadence.accounts.clinic import tel_href
from cadence.scheduling import sms
from cadence.scheduling.models import Appointment
from cadence.scheduling.tests.conftest import at, in_days

pytestmark = pytest.mark.django_db

PHONE = "+1 201 555 0188"


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@override_settings(CADENCE_CLINIC_PHONE=PHONE)
def test_an_appointment_reminder_gives_the_clinics_number(patient, clinician):
    patient.phone = "+1 202 555 0100"
    patient.save()
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="treatment_session",
        starts_at=at(in_days(2), 10),
        ends_at=at(in_days(2), 10, 15),
    )
    call_command("send_due_reminders")
    assert f"please call us on {PHONE}" in mail.outbox[0].body
    assert f"please call us on {PHONE}" in sms.outbox[0].body


@override_settings(CADENCE_CLINIC_PHONE=PHONE)
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_the_footer_has_a_tap_to_call_link(client, path):
    page = client.get(path, follow=True).content.decode()
    assert 'href="tel:+12015550188"' in page and PHONE in page


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("+1 201 555 0123", "tel:+12015550123"),
        ("(201) 555-0142", "tel:2015550142"),
        ("0161 496 0000", "tel:01614960000"),
        ("", ""),
    ],
)
def test_tel_links_keep_digits_and_a_leading_plus(number, href):
    assert tel_href(number) == href
