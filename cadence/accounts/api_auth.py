"""Authentication and role checks for the JSON API (django-ninja).

Requests authenticate with `Authorization: Bearer TOKEN` (see `manage.py issue_token`) or,
from Cadence's own pages, with the signed-in session (CSRF-checked). Each operation
declares its roles with `@api_roles(...)`; a missing or revoked token answers 401, a role
that may not use the operation 403.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from cadence.accounts.access import PUBLIC, _role_set
from cadence.accounts.models import ApiToken, hash_token


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        # One query by the unique token hash (no ORDER BY/LIMIT, no join in the WHERE):
        # ApiToken.objects.active() is checked here as revoked_at in SQL and the
        # user's is_active on the row the join already brings.
        try:
            api_token = ApiToken.objects.select_related("user").get(
                token_hash=hash_token(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class SessionCookieAuth(APIKeyCookie):
    """The signed-in browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [BearerTokenAuth(), SessionCookieAuth()]


def api_roles(*roles):
    """Operation decorator: only these roles may call it (403 otherwise)."""
    allowed = _role_set(roles)

    def decorate(operation):
        @wraps(operation)
        def wrapped(request, *args, **kwargs):
            user = request.auth if getattr(request, "auth", None) is not None else request.user
            if not user or not user.is_authenticated:
                raise HttpError(401, "Authentication required.")
            if user.role not in allowed:
                raise HttpError(403, "Your role may not use this operation.")
            request.user = user
            return operation(request, *args, **kwargs)

        wrapped.cadence_roles = allowed
        return wrapped

    return decorate


def api_public(operation):
    operation.cadence_roles = PUBLIC
    return operation


def forbid(message: str = "Not allowed.") -> PermissionDenied:
    return PermissionDenied(message)
