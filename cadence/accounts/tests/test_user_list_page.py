"""The staff user list (admin only)."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_page_is_403_for_other_roles(client, clinician, admin_user):
    client.force_login(clinician)
    assert client.get("/staff/users/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/staff/users/").status_code == 200
