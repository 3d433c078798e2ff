"""The patient search page and its place in the navigation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_front_desk_searches_patients_in_few_queries(
    client, frontdesk, make_patient, django_assert_max_num_queries
):
    for index in range(30):
        make_patient(last_name=f"Smith{index:02d}")
    make_patient(last_name="Jones")
    client.force_login(frontdesk)
    # + the audit view entry of a list of names (issue 21; the first creates the chain head)
    with django_assert_max_num_queries(15):
        response = client.get("/patients/", {"q": "smith"})
    page = response.content.decode()
    assert "Page 1 of 2" in page and "Jones" not in page


def test_the_patients_nav_is_for_front_desk_and_admin_only(client, frontdesk, clinician):
    client.force_login(frontdesk)
    assert 'data-nav="patients:patient-list"' in client.get("/staff/requests/").content.decode()
    client.force_login(clinician)
    assert 'data-nav="patients:patient-list"' not in client.get("/staff/requests/").content.decode()
