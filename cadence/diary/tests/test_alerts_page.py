"""The Alerts page."""

import pytest
from django.urls import reverse

from cadence.diary.models import SideEffectReport
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["frontdesk", "admin", "patient"])
def test_only_clinical_staff_see_alerts(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("diary:alerts")).status_code == 403


def test_the_alerts_page_stays_a_few_queries(
    client, clinician, make_patient, django_assert_max_num_queries
):
    for n in range(12):
        SideEffectReport.objects.create(
            patient=make_patient(),
            effect="double_vision" if n % 2 else "neck_pain",
            severity="mild",
            onset_on=today(),
            urgent=bool(n % 2),
        )
    client.force_login(clinician)
    with django_assert_max_num_queries(20):  # constant: no query per report
        assert client.get(reverse("diary:alerts")).status_code == 200
