"""Identifiers printed on letters and packets: the prescriber's NPI.

The National Provider Identifier (US, CMS) is 10 digits; the last is a Luhn check digit
computed over the card-issuer prefix ``80840`` followed by the first nine digits (CMS,
"Requirements for NPI check digit"). Pure Python, no Django.

Public API
----------
- ``NPI_LENGTH`` -- 10.
- ``npi_check_digit(first_nine)`` -- the check digit for nine digits.
- ``npi_is_valid(value)`` -- True for 10 digits whose last is the right check digit.
- ``npi_problem(value)`` -- ``None`` when valid, else a whole sentence saying what is wrong.
"""

from __future__ import annotations

__all__ = ["NPI_LENGTH", "NPI_PREFIX", "npi_check_digit", "npi_is_valid", "npi_problem"]

NPI_LENGTH = 10
#: The health-industry card-issuer prefix (ISO 7812) the NPI's Luhn check includes.
NPI_PREFIX = "80840"


def _luhn_check_digit(digits: str) -> int:
    """The Luhn check digit to append to ``digits``."""
    total = 0
    # From the right, every other digit (starting with the rightmost) is doubled.
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_check_digit(first_nine: str) -> int:
    if len(first_nine) != NPI_LENGTH - 1 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("an NPI's check digit is computed from exactly nine digits")
    return _luhn_check_digit(NPI_PREFIX + first_nine)


def npi_problem(value: str) -> str | None:
    """What is wrong with ``value`` as an NPI, as a sentence for the form; None if valid."""
    if not value.isascii() or not value.isdigit():
        return "An NPI is 10 digits, with no letters, spaces or dashes."
    if len(value) != NPI_LENGTH:
        return f"An NPI is 10 digits; this one has {len(value)}."
    if not value.startswith(("1", "2")):
        return "An NPI starts with 1 or 2; check the number on the NPPES registry."
    if npi_check_digit(value[:-1]) != int(value[-1]):
        return (
            "This is not a valid NPI: its last digit does not match the check digit. "
            "Check the number for a typing slip."
        )
    return None


def npi_is_valid(value: str) -> bool:
    return npi_problem(value) is None
