"""Signing out."""

import pytest

pytestmark = pytest.mark.django_db


def test_logout_needs_post(client, clinician):
    client.force_login(clinician)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
