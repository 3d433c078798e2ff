"""Request and response controls of every dynamic route (issue 21, findings 3 and 5).

- ``ApiBodyLimits``: on API routes (``/api/``, ``/fhir/``) a body over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (5 MB) answers JSON 413, and a JSON body nested deeper
  than ``CADENCE_MAX_JSON_DEPTH`` answers JSON 400, both before anything parses it (a
  parser's recursion on 200 KB of ``[`` used to answer 500); a JSON body with a NUL
  character (raw or ``\\u0000``) answers 422.
- ``NoStore``: every response that reaches Django (pages, API answers, exports, PDFs,
  calendar feeds) carries ``Cache-Control: no-store``. Static files are answered by
  WhiteNoise, above this middleware, and keep their long-lived caching.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

API_PREFIXES = ("/api/", "/fhir/")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: A JSON string (skipped whole, so brackets inside strings don't count) or a bracket.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether `body` (JSON text, not parsed) nests arrays/objects deeper than `limit`."""
    depth = 0
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def _too_large() -> JsonResponse:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return JsonResponse({"detail": f"The request body is larger than {limit_mb} MB."}, status=413)


class ApiBodyLimits:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and request.path.startswith(API_PREFIXES):
            refused = self._refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def _refusal(request):
        content_type = request.content_type or ""
        if content_type.startswith("multipart/"):
            return None  # uploads: Django's own limits and check_upload
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _too_large()
        if "json" not in content_type:
            return None
        try:
            body = request.body  # read once; Django keeps it for the view
        except RequestDataTooBig:
            return _too_large()
        if b"\x00" in body or re.search(rb"(?<!\\)(?:\\\\)*\\u0000", body):
            # NUL in text: PostgreSQL cannot store it and no clinic text needs it.
            return JsonResponse(
                {
                    "detail": [
                        {
                            "loc": ["body"],
                            "msg": "Text may not contain NUL characters (\\u0000).",
                            "type": "nul_character",
                        }
                    ]
                },
                status=422,
            )
        if json_depth_exceeds(body, settings.CADENCE_MAX_JSON_DEPTH):
            return JsonResponse(
                {
                    "detail": "The JSON body is nested more than "
                    f"{settings.CADENCE_MAX_JSON_DEPTH} levels deep."
                },
                status=400,
            )
        return None


class NoStore:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
