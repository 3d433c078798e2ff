"""Reading an uploaded Bundle with a size limit.

Uses ``cadence.security.uploads.check_upload`` (size and declared type, limits from
settings) when the security app provides it, and a local 5 MB check on the bytes
actually read either way.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

#: Largest Bundle accepted for import (unless settings.CADENCE_MAX_UPLOAD_BYTES is lower).
MAX_BUNDLE_BYTES = 5 * 1024 * 1024
BUNDLE_CONTENT_TYPES = ("application/fhir+json", "application/json")


class UploadRefused(Exception):
    def __init__(self, message: str, status: int = 413) -> None:
        super().__init__(message)
        self.status = status


def max_bundle_bytes() -> int:
    return min(MAX_BUNDLE_BYTES, getattr(settings, "CADENCE_MAX_UPLOAD_BYTES", MAX_BUNDLE_BYTES))


def check_bundle_upload(size: int | None, content_type: str | None) -> None:
    """Size and type check before reading; raises UploadRefused."""
    limit = max_bundle_bytes()
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in BUNDLE_CONTENT_TYPES:
        raise UploadRefused("Send the Bundle as application/fhir+json.", 415)
    if size is not None and size > limit:
        raise UploadRefused(f"The Bundle is larger than the limit of {limit} bytes.", 413)
    if not size:
        raise UploadRefused("The body is empty: send a FHIR Bundle.", 400)
    try:
        from cadence.security.uploads import UploadRejected, check_upload
    except ImportError:
        return
    try:
        check_upload(size, media_type, allowed=BUNDLE_CONTENT_TYPES)
    except UploadRejected as exc:
        raise UploadRefused(str(exc), 413 if size > limit else 400) from None


def read_upload(request) -> bytes:
    """The request body, or UploadRefused (413 too large, 415 wrong type, 400 empty)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    check_bundle_upload(declared, request.content_type)
    try:
        body = request.body
    except RequestDataTooBig:
        raise UploadRefused(
            f"The Bundle is larger than the limit of {max_bundle_bytes()} bytes."
        ) from None
    if len(body) > max_bundle_bytes():
        raise UploadRefused(f"The Bundle is larger than the limit of {max_bundle_bytes()} bytes.")
    return body
