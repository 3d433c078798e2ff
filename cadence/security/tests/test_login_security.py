"""Sign-in protections: lockout after repeated failures, rate limits, idle sessions,
Argon2 passwords."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from cadence.audit.models import AuditEvent
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_window(monkeypatch):
    """Every hit of the test in one rate-limit window (no flake at a minute boundary)."""
    from types import SimpleNamespace

    from cadence.security import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_from_that_address(client, clinician, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, clinician.username, "wrong-password").status_code == 200
    locked = attempt(client, clinician.username, "wrong-password")
    assert locked.status_code == 429
    assert b"temporarily locked" in locked.content
    # Even the right password is refused while locked...
    assert attempt(client, clinician.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same username from another address, and other users, are not locked out.
    assert attempt(client, clinician.username, PASSWORD, ip="192.0.2.99").status_code == 302


def test_the_lockout_lasts_fifteen_minutes(settings):
    from datetime import timedelta

    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_failed_sign_ins_are_audited_without_the_password(client, clinician):
    attempt(client, clinician.username, "secret-guess-1")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.details == {"username": clinician.username}
    assert event.ip_address == "192.0.2.10"
    assert "secret-guess-1" not in str(event.details) + event.summary


def test_sign_in_attempts_are_rate_limited_per_address(client, clinician, settings, one_window):
    from django.core.cache import caches

    cache = caches["ratelimit"]
    cache.clear()
    settings.CADENCE_LOGIN_RATE_PER_MINUTE = 3
    for _ in range(3):
        attempt(client, "nobody", "x", ip="192.0.2.50")
    response = attempt(client, clinician.username, PASSWORD, ip="192.0.2.50")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_sessions_end_after_fifteen_idle_minutes(client, clinician, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(clinician)
    client.get("/home/")
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 14 * 60 < remaining <= 15 * 60  # each request renews the idle timer
    # Fifteen idle minutes later the session is gone: back to the login page.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_activity_keeps_a_session_alive(client, clinician):
    client.force_login(clinician)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=1)
    )
    client.get("/home/")
    renewed = Session.objects.get(pk=key).expire_date
    assert (renewed - timezone.now()).total_seconds() > 14 * 60


def test_passwords_are_hashed_with_argon2_and_validated():
    import config.settings as project_settings  # the live settings use a fast hasher in tests

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    validators = {v["NAME"].rsplit(".", 1)[-1] for v in project_settings.AUTH_PASSWORD_VALIDATORS}
    assert {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "UserAttributeSimilarityValidator",
    } <= validators


def test_the_rate_limit_counts_in_a_cache_every_worker_shares(settings, monkeypatch, one_window):
    """Issue 21, finding 7: two workers (two separate cache clients, as two gunicorn
    processes build) count against one limit, because the counters live in the database
    (or the shared cache CADENCE_CACHE_URL names), not in each process's memory."""
    from django.core.cache import CacheHandler
    from django.core.cache.backends.db import DatabaseCache

    from cadence.security import ratelimit

    worker_a, worker_b = CacheHandler(), CacheHandler()
    assert isinstance(worker_a["ratelimit"], DatabaseCache)
    assert worker_a["ratelimit"] is not worker_b["ratelimit"]
    allowed = 0
    for n in range(10):
        monkeypatch.setattr(ratelimit, "caches", worker_a if n % 2 else worker_b)
        allowed += ratelimit.rate_allow("login:192.0.2.77", limit=4, window_seconds=60)
    assert allowed == 4


def test_the_rate_limit_cache_is_shared_by_default_and_settable(settings):
    from cadence.security.tests.helpers import settings_in_subprocess

    assert "DatabaseCache" in settings.CACHES["ratelimit"]["BACKEND"]
    shared = settings_in_subprocess("CACHES", env={"CADENCE_CACHE_URL": "redis://cache:6379/1"})
    assert "RedisCache" in shared and "redis://cache:6379/1" in shared


def test_one_username_is_rate_limited_across_addresses(client, clinician, settings, one_window):
    from django.core.cache import caches

    caches["ratelimit"].clear()
    settings.CADENCE_LOGIN_RATE_PER_USERNAME = 3
    for n in range(3):
        attempt(client, clinician.username, "wrong", ip=f"198.51.100.{n + 1}")
    response = attempt(client, clinician.username.upper(), PASSWORD, ip="198.51.100.200")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user from a fresh address is not affected.
    assert attempt(client, "someone-else", "x", ip="198.51.100.201").status_code == 200
