"""The diagnosis form speaks the clinic's words (issue 19): "confirmed by a neurologist"
is never pre-ticked, and the code list has no "---------" choice."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_diagnosis_form_starts_unticked_and_without_dashes(client, clinician, patient):
    client.force_login(clinician)
    page = client.get(
        reverse("patients:diagnosis-create", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "---------" not in page
    assert "Choose the diagnosis code" in page
    checkbox = page.split('name="confirmed_by_neurologist"')[0].rsplit("<input", 1)[1]
    checkbox += page.split('name="confirmed_by_neurologist"')[1].split(">", 1)[0]
    assert "checked" not in checkbox
