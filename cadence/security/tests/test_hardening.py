"""Hardening: production mode, Content-Security-Policy, no patient data in error pages
or logs, upload checks."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from cadence.security.tests.helpers import clean_env, manage, production_env
from cadence.security.uploads import EMPTY, TOO_LARGE, UNSUPPORTED_TYPE, check_upload


# ------------------------------------------------------------------ production mode
def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    ["", "short", "django-insecure-" + "x" * 60, "a" * 64],
    ids=["missing", "short", "insecure-prefix", "one-character"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    result = manage("check", env=production_env(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage("check", env=production_env(tmp_path, ALLOWED_HOSTS=""))
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_production_ignores_debug_from_the_environment(tmp_path):
    env = production_env(tmp_path, DEBUG="1")
    code = "from config import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    import subprocess

    from cadence.security.tests.helpers import BASE_DIR, PYTHON

    result = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["False", "True", "True"], result.stderr


def test_development_mode_needs_no_configuration(tmp_path):
    result = manage("check", env=clean_env(CADENCE_VAR_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ CSP and headers
@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_base_page_has_no_inline_script_or_style(client, clinician):
    import re

    assert '"includeIndicatorStyles":false' in client.get("/login/").content.decode()
    client.force_login(clinician)
    for url in ("/login/", "/staff/users/", "/audit/"):
        body = client.get(url).content.decode()
        assert not re.search(
            r"<script(?![^>]*\bsrc=)[^>]*>", body.replace('type="application/json"', "src=x")
        )
        assert " style=" not in body and "<style" not in body
        assert not re.search(r"\son[a-z]+=", body)


# ------------------------------------------------------------------ error pages and logs
PATIENT_SECRET = "Olive Outsider, born 1961-03-14, olive@example.invalid"


def _boom(request):
    raise RuntimeError(f"could not render {PATIENT_SECRET}")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("ok/", _ok)]


@pytest.mark.urls("cadence.security.tests.test_hardening")
@pytest.mark.django_db
def test_a_500_page_shows_no_patient_data(settings, caplog):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/?q=Outsider")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Olive" not in body and "Outsider" not in body and "1961" not in body
    assert "Something went wrong" in body


def test_the_logging_filter_scrubs_patient_data():
    from cadence.security.logging import ScrubPatientData

    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s (%s) %s",
        (
            "/patients/?q=Outsider",
            "olive@example.invalid",
            "Key (email)=(olive@example.invalid) DOB 1961-03-14 tel +1 202 555 0143",
        ),
        None,
    )
    ScrubPatientData().filter(record)
    text = record.getMessage()
    for secret in ("Outsider", "olive@", "1961-03-14", "555 0143"):
        assert secret not in text
    assert "/patients/?[redacted]" in text


def test_the_logging_filter_scrubs_tracebacks():
    from cadence.security.logging import ScrubPatientData

    try:
        raise ValueError("duplicate olive@example.invalid")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    ScrubPatientData().filter(record)
    assert "olive@" not in record.exc_text
    assert "ValueError" in record.exc_text


def test_the_project_logging_uses_the_scrubber():
    import config.settings as project_settings

    assert project_settings.LOGGING["handlers"]["console"]["filters"] == ["scrub"]
    assert project_settings.LOGGING["loggers"]["django.db.backends"]["level"] == "WARNING"


# ------------------------------------------------------------------ uploads
@pytest.mark.parametrize(
    "size, content_type",
    [(1024, "application/fhir+json"), (1024, "application/json; charset=utf-8"), (10, "text/csv")],
)
def test_check_upload_accepts_small_files_of_known_types(size, content_type):
    check_upload(size, content_type)


@pytest.mark.parametrize(
    "size, content_type, message, code",
    [
        (0, "application/json", "empty", EMPTY),
        (None, "application/json", "empty", EMPTY),
        (5 * 1024 * 1024 + 1, "application/json", "too large", TOO_LARGE),
        (100, "application/x-msdownload", "cannot be imported", UNSUPPORTED_TYPE),
        (100, None, "cannot be imported", UNSUPPORTED_TYPE),
        (100, "text/html", "cannot be imported", UNSUPPORTED_TYPE),
    ],
)
def test_check_upload_refuses_empty_large_or_unknown_files(size, content_type, message, code):
    with pytest.raises(ValidationError, match=message) as caught:
        check_upload(size, content_type)
    assert caught.value.code == code


def test_request_bodies_are_size_limited():
    import config.settings as project_settings

    assert project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert project_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
