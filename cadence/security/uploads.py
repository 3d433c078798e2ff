"""Checks for uploaded or imported files (FHIR bundles, CSV): declared type and size.

    from cadence.security.uploads import check_upload
    check_upload(upload.size, upload.content_type)   # raises ValidationError

Call it before reading the file's contents. Limits come from settings
(`CADENCE_MAX_UPLOAD_BYTES`, `CADENCE_UPLOAD_CONTENT_TYPES`) unless the caller narrows
them. A refusal is Django's ``ValidationError`` with one of the codes below, so that an
endpoint can answer it with its own status (415, 413, 400).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError

#: A type Cadence does not import.
UNSUPPORTED_TYPE = "unsupported_type"
#: Larger than the limit.
TOO_LARGE = "too_large"
#: Nothing to read.
EMPTY = "empty"


def upload_limit(limit: int | None = None) -> int:
    """The size limit in bytes: `limit` when it is lower than the setting."""
    configured = settings.CADENCE_MAX_UPLOAD_BYTES
    return configured if limit is None else min(limit, configured)


def check_upload(
    size: int | None,
    content_type: str | None,
    *,
    allowed: Iterable[str] | None = None,
    limit: int | None = None,
) -> None:
    """Refuse a file of a type not `allowed` (default: the setting), larger than the limit
    (`upload_limit(limit)`) or empty, in that order."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    allowed_types = tuple(allowed) if allowed is not None else settings.CADENCE_UPLOAD_CONTENT_TYPES
    if media_type not in allowed_types:
        raise ValidationError(
            f"Files of type {media_type or 'unknown'!r} cannot be imported; "
            f"use one of: {', '.join(allowed_types)}.",
            code=UNSUPPORTED_TYPE,
        )
    largest = upload_limit(limit)
    if size is not None and size > largest:
        raise ValidationError(
            f"The file is too large ({size} bytes; the limit is {largest} bytes).",
            code=TOO_LARGE,
        )
    if not size:
        raise ValidationError("The file is empty.", code=EMPTY)
