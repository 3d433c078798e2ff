"""The one refusal type of Cadence's services, and how it is shown.

A service refuses with Django's ``ValidationError``, naming the field where there is one
and giving a code (``refusal("lot", "Enter the lot number.", code="required")``). Pages
put each message on its form field (`add_validation_errors`); the API answers it through
the one handler in ``config/api.py`` (`api_refusal`): 422 in django-ninja's detail-list
shape, or the status a code stands for (`CODE_STATUS`: 409 for a conflict, 429 for too
many requests). Shared by every app, so that a refusal reads the same everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from ninja import Schema
from ninja.errors import ValidationError as QueryRefusal
from pydantic import BeforeValidator, Field

#: The thing asked for collides with one that exists (a clinician or patient already booked).
CONFLICT = "conflict"
#: Too many requests from one address in the window.
RATE_LIMITED = "rate_limited"
#: The HTTP status of a refusal by its code; any other code answers 422.
CODE_STATUS = {CONFLICT: 409, RATE_LIMITED: 429}
#: The `type` of a refusal raised without a code.
DEFAULT_CODE = "value_error"
#: A date outside the plausible window (before birth, 0001-01-01, 9999-12-31).
IMPLAUSIBLE_DATE = "implausible_date"


class RefusalOut(Schema):
    """A refusal as the API answers it (422, 409 or 429): ninja's validation shape,
    ``{"detail": [{"loc": [...], "msg": ..., "type": code}]}``."""

    detail: list[dict]


def refusal(field: str | None, message: str, *, code: str) -> ValidationError:
    """A refusal naming `field` (None: the input as a whole) with its `code`.

    ``ValidationError({field: message}, code=...)`` would drop the code, so the message is
    wrapped first."""
    error = ValidationError(message, code=code)
    return error if field is None else ValidationError({field: error})


def refusals(problems: Iterable[tuple[str | None, str, str]]) -> ValidationError:
    """One refusal of several problems, each (field or None, message, code)."""
    by_field: dict[str, list[ValidationError]] = {}
    for field, message, code in problems:
        by_field.setdefault(field or NON_FIELD_ERRORS, []).append(
            ValidationError(message, code=code)
        )
    return ValidationError(by_field)


def _a_number_not_a_boolean(value):
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _a_date_not_a_number(value):
    if isinstance(value, (int, float)):
        raise ValueError("must be a date written YYYY-MM-DD, not a number")
    return value


#: API schema types stricter than pydantic's lax mode (issue 21, finding 11): `true` is not
#: 1 hour, and `0` is not 1970-01-01.
Number = Annotated[float, BeforeValidator(_a_number_not_a_boolean)]


def bounded_integer(*, ge: int, le: int):
    """An integer from `ge` to `le` that is not `true` or `false` (documented as such)."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_a_number_not_a_boolean)]


IsoDate = Annotated[date, BeforeValidator(_a_date_not_a_number)]


def plausible_window(today: date | None = None) -> tuple[date, date]:
    """(earliest, latest) a date may be: settings CADENCE_EARLIEST_DATE and today plus
    CADENCE_MAX_YEARS_AHEAD years."""
    today = today or timezone.localdate()
    earliest = date.fromisoformat(str(settings.CADENCE_EARLIEST_DATE))
    years = settings.CADENCE_MAX_YEARS_AHEAD
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + years, day=28)
    return earliest, latest


def check_date(
    field: str,
    value: date | None,
    *,
    born_on: date | None = None,
    today: date | None = None,
) -> None:
    """Refuse (`IMPLAUSIBLE_DATE`, naming `field`) a date before the plausible window or
    the patient's birth (`born_on`), or more than the settings' years ahead. None passes."""
    if value is None:
        return
    earliest, latest = plausible_window(today)
    if born_on is not None and value < born_on:
        raise refusal(
            field,
            f"{value.isoformat()} is before the patient's date of birth ({born_on.isoformat()}).",
            code=IMPLAUSIBLE_DATE,
        )
    if value < earliest:
        raise refusal(
            field,
            f"{value.isoformat()} is too far in the past: dates start at {earliest.isoformat()}.",
            code=IMPLAUSIBLE_DATE,
        )
    if value > latest:
        raise refusal(
            field,
            f"{value.isoformat()} is too far ahead: dates go up to {latest.isoformat()}.",
            code=IMPLAUSIBLE_DATE,
        )


def plausible(value: date) -> bool:
    """Whether `value` is in the plausible window (for a page's query parameter, which
    falls back to its default when it is not, as when it is malformed)."""
    earliest, latest = plausible_window()
    return earliest <= value <= latest


def check_query_dates(**dates: date | None) -> None:
    """`check_date` for an API operation's query parameters: refused in ninja's own
    validation answer (422, located in the query)."""
    for name, value in dates.items():
        try:
            check_date(name, value)
        except ValidationError as exc:
            message = " ".join(m for _f, m, _c in refusal_items(exc))
            raise QueryRefusal(
                [{"loc": ["query", name], "msg": message, "type": IMPLAUSIBLE_DATE}]
            ) from None


def refusal_items(error: ValidationError) -> Iterator[tuple[str | None, str, str]]:
    """(field or None, message, code) for each message of the refusal."""
    if hasattr(error, "error_dict"):
        groups = error.error_dict.items()
    else:
        groups = [(None, error.error_list)]
    for field, errors in groups:
        name = None if field == NON_FIELD_ERRORS else field
        for item in errors:
            for message in item.messages:
                yield name, message, item.code or DEFAULT_CODE


def refusal_codes(error: ValidationError) -> set[str]:
    """The codes of every message of the refusal."""
    return {code for _field, _message, code in refusal_items(error)}


def refusal_text(error: ValidationError) -> str:
    """The messages as one sentence-separated line (for a flash message)."""
    return " ".join(message for _field, message, _code in refusal_items(error))


def add_validation_errors(form, error: ValidationError) -> None:
    """Put each message on its field (or on the form when no field of it is named).
    A form may narrow the fields that show errors with a `problem_fields` set."""
    fields = getattr(form, "problem_fields", form.fields)
    for field, message, _code in refusal_items(error):
        form.add_error(field if field in fields else None, message)


def _field_loc(field: str) -> list[str | int]:
    """`acute_medications[0].name` -> ["acute_medications", 0, "name"]."""
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", field)]


def api_refusal(error: ValidationError, *, path_params=()) -> tuple[int, dict]:
    """The API's answer to a refusal: (status, body) with the body in django-ninja's own
    validation shape, ``{"detail": [{"loc", "msg", "type"}]}``. A field that names a path
    parameter is located in the path, any other in the body (`payload`); `type` is the
    code. The status is 409 or 429 when a code says so (`CODE_STATUS`), else 422."""
    detail = []
    status = 422
    for field, message, code in refusal_items(error):
        parts = _field_loc(field) if field else []
        where = ["path"] if parts and parts[0] in path_params else ["body", "payload"]
        loc = [*where, *parts]
        detail.append({"loc": loc, "msg": message, "type": code})
        status = CODE_STATUS.get(code, status)
    return status, {"detail": detail}
