"""Two-factor sign-in for staff (TOTP + recovery codes), with CADENCE_MFA_REQUIRED on."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadence.audit.models import AuditEvent
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.CADENCE_MFA_REQUIRED = True


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_staff_without_a_device_are_sent_to_enrolment_before_anything_else(client, clinician):
    password_login(client, clinician)
    response = client.get("/staff/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/mfa/enrol/")
    assert client.get("/home/")["Location"].startswith("/mfa/enrol/")


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(client, nurse):
    password_login(client, nurse)
    page = client.get("/mfa/enrol/")
    assert page.status_code == 200
    assert b'src="data:image/svg+xml;base64,' in page.content
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)
    response = client.post("/mfa/enrol/", {"otp_token": current_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=nurse).count() == 10
    # The session is now verified: pages open.
    assert client.get("/home/").status_code in (200, 302)
    assert not client.get("/home/").get("Location", "").startswith("/mfa/")
    assert AuditEvent.objects.filter(actor=nurse, action="security").exists()


def test_enrolment_refuses_a_wrong_code(client, nurse):
    password_login(client, nurse)
    client.get("/mfa/enrol/")
    response = client.post("/mfa/enrol/", {"otp_token": "000000"})
    assert response.status_code == 400
    assert b"did not match" in response.content
    assert not TOTPDevice.objects.filter(user=nurse, confirmed=True).exists()


def test_a_second_enrolment_needs_the_first_device(client, clinician):
    """Someone who knows only the password cannot enrol their own authenticator."""
    enrolled_device(clinician)
    password_login(client, clinician)
    response = client.get("/mfa/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/mfa/verify/")
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_verification_after_password_login(client, admin_user):
    device = enrolled_device(admin_user)
    password_login(client, admin_user)
    response = client.get("/staff/users/")
    assert response["Location"].startswith("/mfa/verify/")
    response = client.post(
        "/mfa/verify/?next=/staff/users/",
        {"otp_token": current_code(device), "next": "/staff/users/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/users/"
    assert client.get("/staff/users/").status_code == 200


def test_verification_refuses_a_wrong_code_and_keeps_the_door_shut(client, admin_user):
    device = enrolled_device(admin_user)
    password_login(client, admin_user)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post("/mfa/verify/", {"otp_token": wrong})
    assert response.status_code == 400
    assert client.get("/staff/users/")["Location"].startswith("/mfa/verify/")
    assert AuditEvent.objects.filter(action="login_failed", actor=admin_user).exists()


def test_verification_refuses_an_external_next_url(client, admin_user):
    device = enrolled_device(admin_user)
    password_login(client, admin_user)
    response = client.post(
        "/mfa/verify/", {"otp_token": current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/home/"


def test_a_recovery_code_works_once(client, clinician):
    from cadence.accounts.mfa import issue_recovery_codes

    enrolled_device(clinician)
    code = issue_recovery_codes(clinician)[0]
    password_login(client, clinician)
    assert client.post("/mfa/verify/", {"otp_token": code}).status_code == 302
    assert not client.get("/home/").get("Location", "").startswith("/mfa/")
    client.post("/logout/")
    password_login(client, clinician)
    assert client.post("/mfa/verify/", {"otp_token": code}).status_code == 400
    assert StaticToken.objects.filter(device__user=clinician).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, clinician):
    from cadence.accounts.mfa import issue_recovery_codes

    device = enrolled_device(clinician)
    old = issue_recovery_codes(clinician)
    password_login(client, clinician)
    client.post("/mfa/verify/", {"otp_token": current_code(device)})
    response = client.post("/mfa/recovery-codes/")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_an_unverified_staff_session_gets_401_from_the_api(client, clinician):
    enrolled_device(clinician)
    password_login(client, clinician)
    assert client.get("/api/v1/me").status_code == 401


def test_bearer_tokens_are_not_affected(api_for, clinician):
    assert api_for(clinician).get("/me").status_code == 200


def test_patients_sign_in_with_a_password_only(client, patient_user):
    password_login(client, patient_user)
    response = client.get("/home/")
    assert not response.get("Location", "").startswith("/mfa/")
    assert client.get("/mfa/enrol/").status_code == 403


def test_mfa_is_off_when_the_setting_is_off(client, clinician, settings):
    settings.CADENCE_MFA_REQUIRED = False
    password_login(client, clinician)
    assert not client.get("/home/").get("Location", "").startswith("/mfa/")


def test_mfa_defaults():
    """Production requires MFA; development and tests do not, unless the environment says."""

    from cadence.security.tests.helpers import settings_in_subprocess

    assert (
        settings_in_subprocess("CADENCE_MFA_REQUIRED", env={"CADENCE_ENV": "production"}) == "True"
    )
    assert (
        settings_in_subprocess("CADENCE_MFA_REQUIRED", env={"CADENCE_ENV": "development"})
        == "False"
    )
    assert (
        settings_in_subprocess(
            "CADENCE_MFA_REQUIRED", env={"CADENCE_ENV": "development", "CADENCE_MFA_REQUIRED": "1"}
        )
        == "True"
    )


# ------------------------------------------------------------------ issues 19 and 21
def test_a_correct_code_right_after_a_wrong_one_is_accepted(client, admin_user):
    """django-otp's throttle used to refuse the correct code for a while (issue 19)."""
    device = enrolled_device(admin_user)
    password_login(client, admin_user)
    wrong = f"{(int(current_code(device)) + 500000) % 1000000:06d}"
    assert client.post("/mfa/verify/", {"otp_token": wrong}).status_code == 400
    response = client.post("/mfa/verify/", {"otp_token": current_code(device)})
    assert response.status_code == 302
    assert client.get("/staff/users/").status_code == 200


def test_codes_tried_per_user_are_limited_across_sessions(client, admin_user, settings):
    settings.CADENCE_MFA_ATTEMPTS_PER_15_MINUTES = 3
    device = enrolled_device(admin_user)
    password_login(client, admin_user)
    wrong = f"{(int(current_code(device)) + 500000) % 1000000:06d}"
    statuses = [client.post("/mfa/verify/", {"otp_token": wrong}).status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    # A fresh session (sign in again) does not reset the count, and not even the right code
    # is tried once the limit is reached.
    from django.test import Client

    other = Client()
    password_login(other, admin_user)
    response = other.post("/mfa/verify/", {"otp_token": current_code(device)})
    assert response.status_code == 429
    assert b"Too many codes" in response.content


def test_enrolment_asks_for_the_password_again_when_it_was_not_just_given(client, nurse):
    client.force_login(nurse)  # a session whose password was not given just now
    response = client.get("/mfa/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/?next=/mfa/enrol/")
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200  # reachable although MFA is not yet set up
    wrong = client.post("/account/confirm-password/", {"password": "nope", "next": "/mfa/enrol/"})
    assert wrong.status_code == 422
    assert b"That is not your password." in wrong.content
    right = client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/mfa/enrol/"})
    assert right.status_code == 302 and right["Location"] == "/mfa/enrol/"
    assert client.get("/mfa/enrol/").status_code == 200


def test_the_password_confirmation_goes_stale(client, nurse, settings):
    settings.CADENCE_REAUTH_SECONDS = 0
    password_login(client, nurse)
    import time

    time.sleep(1.1)
    assert client.get("/mfa/enrol/")["Location"].startswith("/account/confirm-password/")


def test_staff_reach_mfa_enrolment_from_the_user_menu(client, clinician, patient_user, settings):
    settings.CADENCE_MFA_REQUIRED = False  # development: enrolment is optional, still offered
    client.force_login(clinician)
    home = client.get("/account/")
    assert b'data-testid="account-link"' in home.content  # the name in the header
    assert b'href="/account/"' in home.content
    assert b'href="/mfa/enrol/"' in home.content
    client.force_login(patient_user)
    assert b'href="/mfa/enrol/"' not in client.get("/account/").content
