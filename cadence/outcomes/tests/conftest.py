"""Fixtures shared by the outcomes page tests."""

import pytest


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client
