"""Schemathesis against /api/v1/openapi.json: every operation, fuzzed with a bounded
number of generated requests, authenticated as a clinician; no 5xx, and every
documented response matches its schema.

Requests go through Django's WSGI application in-process (no server), inside the test's
transaction. Path parameters named patient_id point at a real patient half of the time,
so that generated bodies reach the code behind the access check.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cadence.accounts.models import ApiToken

MAX_EXAMPLES = 12

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture
def fuzz_world(db, clinician, make_patient):
    # The WSGI handler would close the test's connection (and its transaction) after
    # each request, as Django's test client prevents for itself.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    patient = make_patient(first_name="Fuzz", last_name="Target")
    token = ApiToken.issue(clinician)[1]
    try:
        yield {"token": token, "patient": patient}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_answers_as_documented(case, fuzz_world):
    path_parameters = case.path_parameters or {}
    if "patient_id" in path_parameters and len(repr(case.body)) % 2 == 0:
        path_parameters["patient_id"] = fuzz_world["patient"].pk
    # identity: the WSGI transport hands schemathesis the body as sent, and pages and
    # answers are gzip-compressed for clients that ask for it (GZipMiddleware).
    response = case.call(
        headers={"Authorization": f"Bearer {fuzz_world['token']}", "Accept-Encoding": "identity"}
    )
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
