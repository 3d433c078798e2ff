"""The home page (and any page) for anonymous users."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_send_anonymous_users_to_login(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
