"""Multi-factor sign-in for staff: TOTP (an authenticator app) with recovery codes.

After the password, a member of staff whose session is not yet verified is sent to
`/mfa/verify/` (or, without a confirmed authenticator, to `/mfa/enrol/`) before anything
else. `settings.CADENCE_MFA_REQUIRED` turns this on (production) or off (development,
tests). Patients sign in with a password only. Enrolment asks for the password again
unless it was given in the last CADENCE_REAUTH_SECONDS. API bearer tokens are not
affected, but issuing one for an enrolled user takes a current code
(`accounts.services.api_token_issue`).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadence.accounts.access import roles_required
from cadence.accounts.roles import STAFF_ROLES
from cadence.accounts.sessions import password_recently_given
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.security.ratelimit import rate_allow

RECOVERY_DEVICE_NAME = "recovery codes"
MAX_FAILED_VERIFICATIONS = 10
_EXEMPT_URL_NAMES = (
    "accounts:mfa-enrol",
    "accounts:mfa-verify",
    "accounts:confirm-password",
    "accounts:logout",
    "accounts:login",
    "healthz",
)


def mfa_required() -> bool:
    return bool(getattr(settings, "CADENCE_MFA_REQUIRED", True))


def needs_verification(user) -> bool:
    if not mfa_required() or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "role", None) not in STAFF_ROLES:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def _exempt_paths() -> set[str]:
    return {reverse(name) for name in _EXEMPT_URL_NAMES}


class MfaRequiredMiddleware:
    """Staff with a password-only session reach nothing but enrolment/verification."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if needs_verification(user) and request.path_info not in _exempt_paths():
            if request.path_info.startswith("/api/") or request.path_info.startswith("/fhir/"):
                return JsonResponse(
                    {"detail": "Two-factor verification required: finish signing in first."},
                    status=401,
                )
            target = "accounts:mfa-verify" if user_has_device(user) else "accounts:mfa-enrol"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:home")


def _qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _clean_token(raw: str) -> str:
    return "".join(raw.split()).lower()


def _attempt_allowed(user) -> bool:
    """Codes tried per user in 15 minutes, across sessions and workers. (django-otp's own
    throttle is off: it refused a correct code right after a wrong one, issue 19.)"""
    return rate_allow(
        f"mfa:{user.pk}",
        limit=settings.CADENCE_MFA_ATTEMPTS_PER_15_MINUTES,
        window_seconds=15 * 60,
    )


TOO_MANY_ATTEMPTS = "Too many codes were tried for this account. Wait 15 minutes, then try again."


def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set; return them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.CADENCE_RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
@roles_required(STAFF_ROLES)
def mfa_enrol(request):
    """Set up an authenticator app: scan the QR code, then confirm with a first code."""
    user = request.user
    if user_has_device(user, confirmed=True):
        if needs_verification(user):
            return redirect(f"{reverse('accounts:mfa-verify')}?next={quote(_next_url(request))}")
        return render(
            request, "accounts/mfa_enrolled.html", {"recovery_left": _recovery_left(user)}
        )
    if not password_recently_given(request):
        # Re-authentication: whoever holds an unattended session must not enrol their own phone.
        return redirect(
            f"{reverse('accounts:confirm-password')}?next={quote(request.get_full_path())}"
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    error = ""
    if request.method == "POST" and not _attempt_allowed(user):
        error = TOO_MANY_ATTEMPTS
    elif request.method == "POST":
        token = _clean_token(request.POST.get("otp_token", ""))
        if token.isdigit() and device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = issue_recovery_codes(user)
                audit_record(
                    actor=user,
                    action=AuditAction.SECURITY,
                    summary="Enrolled an authenticator for two-factor sign-in",
                    request=request,
                )
            otp_login(request, device)
            return render(
                request,
                "accounts/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = "That code did not match. Check the time on your phone and enter the current 6-digit code."
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "qr_data_uri": _qr_svg_data_uri(device.config_url),
            "secret": secret,
            "error": error,
            "next": _next_url(request),
        },
        status=200 if not error else 400,
    )


@never_cache
@roles_required(STAFF_ROLES)
def mfa_verify(request):
    """Second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:mfa-enrol')}?next={quote(_next_url(request))}")
    error = ""
    if request.method == "POST" and not _attempt_allowed(user):
        return render(
            request,
            "accounts/mfa_verify.html",
            {"error": TOO_MANY_ATTEMPTS, "next": _next_url(request)},
            status=429,
        )
    if request.method == "POST":
        token = _clean_token(request.POST.get("otp_token", ""))
        device = match_token(user, token) if token else None
        if device is not None:
            request.session.pop("mfa_failures", None)
            otp_login(request, device)
            used_recovery = isinstance(device, StaticDevice)
            audit_record(
                actor=user,
                action=AuditAction.LOGIN,
                summary="Two-factor verification"
                + (" with a recovery code" if used_recovery else ""),
                request=request,
            )
            if used_recovery:
                from django.contrib import messages

                messages.warning(
                    request,
                    f"You used a recovery code; {_recovery_left(user)} left. Create new ones on the "
                    "recovery codes page if you are running low.",
                )
            return redirect(_next_url(request))
        failures = request.session.get("mfa_failures", 0) + 1
        request.session["mfa_failures"] = failures
        audit_record(
            actor=user,
            action=AuditAction.LOGIN_FAILED,
            summary="Two-factor verification failed",
            request=request,
        )
        if failures >= MAX_FAILED_VERIFICATIONS:
            from django.contrib.auth import logout

            logout(request)
            return redirect("accounts:login")
        error = "That code did not work. Enter the 6-digit code from your authenticator app or one recovery code."
    return render(
        request,
        "accounts/mfa_verify.html",
        {"error": error, "next": _next_url(request)},
        status=200 if not error else 400,
    )


def _recovery_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@never_cache
@roles_required(STAFF_ROLES)
def mfa_recovery_codes(request):
    """How many recovery codes are left; POST replaces them with a fresh set."""
    user = request.user
    if not any(isinstance(d, TOTPDevice) for d in devices_for_user(user)):
        return redirect("accounts:mfa-enrol")
    if request.method == "POST":
        codes = issue_recovery_codes(user)
        audit_record(
            actor=user,
            action=AuditAction.SECURITY,
            summary="Replaced two-factor recovery codes",
            request=request,
        )
        return render(
            request,
            "accounts/mfa_recovery_codes.html",
            {"codes": codes, "next": reverse("accounts:home")},
        )
    return render(request, "accounts/mfa_enrolled.html", {"recovery_left": _recovery_left(user)})
