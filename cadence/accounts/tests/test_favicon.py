"""`/favicon.ico` answers with the clinic's icon (issue 19: no 404 in every log)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_points_at_the_clinics_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/img/favicon.svg")
    assert finders.find("img/favicon.svg")


def test_pages_name_the_icon(client):
    assert b'rel="icon" href="/static/img/favicon.svg"' in client.get("/login/").content
