"""`{% load phone %}` then `{{ number|tel_href }}`: a ``tel:`` link of a phone number;
`{{ number|phone }}`: the number formatted for reading."""

from django import template

from cadence.accounts.clinic import format_phone
from cadence.accounts.clinic import tel_href as _tel_href

register = template.Library()


@register.filter
def tel_href(number: str) -> str:
    return _tel_href(number or "")


@register.filter
def phone(number: str) -> str:
    """A phone number as people read it (phonenumbers): national form for the clinic's
    region (`CADENCE_PHONE_REGION`, default "US"), international otherwise; a number it
    cannot read is shown as written."""
    return format_phone(number or "")
