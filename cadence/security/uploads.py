"""Checks for uploaded or imported files (FHIR bundles, CSV): size and declared type.

    from cadence.security.uploads import UploadRejected, check_upload
    check_upload(upload.size, upload.content_type)   # raises UploadRejected

Call it before reading the file's contents. Limits come from settings
(`CADENCE_MAX_UPLOAD_BYTES`, `CADENCE_UPLOAD_CONTENT_TYPES`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings


class UploadRejected(ValueError):
    """The file is too large, empty, or of a type Cadence does not import."""


def check_upload(
    size: int | None, content_type: str | None, *, allowed: Iterable[str] | None = None
) -> None:
    limit = settings.CADENCE_MAX_UPLOAD_BYTES
    if size is None or size <= 0:
        raise UploadRejected("The file is empty.")
    if size > limit:
        raise UploadRejected(f"The file is too large ({size} bytes; the limit is {limit} bytes).")
    media_type = (content_type or "").split(";")[0].strip().lower()
    allowed_types = tuple(allowed) if allowed is not None else settings.CADENCE_UPLOAD_CONTENT_TYPES
    if media_type not in allowed_types:
        raise UploadRejected(
            f"Files of type {media_type or 'unknown'!r} cannot be imported; "
            f"use one of: {', '.join(allowed_types)}."
        )
