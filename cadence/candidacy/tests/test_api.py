"""The candidacy API: who may ask, and the contract's shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["frontdesk", "admin", "patient"])
def test_only_clinical_staff_may_ask_about_candidacy(api_for, users_by_role, patient, role):
    client = api_for(users_by_role[role])
    assert client.get(f"/patients/{patient.pk}/candidacy").status_code == 403


def test_candidacy_has_the_contract_shape(api_for, clinician, make_patient):
    young = make_patient(date_of_birth=timezone.localdate() - timedelta(days=16 * 365))
    body = api_for(clinician).get(f"/patients/{young.pk}/candidacy").json()
    assert body["eligible"] is False
    assert [c["code"] for c in body["criteria"]] == [
        "chronic_migraine",
        "neurologist_diagnosis",
        "preventive_failures",
        "no_contraindication",
        "adult",
    ]
    assert {k: body["criteria"][4][k] for k in ("code", "met")} == {"code": "adult", "met": False}
    assert body["flags"][0]["code"] == "off_label_age"
    assert body["alternatives"] and {"code", "label", "detail"} <= set(body["alternatives"][0])
