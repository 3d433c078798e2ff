"""The outcomes patient list."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_patient_list_searches_by_name(clinician_client, make_patient):
    make_patient(first_name="Marisol", last_name="Abernathy")
    make_patient(first_name="Tomasz", last_name="Wexford")
    page = clinician_client.get(reverse("outcomes:patient-list"), {"q": "wexf"}).content.decode()
    assert "Wexford" in page and "Abernathy" not in page


def test_the_patient_list_paginates(clinician_client, make_patient, django_assert_max_num_queries):
    for n in range(30):
        make_patient(last_name=f"Zed{n:02d}")
    # + the audit view entry of a list of names (issue 21; the first creates the chain head)
    with django_assert_max_num_queries(15):
        first = clinician_client.get(reverse("outcomes:patient-list")).content.decode()
    second = clinician_client.get(reverse("outcomes:patient-list"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Zed29" in second


def test_the_patient_list_has_an_empty_state(clinician_client):
    assert (
        "No patient matches"
        in clinician_client.get(reverse("outcomes:patient-list"), {"q": "nobody"}).content.decode()
    )
