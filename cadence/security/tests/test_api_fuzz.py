"""Schemathesis against /api/v1/openapi.json, every operation, with every check.

What it shows, on a bounded budget (`MAX_EXAMPLES` generated requests per operation in the
fuzzing phase, plus the schema's examples and schemathesis' deterministic coverage cases:
boundary values and, in negative mode, wrong types, missing fields and unknown methods),
derandomized so CI sees the same requests every run:

- no answer is a server error (`not_a_server_error`);
- every status code answered is documented for its operation (`status_code_conformance`),
  with the documented content type and body schema (`content_type_conformance`,
  `response_schema_conformance`, `response_headers_conformance`);
- a request the schema says is invalid is refused (`negative_data_rejection`), an
  operation refuses methods it does not have (`unsupported_method`), answers 401 without
  credentials (`ignored_auth`), and the other built-in checks;
- a request the schema says is valid is never refused by the parser: it is accepted, or
  refused by a clinic rule the schema cannot express (a date before the patient's birth,
  an unknown injection site), which answers 422 naming the field
  (`schema_valid_requests_reach_the_rules`, in place of `positive_data_acceptance`).

Requests go through Django's WSGI application in-process (no server), inside the test's
transaction, authenticated as a clinician with a bearer token. Path parameters named
patient_id point at a real patient half of the time, so that generated bodies reach the
code behind the access check. Generated text has no NUL characters: the API refuses them
in every JSON body (422, `ApiBodyLimits`), tested in test_extreme_input.py.
"""

from __future__ import annotations

import json
import typing

import pydantic_core
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cadence.accounts.models import ApiToken

#: Generated requests per operation in the fuzzing phase (the coverage phase adds its own
#: deterministic cases). About 90 s of CPU for the whole API (docs/security.md).
MAX_EXAMPLES = 12
SEED = 21

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
schema.config.seed = SEED
schema.config.generation.update(allow_x00=False)

#: pydantic's own error types: a schema-valid request refused with one of these means the
#: OpenAPI document promises more than the parser accepts. Custom validators
#: (`value_error`) and the services' codes are the clinic's rules.
PARSER_ERROR_TYPES = frozenset(typing.get_args(pydantic_core.core_schema.ErrorType)) - {
    "value_error",
    "assertion_error",
}
ACCEPTED = {*range(200, 400), 401, 403, 404, 409, 429}


def rule_refusal_types(response) -> list[str] | None:
    """The `type` of each item of a 422 answer's `detail`, or None if it has no such list."""
    try:
        detail = json.loads(response.content)["detail"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(detail, list) or not detail:
        return None
    return [item.get("type", "") if isinstance(item, dict) else "" for item in detail]


def schema_valid_requests_reach_the_rules(ctx, response, case):
    """A request generated from the schema (positive mode) is accepted, or refused with
    422 only by a clinic rule: never by the parser, never as 400 or 415."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status in ACCEPTED or status >= 500:  # 5xx: not_a_server_error's finding
        return None
    types = rule_refusal_types(response) if status == 422 else None
    if types is not None and not PARSER_ERROR_TYPES.intersection(types):
        return None
    raise AssertionError(
        f"Valid data should have reached the clinic's rules: {case.operation.label} "
        f"answered {status} {response.text[:500]}"
    )


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
    headers = {"Authorization": f"Bearer {fuzz_world['token']}", "Accept-Encoding": "identity"}
    response = case.call(headers=headers)
    # Every built-in check schemathesis has (none is switched off in its config), with
    # the rule-aware acceptance check in place of positive_data_acceptance.
    case.validate_response(
        response,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[schema_valid_requests_reach_the_rules],
    )


def test_every_built_in_check_runs():
    """The fuzz test above runs schemathesis' full default set: no check is disabled."""
    from schemathesis.checks import CHECKS

    disabled = [
        name
        for name in CHECKS.get_all_names()
        if not schema.config.checks_config_for().get_by_name(name=name).enabled
    ]
    assert disabled == []
    assert len(CHECKS.get_all_names()) >= 10


def test_a_parser_refusal_of_valid_data_is_a_finding_and_a_rule_refusal_is_not():
    class Answer:
        def __init__(self, status, body):
            self.status_code = status
            self.content = json.dumps(body).encode()
            self.text = self.content.decode()

    parser = Answer(422, {"detail": [{"type": "decimal_max_places", "loc": [], "msg": "x"}]})
    rule = Answer(422, {"detail": [{"type": "implausible_date", "loc": [], "msg": "x"}]})
    assert PARSER_ERROR_TYPES.intersection(rule_refusal_types(parser))
    assert not PARSER_ERROR_TYPES.intersection(rule_refusal_types(rule))
    assert rule_refusal_types(Answer(422, {"detail": "x"})) is None
