"""The refusals every API operation can answer, written into the OpenAPI document.

They come from layers every operation shares, so they are documented here once rather
than in each app's `response={...}`:

- 401 (no valid credentials) and 403 (a role or a token scope that may not use it):
  `ApiTokenGate` and `@api_roles`, on every operation that declares security;
- 404 (no such object, or not one the caller may see): every operation with a path
  parameter (`patient_for_user` and the selectors);
- 422 (a parameter or the body does not validate, or a service refuses it, naming the
  field; a NUL character in a JSON body): every operation with parameters or a body;
- 400 (a body that is not JSON, or nested too deep) and 413 (a body over the upload
  limit): every operation with a body (`cadence.security.middleware.ApiBodyLimits`).

An operation's own `response={...}` entry for a code wins over these.
"""

from __future__ import annotations

MESSAGE = "Message"
REFUSAL = "Refusal"

COMPONENTS = {
    MESSAGE: {
        "title": MESSAGE,
        "description": "A refusal as one sentence.",
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    REFUSAL: {
        "title": REFUSAL,
        "description": (
            "A refusal naming the fields: `loc` is where (`path`, `query` or `body` and "
            "the field), `msg` a sentence, `type` the code."
        ),
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {
                            "type": "array",
                            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        },
                        "msg": {"type": "string"},
                        "type": {"type": "string"},
                    },
                    "required": ["loc", "msg", "type"],
                },
            }
        },
        "required": ["detail"],
    },
}

DESCRIPTIONS = {
    400: "The body is not a JSON object, or is nested too deeply.",
    401: "No valid credentials: send a valid bearer token.",
    403: "The caller's role or token scope may not use this operation.",
    404: "No such object, or not one the caller may see.",
    413: "The body is larger than the upload limit.",
    422: "A parameter or the body is refused; `loc` names the field.",
}


def _answer(status: int, component: str) -> dict:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def refusals_for(operation: dict) -> dict[int, dict]:
    """The shared refusals `operation` (an OpenAPI operation object) can answer."""
    parameters = operation.get("parameters") or []
    has_body = "requestBody" in operation
    answers: dict[int, dict] = {}
    if operation.get("security"):
        answers[401] = _answer(401, MESSAGE)
        answers[403] = _answer(403, MESSAGE)
    if any(p.get("in") == "path" for p in parameters):
        answers[404] = _answer(404, MESSAGE)
    if parameters or has_body:
        answers[422] = _answer(422, REFUSAL)
    if has_body:
        answers[400] = _answer(400, MESSAGE)
        answers[413] = _answer(413, MESSAGE)
    return answers


def document_refusals(schema: dict) -> dict:
    """Add the shared refusals to every operation of `schema` (in place, and returned)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        components.setdefault(name, component)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            documented = {int(code) for code in responses}
            for status, answer in refusals_for(operation).items():
                if status not in documented:
                    responses[status] = answer
    return schema
