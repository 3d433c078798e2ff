"""The one NinjaAPI of Cadence: version 1 under /api/v1, each app's router added here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.parser import Parser

from cadence.accounts.api import router as accounts_router
from cadence.accounts.api_auth import API_AUTH
from cadence.accounts.validation import api_refusal
from cadence.audit.api import router as audit_router
from cadence.candidacy.api import router as candidacy_router
from cadence.diary.api import router as diary_router
from cadence.intake.api import router as intake_router
from cadence.interop.api import router as interop_router
from cadence.outcomes.api import router as outcomes_router
from cadence.patients.api import router as patients_router
from cadence.scheduling.api import router as scheduling_router
from cadence.surgery.api import router as surgery_router
from cadence.treatments.api import router as treatments_router
from config.openapi import document_refusals


class JsonObjectParser(Parser):
    """Every JSON body of the API is an object: a list, a string, a number or null is
    refused (400) rather than read as an object with every field left out."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


class CadenceAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """The operation's function name, `<entity>_<action>` (`procedure_sign`)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's document plus the refusals every operation shares (config/openapi.py)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_refusals(schema)


api = CadenceAPI(
    title="Cadence API",
    version="1",
    description=(
        "The JSON API of Cadence, the clinic system for onabotulinumtoxinA treatment of "
        "chronic migraine. Authenticate with `Authorization: Bearer TOKEN` "
        "(`python manage.py issue_token USERNAME`). Dates are ISO 8601, fields snake_case; "
        "validation errors answer 422 naming the field."
    ),
    auth=API_AUTH,
    parser=JsonObjectParser(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def refused(request, exc):
    """Every service refusal: 422 in ninja's validation shape naming the field, 409 for a
    conflict, 429 for too many requests (cadence.accounts.validation)."""
    match = getattr(request, "resolver_match", None)
    path_params = match.kwargs if match is not None else {}
    status, body = api_refusal(exc, path_params=path_params)
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Authentication required: send a valid bearer token."}, status=401
    )


api.add_router("/", accounts_router)
api.add_router("/", intake_router)
api.add_router("/", patients_router)
api.add_router("/", candidacy_router)
api.add_router("/", diary_router)
api.add_router("/", treatments_router)
api.add_router("/", scheduling_router)
api.add_router("/", outcomes_router)
api.add_router("/", audit_router)
api.add_router("/", surgery_router)
api.add_router("/", interop_router)
