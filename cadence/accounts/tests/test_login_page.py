"""The login page."""

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_signs_in_and_audits(client, clinician):
    from cadence.audit.models import AuditEvent

    response = client.post("/login/", {"username": clinician.username, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=clinician).exists()


def test_login_with_a_wrong_password_shows_an_error(client, clinician):
    response = client.post("/login/", {"username": clinician.username, "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content
