"""Reading an uploaded Bundle with a size limit.

The declared type and size are checked by ``cadence.security.uploads.check_upload`` (the
one upload check, with the Bundle's types and limit); the bytes actually read are
checked against the same limit. A refusal is a ``ValidationError`` whose code gives the
HTTP status (`REFUSAL_STATUS`).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, ValidationError

from cadence.security.uploads import EMPTY, TOO_LARGE, UNSUPPORTED_TYPE, check_upload, upload_limit

#: Largest Bundle accepted for import (unless settings.CADENCE_MAX_UPLOAD_BYTES is lower).
MAX_BUNDLE_BYTES = 5 * 1024 * 1024
BUNDLE_CONTENT_TYPES = ("application/fhir+json", "application/json")
#: The HTTP status of an upload refusal, by its code.
REFUSAL_STATUS = {UNSUPPORTED_TYPE: 415, TOO_LARGE: 413, EMPTY: 400}


def max_bundle_bytes() -> int:
    return upload_limit(MAX_BUNDLE_BYTES)


def _too_large() -> ValidationError:
    return ValidationError(
        f"The Bundle is larger than the limit of {max_bundle_bytes()} bytes.", code=TOO_LARGE
    )


def read_upload(request) -> bytes:
    """The request body; refused (ValidationError) when of the wrong type (415), too
    large (413) or empty (400)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    check_upload(
        declared, request.content_type, allowed=BUNDLE_CONTENT_TYPES, limit=MAX_BUNDLE_BYTES
    )
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large() from None
    if len(body) > max_bundle_bytes():
        raise _too_large()
    return body
