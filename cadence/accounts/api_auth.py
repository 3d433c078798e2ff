"""Authentication and role checks for the JSON API (django-ninja).

Requests authenticate with `Authorization: Bearer TOKEN` (see `manage.py issue_token` and
the API tokens page) or, from Cadence's own pages, with the signed-in session
(CSRF-checked). Each operation declares its roles with `@api_roles(...)`; a missing,
revoked or expired token answers 401, a token whose scope does not reach the request 403
(`ApiTokenGate`, for /api/ and /fhir/ alike), a role that may not use the operation 403.
A request that sends an Authorization header is never authenticated by its session cookie.
"""

from __future__ import annotations

from datetime import UTC
from functools import cache, wraps

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from cadence.accounts.access import PUBLIC, _role_set
from cadence.accounts.models import ApiToken, User, hash_token
from cadence.accounts.tokens import scope_allows, scope_refusal
from cadence.security.plain_rows import converted_row, row_converters

#: A token's last_used_at is refreshed at most this often (seconds).
LAST_USED_EVERY_SECONDS = 300


@cache
def _token_user_sql(vendor: str) -> str:
    """The user of an unrevoked, unexpired token, with the token's id, scope and
    last_used_at, in one indexed query (token_hash is unique). Plain SQL, built once:
    compiling the ORM query cost more CPU than the rest of the authentication."""
    qn = connections[router.db_for_read(User)].ops.quote_name
    columns = ", ".join(f"u.{qn(field.column)}" for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns}, t.{qn('id')} AS token_id, t.{qn('scope')} AS token_scope, "
        f"t.{qn('last_used_at')} AS token_last_used_at "
        f"FROM {qn(User._meta.db_table)} u JOIN {qn(ApiToken._meta.db_table)} t "
        f"ON t.{qn('user_id')} = u.{qn('id')} "
        f"WHERE t.{qn('token_hash')} = %s AND t.{qn('revoked_at')} IS NULL "
        f"AND t.{qn('expires_at')} > %s"
    )


_REQUEST_CACHE = "_cadence_bearer"


def token_user(request: HttpRequest, token: str):
    """The active user of an unrevoked, unexpired token (with `token_id`, `token_scope`
    and `token_last_used_at`), or None. Looked up once per request, with one indexed
    query read by a plain cursor (a RawQuerySet mapped the columns to the model afresh on
    every call, which cost more CPU than the query)."""
    token_hash = hash_token(token)
    cached = getattr(request, _REQUEST_CACHE, None)
    if cached is not None and cached[0] == token_hash:
        return cached[1]
    db = connections[router.db_for_read(User)]  # the primary: users are never replicated
    now = db.ops.adapt_datetimefield_value(timezone.now())
    with db.cursor() as cursor:
        cursor.execute(_token_user_sql(db.vendor), [token_hash, now])
        row = cursor.fetchone()
    user = None
    if row is not None:
        last_used_at = ApiToken._meta.get_field("last_used_at")
        fields = (*User._meta.concrete_fields, None, None, last_used_at)
        values = converted_row(db, row, row_converters(db, "token_user", fields))
        count = len(User._meta.concrete_fields)
        found = User.from_db(db.alias, None, values[:count])
        found.token_id, found.token_scope, found.token_last_used_at = values[count:]
        if found.is_active:
            user = found
    setattr(request, _REQUEST_CACHE, (token_hash, user))
    return user


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        user = token_user(request, token)
        if user is None or not scope_allows(user.token_scope, request.method, request.path_info):
            return None
        # Recorded at most every LAST_USED_EVERY_SECONDS, so most requests write nothing.
        last_used_at = user.token_last_used_at  # converted as the model field's
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
        if request.headers.get("Authorization"):
            return None  # a request with credentials of its own stands or falls by them
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [BearerTokenAuth(), SessionCookieAuth()]

_TOKEN_PATHS = ("/api/", "/fhir/")


def _refusal(request: HttpRequest, message: str, status: int) -> JsonResponse:
    if request.path_info.startswith("/fhir/"):
        body = {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "login" if status == 401 else "forbidden",
                    "diagnostics": message,
                }
            ],
        }
        response = JsonResponse(body, status=status, content_type="application/fhir+json")
    else:
        response = JsonResponse({"detail": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="cadence"'
    return response


class ApiTokenGate:
    """Middleware: a bearer token on /api/ or /fhir/ that is unknown, revoked, expired or
    whose user is inactive answers 401 (never the session's user instead); one whose scope
    does not reach the method and path answers 403 (`cadence.accounts.tokens`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(_TOKEN_PATHS):
            scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() == "bearer":
                user = token_user(request, raw.strip()) if raw.strip() else None
                if user is None:
                    return _refusal(
                        request,
                        "This API token is not valid: it is unknown, revoked or expired.",
                        401,
                    )
                if not scope_allows(user.token_scope, request.method, request.path_info):
                    return _refusal(request, scope_refusal(user.token_scope), 403)
        return self.get_response(request)


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
