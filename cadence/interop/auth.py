"""Authentication and roles for the FHIR and CSV views (plain Django views).

A request authenticates with ``Authorization: Bearer TOKEN`` (the API tokens of
``manage.py issue_token``) or with the signed-in browser session. Anonymous requests get
401 with an OperationOutcome (API clients, not a login redirect); other roles 403.
Views are CSRF-exempt for bearer tokens only: a session-authenticated unsafe request
still passes Django's CSRF check.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from cadence.accounts.access import PUBLIC, _role_set
from cadence.accounts.api_auth import BearerTokenAuth
from cadence.interop.fhir.mappers import operation_outcome

FHIR_CONTENT_TYPE = "application/fhir+json"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def fhir_response(resource: dict, status: int = 200, **kwargs) -> JsonResponse:
    return JsonResponse(resource, status=status, content_type=FHIR_CONTENT_TYPE, **kwargs)


def outcome_response(message, status: int, *, code: str = "processing") -> JsonResponse:
    response = fhir_response(operation_outcome(message, code=code), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="cadence"'
    return response


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def csrf_failure_reason(request: HttpRequest) -> str | None:
    """Run Django's CSRF check on a session-authenticated request (None when it passes)."""
    check = _CsrfCheck(lambda req: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def authenticated_user(request: HttpRequest):
    """(user, via_token): the bearer token's user, else the session's user, else None.

    A request that sends an Authorization header must authenticate with it: a bad token
    is never rescued by a session cookie."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None, True
        user = BearerTokenAuth().authenticate(request, token.strip())
        if user is None or not user.is_active:
            return None, True
        return user, True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user, False
    return None, False


_XML_TYPES = ("application/fhir+xml", "application/xml", "text/xml")
_JSON_TYPES = ("application/fhir+json", "application/json", "application/*", "*/*", "json")


def not_acceptable(request: HttpRequest) -> JsonResponse | None:
    """406 (as JSON, the one format served) when the client asks only for XML."""
    fmt = request.GET.get("_format", "").lower()
    if "xml" in fmt:
        return outcome_response(
            "Only JSON is served (application/fhir+json); XML is not supported.",
            406,
            code="not-supported",
        )
    accept = request.headers.get("Accept", "").lower()
    if (
        accept
        and any(t in accept for t in _XML_TYPES)
        and not any(t in accept for t in _JSON_TYPES)
    ):
        return outcome_response(
            "Only JSON is served (application/fhir+json); XML is not supported.",
            406,
            code="not-supported",
        )
    return None


def fhir_methods(*methods: str):
    """Like Django's require_http_methods, answering 405 with an OperationOutcome."""
    allowed = [m.upper() for m in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in allowed:
                response = outcome_response(
                    f"{request.method} is not allowed here (allowed: {', '.join(allowed)}).",
                    405,
                    code="not-supported",
                )
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _errors_as_outcomes(view, request, *args, **kwargs):
    refused = not_acceptable(request)
    if refused is not None:
        return refused
    try:
        return view(request, *args, **kwargs)
    except Http404 as exc:
        return outcome_response(str(exc) or "Not found.", 404, code="not-found")
    except PermissionDenied as exc:
        return outcome_response(str(exc) or "Forbidden.", 403, code="forbidden")


def fhir_roles(*roles):
    """View decorator: only these roles (401 OperationOutcome for anonymous, 403 for
    others); sets ``cadence_roles`` like ``cadence.accounts.access.roles_required``."""
    allowed = _role_set(roles)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user, via_token = authenticated_user(request)
            if user is None:
                return outcome_response(
                    "Authentication required: send a valid bearer token.", 401, code="login"
                )
            if not via_token and request.method not in _SAFE_METHODS:
                reason = csrf_failure_reason(request)
                if reason:
                    return outcome_response(f"CSRF check failed: {reason}", 403, code="security")
            request.user = user
            if user.role not in allowed:
                return outcome_response(
                    "Your role may not use this operation.", 403, code="forbidden"
                )
            return _errors_as_outcomes(view, request, *args, **kwargs)

        wrapped.cadence_roles = allowed
        return csrf_exempt(wrapped)

    return decorate


def fhir_public(view):
    """View decorator: anyone may use it (e.g. the CapabilityStatement)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return _errors_as_outcomes(view, request, *args, **kwargs)

    wrapped.cadence_roles = PUBLIC
    return wrapped
