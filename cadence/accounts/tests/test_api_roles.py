"""The API's role check."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_role_check_answers_403(api_for, frontdesk):
    """An authenticated user whose role may not use an operation gets 403, not data."""
    from cadence.accounts.api_auth import api_roles

    @api_roles("clinician")
    def clinical_only(request):
        return {"secret": True}

    from django.test import RequestFactory
    from ninja.errors import HttpError

    request = RequestFactory().get("/")
    request.auth = frontdesk
    with pytest.raises(HttpError) as raised:
        clinical_only(request)
    assert raised.value.status_code == 403
