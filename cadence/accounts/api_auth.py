"""Authentication and role checks for the JSON API (django-ninja).

Requests authenticate with `Authorization: Bearer TOKEN` (see `manage.py issue_token`) or,
from Cadence's own pages, with the signed-in session (CSRF-checked). Each operation
declares its roles with `@api_roles(...)`; a missing or revoked token answers 401, a role
that may not use the operation 403.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache, wraps

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from cadence.accounts.access import PUBLIC, _role_set
from cadence.accounts.models import ApiToken, User, hash_token

#: A token's last_used_at is refreshed at most this often (seconds).
LAST_USED_EVERY_SECONDS = 300


@cache
def _token_user_sql() -> str:
    """The user of an unrevoked token, with the token's id and last_used_at, in one
    indexed query (token_hash is unique). Plain SQL, built once: compiling the ORM
    query cost more CPU than the rest of the authentication."""
    qn = connection.ops.quote_name
    columns = ", ".join(f"u.{qn(field.column)}" for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns}, t.{qn('id')} AS token_id, t.{qn('last_used_at')} AS token_last_used_at "
        f"FROM {qn(User._meta.db_table)} u JOIN {qn(ApiToken._meta.db_table)} t "
        f"ON t.{qn('user_id')} = u.{qn('id')} "
        f"WHERE t.{qn('token_hash')} = %s AND t.{qn('revoked_at')} IS NULL"
    )


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        found = list(User.objects.raw(_token_user_sql(), [hash_token(token)]))
        if not found or not found[0].is_active:
            return None
        user = found[0]
        # Recorded at most every LAST_USED_EVERY_SECONDS, so most requests write nothing.
        last_used_at = user.token_last_used_at
        if isinstance(last_used_at, str):  # SQLite hands back the column's text
            last_used_at = datetime.fromisoformat(last_used_at)
        if last_used_at is not None and timezone.is_naive(last_used_at):
            last_used_at = timezone.make_aware(last_used_at, UTC)
        now = timezone.now()
        if last_used_at is None or (now - last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
            ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
        request.user = user
        return user


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
