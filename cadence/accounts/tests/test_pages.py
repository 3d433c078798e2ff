import pytest
from django.db import connection

from cadence.accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz_really_queries_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_login_page_signs_in_and_audits(client, clinician):
    from cadence.audit.models import AuditEvent

    response = client.post("/login/", {"username": clinician.username, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=clinician).exists()


def test_login_with_a_wrong_password_shows_an_error(client, clinician):
    response = client.post("/login/", {"username": clinician.username, "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_logout_needs_post(client, clinician):
    client.force_login(clinician)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_send_anonymous_users_to_login(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_admin_page_is_403_for_other_roles(client, clinician, admin_user):
    client.force_login(clinician)
    assert client.get("/staff/users/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/staff/users/").status_code == 200


def test_patient_user_must_have_a_patient_record(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role="patient")


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


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Cadence API"
