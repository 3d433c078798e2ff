"""Writes on staff accounts by the administrator: invite, change role, deactivate,
unlock a locked-out sign-in, reset MFA. Each in one transaction with its audit entry."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record

#: Roles an administrator gives from the users page. Patient accounts belong to a patient
#: record and are made from it, never here.
STAFF_ROLES = (Role.ADMIN, Role.CLINICIAN, Role.NURSE, Role.FRONTDESK)


def _staff_role(role: str) -> str:
    if role not in {r.value for r in STAFF_ROLES}:
        raise ValidationError(
            {"role": ValidationError("Choose one of the staff roles.", code="invalid")}
        )
    return role


def set_password_link(user: User, request) -> str:
    """An absolute link to set a password (Django's PasswordResetTokenGenerator: it
    stops working once the password is set, or after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def user_invite(
    *,
    actor,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    request,
) -> User:
    """A new member of staff, without a password: an e-mail carries the set-password link."""
    username, email = username.strip(), email.strip()
    if not username:
        raise ValidationError({"username": ValidationError("Give a username.", code="required")})
    if not email:
        raise ValidationError(
            {
                "email": ValidationError(
                    "Give the e-mail address for the invitation.", code="required"
                )
            }
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": ValidationError("That username is already taken.", code="conflict")}
        )
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            role=_staff_role(role),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Invited {username} as {user.get_role_display()}",
            obj=user,
            request=request,
        )
        link = set_password_link(user, request)
        transaction.on_commit(
            lambda: send_mail(
                "Your Cadence account",
                f"An account has been made for you ({username}).\n\n"
                f"Choose your password here:\n{link}\n\n"
                "The link works once, for a few days.",
                None,
                [email],
            )
        )
    return user


def _other_user(actor, user: User, field: str, words: str) -> None:
    if user.pk == actor.pk:
        raise ValidationError({field: ValidationError(words, code="invalid")})


def user_role_change(*, actor, user: User, role: str, request) -> User:
    _other_user(actor, user, "role", "You cannot change your own role; ask another administrator.")
    if user.role == Role.PATIENT:
        raise ValidationError(
            {"role": ValidationError("A patient's account keeps the patient role.", code="invalid")}
        )
    with transaction.atomic():
        before = user.get_role_display()
        user.role = _staff_role(role)
        user.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=f"Changed {user.username}'s role from {before} to {user.get_role_display()}",
            obj=user,
            details={"role": {"before": before, "after": user.get_role_display()}},
            request=request,
        )
    return user


def user_deactivate(*, actor, user: User, request) -> User:
    _other_user(actor, user, "user", "You cannot deactivate your own account.")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary=f"Deactivated {user.username}",
            obj=user,
            request=request,
        )
    return user


def user_unlock(*, actor, user: User, request) -> int:
    """Lift django-axes' lock-out for the username; returns how many records it cleared."""
    with transaction.atomic():
        cleared = axes_reset(username=user.username) or 0
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary=f"Unlocked sign-in for {user.username}",
            obj=user,
            details={"cleared": cleared},
            request=request,
        )
    return cleared


def user_mfa_reset(*, actor, user: User, request) -> int:
    """Delete the user's MFA devices (django-otp): they enrol again at the next sign-in."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary=f"Reset MFA for {user.username} ({len(devices)} device(s) removed)",
            obj=user,
            request=request,
        )
    return len(devices)
