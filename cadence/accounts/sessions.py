"""A session's absolute lifetime: besides the idle timeout (SESSION_COOKIE_AGE, renewed on
every request), a signed-in session ends `settings.CADENCE_SESSION_ABSOLUTE_SECONDS`
(12 hours) after sign-in however active it is. The sign-in time is stored in the session
when the user signs in (`user_logged_in`)."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "cadence_signed_in_at"
#: When the password was last given (sign-in or re-confirmation), for re-authentication.
PASSWORD_AT = "cadence_password_at"


@receiver(user_logged_in, dispatch_uid="cadence-session-signed-in-at")
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


def session_expired(session, now: float | None = None) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return False
    now = time.time() if now is None else now
    return now - signed_in_at > settings.CADENCE_SESSION_ABSOLUTE_SECONDS


def remember_password_given(request) -> None:
    request.session[PASSWORD_AT] = int(time.time())


def password_recently_given(request) -> bool:
    given = request.session.get(PASSWORD_AT)
    return given is not None and time.time() - given <= settings.CADENCE_REAUTH_SECONDS


class AbsoluteSessionLifetime:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            if SIGNED_IN_AT not in session:
                # A session from before this control: its 12 hours start now.
                session[SIGNED_IN_AT] = int(time.time())
            elif session_expired(session):
                logout(request)
                if request.path_info.startswith(("/api/", "/fhir/")):
                    return JsonResponse(
                        {"detail": "Your session has ended: sign in again."}, status=401
                    )
                return redirect(
                    f"{reverse('accounts:login')}?next={quote(request.get_full_path())}"
                )
        return self.get_response(request)
