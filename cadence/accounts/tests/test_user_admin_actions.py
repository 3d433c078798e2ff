"""The administrator's users page: invite (an e-mailed set-password link), change role,
deactivate, unlock a locked-out sign-in, reset MFA; each audited."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadence.accounts.models import User
from cadence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _audited(summary_start: str) -> bool:
    return AuditEvent.objects.filter(summary__startswith=summary_start).exists()


def test_an_invitation_emails_a_link_that_sets_the_password(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/users/invite/",
            {
                "username": "newnurse",
                "email": "nn@example.invalid",
                "role": "nurse",
                "first_name": "Nia",
                "last_name": "Newton",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="newnurse")
    assert user.role == "nurse" and not user.has_usable_password()
    assert _audited("Invited newnurse as Nurse")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nn@example.invalid"]
    link = re.search(r"https?://\S+/set-password/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    client.logout()
    form_page = client.get(path, follow=True)
    assert b"Choose your password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"new_password1": "Synthetic-pass-4821", "new_password2": "Synthetic-pass-4821"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Synthetic-pass-4821")
    # The link works once.
    assert b"already been used" in client.get(path, follow=True).content


def test_an_invitation_refuses_a_patient_role_and_a_taken_username(client, admin_user, nurse):
    client.force_login(admin_user)
    response = client.post(
        "/staff/users/invite/", {"username": "pat", "email": "p@example.invalid", "role": "patient"}
    )
    assert response.status_code == 422 and not User.objects.filter(username="pat").exists()
    taken = client.post(
        "/staff/users/invite/",
        {"username": nurse.username.upper(), "email": "x@example.invalid", "role": "nurse"},
    )
    assert taken.status_code == 422 and b"already taken" in taken.content


def test_role_change_deactivate_unlock_and_mfa_reset_are_audited(client, admin_user, nurse):
    client.force_login(admin_user)
    assert client.post(f"/staff/users/{nurse.pk}/role/", {"role": "clinician"}).status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == "clinician"
    assert _audited(f"Changed {nurse.username}'s role from Nurse to Clinician")

    AccessAttempt.objects.create(
        username=nurse.username,
        ip_address="203.0.113.9",
        user_agent="test",
        failures_since_start=9,
    )
    assert client.post(f"/staff/users/{nurse.pk}/unlock/").status_code == 302
    assert not AccessAttempt.objects.filter(username=nurse.username).exists()
    assert _audited(f"Unlocked sign-in for {nurse.username}")

    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    assert client.post(f"/staff/users/{nurse.pk}/mfa-reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert _audited(f"Reset MFA for {nurse.username} (1 device(s) removed)")

    assert client.post(f"/staff/users/{nurse.pk}/deactivate/").status_code == 302
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert _audited(f"Deactivated {nurse.username}")


def test_an_administrator_cannot_demote_or_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)
    assert client.post(f"/staff/users/{admin_user.pk}/role/", {"role": "nurse"}).status_code == 422
    assert client.post(f"/staff/users/{admin_user.pk}/deactivate/").status_code == 422
    admin_user.refresh_from_db()
    assert admin_user.role == "admin" and admin_user.is_active


def test_only_the_administrator_may_act_on_users(client, clinician, nurse):
    client.force_login(clinician)
    assert client.post(f"/staff/users/{nurse.pk}/deactivate/").status_code == 403
    nurse.refresh_from_db()
    assert nurse.is_active
