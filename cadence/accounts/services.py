"""Writes on accounts: by the administrator (invite, change role, deactivate, unlock a
locked-out sign-in, reset MFA) and by each user (API tokens, password change). Each in
one transaction with its audit entry."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user, match_token, user_has_device

from cadence.accounts.models import ApiToken, TokenScope, User
from cadence.accounts.roles import Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.rules.identifiers import npi_problem

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


def user_prescriber_details_set(
    *, actor, user: User, credentials: str, npi: str, request=None
) -> User:
    """The credentials and NPI printed in the signature block of letters, packets and
    procedure notes (issue 19): by the administrator, or by the clinician on their own
    account page. The NPI is checked with its Luhn check digit (rules.identifiers)."""
    if user.role not in {r.value for r in STAFF_ROLES}:
        raise ValidationError(
            {
                "npi": ValidationError(
                    "Only members of staff have credentials and an NPI.", code="invalid"
                )
            }
        )
    credentials = " ".join(credentials.split())
    npi = "".join(npi.split())
    if len(credentials) > 100:
        raise ValidationError(
            {
                "credentials": ValidationError(
                    "Credentials are at most 100 characters.", code="invalid"
                )
            }
        )
    if npi and (problem := npi_problem(npi)):
        raise ValidationError({"npi": ValidationError(problem, code="invalid")})
    with transaction.atomic():
        before = {"credentials": user.credentials, "npi": user.npi}
        user.credentials, user.npi = credentials, npi
        changed = sorted(name for name, value in before.items() if getattr(user, name) != value)
        if changed:
            user.save(update_fields=changed)
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=f"Changed {user.username}'s credentials and NPI",
                obj=user,
                details={
                    name: {"before": before[name], "after": getattr(user, name)} for name in changed
                },
                request=request,
            )
    return user


#: Longest a token may be issued for, whatever is asked (days).
API_TOKEN_MAX_DAYS = 366


def api_token_issue(
    *,
    user: User,
    actor,
    name: str = "",
    scope: str = TokenScope.FULL,
    days: int | None = None,
    otp_code: str = "",
    request=None,
) -> tuple[ApiToken, str]:
    """A new API token for `user`; returns it and its raw value (shown once).

    A user enrolled in MFA must give a current code from their authenticator (or a
    recovery code) for it: a token is a way in without the second factor."""
    if scope not in TokenScope.values:
        raise ValidationError(
            {"scope": ValidationError("Choose one of the token scopes.", code="invalid")}
        )
    if user.is_patient and scope not in (TokenScope.DIARY, TokenScope.READ):
        raise ValidationError(
            {
                "scope": ValidationError(
                    "A patient's token is for the diary app or read only.", code="invalid"
                )
            }
        )
    days = settings.CADENCE_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": ValidationError(
                    f"A token lasts from 1 to {API_TOKEN_MAX_DAYS} days.", code="invalid"
                )
            }
        )
    if not user.is_active:
        raise ValidationError(
            {"user": ValidationError("This account is deactivated.", code="invalid")}
        )
    if user_has_device(user, confirmed=True):
        code = "".join((otp_code or "").split()).lower()
        if not code or match_token(user, code) is None:
            raise ValidationError(
                {
                    "otp_token": ValidationError(
                        "This account uses two-factor sign-in: enter the current 6-digit "
                        "code from its authenticator app (or a recovery code).",
                        code="mfa_required",
                    )
                }
            )
    with transaction.atomic():
        token, raw = ApiToken.issue(user, name=name.strip()[:100], scope=scope, days=days)
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary=f"Issued API token {token.token_prefix}… ({scope}, {days} days) for {user.username}",
            obj=user,
            request=request,
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor, request=None) -> ApiToken:
    with transaction.atomic():
        token.revoke()
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary=f"Revoked API token {token.token_prefix}… of {token.user.username}",
            obj=token.user,
            request=request,
        )
    return token
