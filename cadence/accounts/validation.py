"""Turning a service's ValidationError into what a person or an API client sees: errors on
the form's fields (pages), or a 422 in django-ninja's detail-list shape naming each field
(API). Shared by every app, so that a refusal reads the same everywhere."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Status


def add_validation_errors(form, error: ValidationError) -> None:
    """Put each message on its field (or on the form when no field of it is named)."""
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def unprocessable(error: ValidationError) -> Status:
    """422 in ninja's detail-list shape, naming each body field."""
    detail = [
        {"type": "value_error", "loc": ["body", "payload", field], "msg": message}
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return Status(422, {"detail": detail})
