"""What each API token scope may reach (issue 21). Plain rules on the method and path,
checked for every bearer request by `cadence.accounts.api_auth.ApiTokenGate` before any
view runs:

- ``full``: everything the user's role may do;
- ``read``: safe methods only (GET, HEAD, OPTIONS), anywhere the role may read;
- ``diary``: a patient's phone app: the diary days, questionnaires, side-effect reports,
  attacks and the trigger list of the JSON API (and ``/me``);
- ``export``: FHIR reads and Bulk Data ``$export`` (kick-off, status, files, cancel).

The role checks of each operation still apply on top of the scope.
"""

from __future__ import annotations

import re

from cadence.accounts.models import TokenScope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_EVERY_SCOPE = (re.compile(r"^/api/v1/me$"),)
_DIARY_PATHS = (
    re.compile(r"^/api/v1/diary/triggers$"),
    re.compile(r"^/api/v1/patients/\d+/diary(/[0-9-]+)?$"),
    re.compile(r"^/api/v1/patients/\d+/questionnaires$"),
    re.compile(r"^/api/v1/patients/\d+/side-effects$"),
    re.compile(r"^/api/v1/patients/\d+/attacks/(open|start|end)$"),
)
_FHIR = re.compile(r"^/fhir/r4(/|$)")
_BULK_JOB = re.compile(r"^/fhir/r4/bulk/[^/]+/?$")

SCOPE_REFUSALS = {
    TokenScope.READ: "This API token is read-only: it may not change anything.",
    TokenScope.DIARY: (
        "This API token is for the diary app: it reaches only diary days, questionnaires "
        "and side-effect reports."
    ),
    TokenScope.EXPORT: "This API token is for exports: it reaches only FHIR reads and $export.",
}


def scope_allows(scope: str, method: str, path: str) -> bool:
    method = method.upper()
    if scope == TokenScope.FULL:
        return True
    if scope not in TokenScope.values:
        return False
    if any(p.match(path) for p in _EVERY_SCOPE) and method in SAFE_METHODS:
        return True
    if scope == TokenScope.READ:
        return method in SAFE_METHODS
    if scope == TokenScope.DIARY:
        return method in SAFE_METHODS | {"POST", "PUT"} and any(p.match(path) for p in _DIARY_PATHS)
    if scope == TokenScope.EXPORT:
        if not _FHIR.match(path):
            return False
        return method in SAFE_METHODS or (method == "DELETE" and bool(_BULK_JOB.match(path)))
    return False


def scope_refusal(scope: str) -> str:
    return SCOPE_REFUSALS.get(scope, "This API token's scope does not allow this request.")
