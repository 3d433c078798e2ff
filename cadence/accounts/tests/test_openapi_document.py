"""The API's OpenAPI document."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Cadence API"
