"""Checking and normalising contact details (email, phone), shared by the patient record
and the consultation-request form."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

#: Phone numbers without a country code are read as numbers in this region.
DEFAULT_PHONE_REGION = "US"


def normalise_phone(raw: str, *, region: str = DEFAULT_PHONE_REGION) -> str:
    """The number in E.164 (``+12025550143``); ValueError with a readable message if it is
    not a valid phone number."""
    text = (raw or "").strip()
    if not text:
        raise ValueError("Enter a phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError(
            "Enter a valid phone number, e.g. (202) 555-0143 or +44 20 7946 0958."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Enter a valid phone number, e.g. (202) 555-0143 or +44 20 7946 0958.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_email(raw: str) -> str:
    """The trimmed email address; ValueError with a readable message if it is not valid."""
    text = (raw or "").strip()
    if not text:
        raise ValueError("Enter an email address.")
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError("Enter a valid email address, e.g. name@example.com.") from None
    return text
