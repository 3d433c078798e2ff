"""The vial stock page."""

from datetime import timedelta

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_vial_stock_page_receives_vials(client, nurse, today):
    login(client, nurse)
    response = client.post(
        "/treatments/vials/",
        {
            "lot": "NEW1",
            "expires_on": (today + timedelta(days=60)).isoformat(),
            "size_units": "200",
            "quantity": "4",
        },
    )
    assert response.status_code == 302
    assert b"NEW1" in client.get("/treatments/vials/").content
