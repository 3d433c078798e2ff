"""Passwords (issue 21, OWASP ASVS L2): change knowing the old one, reset by an e-mailed
link, and a guessable-password check stronger than Django's default list."""

import re

import pytest
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from cadence.accounts.passwords import GuessablePasswordValidator
from cadence.audit.models import AuditEvent
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "violet river anchor plume"
#: 11 characters, not numeric, not on Django's 20,000-word list: Django alone lets it in.
GUESSABLE = "Summer2024!"


# ------------------------------------------------------------------ strength
def test_django_defaults_alone_accept_a_guessable_password_that_cadence_refuses(settings):
    django_only = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 10},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
    validate_password(GUESSABLE, password_validators=get_password_validators(django_only))
    with pytest.raises(ValidationError, match="too easy to guess"):
        validate_password(GUESSABLE)


@pytest.mark.parametrize("password", ["Password123!", "Qwerty12345", "Summer2024!", "iloveyou2020"])
def test_common_and_patterned_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        GuessablePasswordValidator(min_score=3).validate(password)


def test_a_password_made_of_the_users_own_name_is_refused(clinician):
    with pytest.raises(ValidationError):
        GuessablePasswordValidator(min_score=3).validate(f"{clinician.username}2025", clinician)


def test_a_phrase_of_unrelated_words_passes():
    GuessablePasswordValidator(min_score=3).validate(STRONG)
    validate_password(STRONG)


# ------------------------------------------------------------------ change
def test_change_needs_the_current_password(client, nurse):
    client.force_login(nurse)
    response = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    nurse.refresh_from_db()
    assert nurse.check_password(PASSWORD)


def test_change_refuses_a_guessable_new_password(client, nurse):
    client.force_login(nurse)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": GUESSABLE, "new_password2": GUESSABLE},
    )
    assert b"too easy to guess" in response.content
    nurse.refresh_from_db()
    assert nurse.check_password(PASSWORD)


def test_change_sets_the_password_keeps_the_session_and_is_audited(client, nurse):
    client.force_login(nurse)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.check_password(STRONG)
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(actor=nurse, summary="Changed their password").exists()


# ------------------------------------------------------------------ reset
def test_reset_by_an_emailed_link(client, settings, clinician):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clinician.email = "cleo@clinic.example"
    clinician.save()
    assert b"Forgot your password?" in client.get("/login/").content
    response = client.post("/password-reset/", {"email": "cleo@clinic.example"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["cleo@clinic.example"]
    link = re.search(r"http://testserver(/set-password/[^/\s]+/[^/\s]+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    weak = client.post(set_url, {"new_password1": GUESSABLE, "new_password2": GUESSABLE})
    assert b"too easy to guess" in weak.content
    done = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    clinician.refresh_from_db()
    assert clinician.check_password(STRONG)
    # The link works once.
    again = client.get(link, follow=True)
    assert b"expired or has already been used" in again.content


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_reset_requests_are_rate_limited(client, settings, clinician):
    settings.CADENCE_LOGIN_RATE_PER_MINUTE = 2
    statuses = [
        client.post(
            "/password-reset/", {"email": "x@example.org"}, REMOTE_ADDR="198.51.100.9"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
