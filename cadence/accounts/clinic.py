"""The clinic's own contact details and the one wording of the urgent side-effect advice,
for every template (the `clinic` context processor) and every message.

- `clinic_phone()`: `settings.CADENCE_CLINIC_PHONE` as people read it;
  `clinic_phone_href()`: the same as a `tel:` link (digits and a leading +).
- Templates get `clinic_phone`, `clinic_phone_href` and `urgent_advice_lines`
  (`cadence.rules.side_effects.URGENT_ADVICE_LINES`, shown by `_urgent_advice.html`).
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings

from cadence.rules.side_effects import URGENT_ADVICE_LINES


def clinic_phone() -> str:
    return getattr(settings, "CADENCE_CLINIC_PHONE", "").strip()


def tel_href(number: str) -> str:
    """``tel:`` link of a phone number written with spaces, dashes or brackets."""
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits[0]}{digits[1:].replace('+', '')}" if digits else ""


def format_phone(number: str) -> str:
    """A phone number as people read it: national form in the clinic's region
    (`settings.CADENCE_PHONE_REGION`, default "US"), international form otherwise; a
    number that does not parse is returned as written."""
    number = (number or "").strip()
    if not number:
        return ""
    region = getattr(settings, "CADENCE_PHONE_REGION", "US")
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    same_region = phonenumbers.region_code_for_number(parsed) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def clinic_phone_href() -> str:
    return tel_href(clinic_phone())


def clinic(request):
    return {
        "clinic_phone": clinic_phone(),
        "clinic_phone_href": clinic_phone_href(),
        "urgent_advice_lines": URGENT_ADVICE_LINES,
    }
