"""The staff diary page: a day entered on the patient's behalf."""

import pytest
from django.urls import reverse

from cadence.diary.models import DiaryDay
from cadence.diary.tests.conftest import day_form, today

pytestmark = pytest.mark.django_db


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
