"""Sessions end after 15 idle minutes and, however active, 12 hours after sign-in
(issue 21, OWASP ASVS L2 3.3)."""

import time

import pytest
from django.conf import settings as django_settings

from cadence.accounts.sessions import SIGNED_IN_AT
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def age_session(client, seconds: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = session[SIGNED_IN_AT] - seconds
    session.save()


def test_the_defaults_are_15_idle_minutes_and_12_hours():
    assert django_settings.SESSION_COOKIE_AGE == 15 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.CADENCE_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_sign_in_records_the_time(client, nurse):
    sign_in(client, nurse)
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 60


def test_an_active_session_still_ends_12_hours_after_sign_in(client, nurse):
    sign_in(client, nurse)
    age_session(client, 11 * 60 * 60)
    assert client.get("/account/").status_code == 200
    age_session(client, 60 * 60 + 1)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    # Signing in again starts a new 12 hours.
    sign_in(client, nurse)
    assert client.get("/account/").status_code == 200


def test_the_api_answers_401_for_an_ended_session(client, nurse):
    sign_in(client, nurse)
    assert client.get("/api/v1/me").status_code == 200
    age_session(client, 12 * 60 * 60 + 1)
    assert client.get("/api/v1/me").status_code == 401


def test_the_lifetime_is_a_setting(client, nurse, settings):
    settings.CADENCE_SESSION_ABSOLUTE_SECONDS = 60
    sign_in(client, nurse)
    age_session(client, 61)
    assert client.get("/account/").status_code == 302
