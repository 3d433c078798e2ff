"""Phone numbers shown formatted for reading."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.accounts.clinic import format_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2015550123", "(201) 555-0123"),
        ("+1 201-555-0123", "(201) 555-0123"),
        ("+44 20 7946 0018", "+44 20 7946 0018"),
        ("+442079460018", "+44 20 7946 0018"),
        ("call reception", "call reception"),
        ("", ""),
    ],
)
def test_format_phone(written, shown):
    assert format_phone(written) == shown


def test_the_record_and_the_list_show_the_number_formatted(client, frontdesk, make_patient):
    patient = make_patient(phone="2015550199")
    client.force_login(frontdesk)
    record = client.get(reverse("patients:patient-record", kwargs={"patient_id": patient.pk}))
    assert "(201) 555-0199" in record.content.decode()
    listing = client.get(reverse("patients:patient-list"))
    assert "(201) 555-0199" in listing.content.decode()
