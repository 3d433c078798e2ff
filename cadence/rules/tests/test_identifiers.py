"""The NPI check digit (Luhn over the prefix 80840 and the first nine digits)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.identifiers import npi_check_digit, npi_is_valid, npi_problem


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1234567893", True),  # the CMS worked example
        ("1245319599", True),
        ("1000000004", True),
        ("2000000002", True),
        ("1234567890", False),  # wrong check digit
        ("1234567894", False),
        ("123456789", False),  # nine digits
        ("12345678930", False),  # eleven
        ("123456789X", False),
        ("1234 56789", False),
        ("", False),
        ("3234567899", False),  # does not start with 1 or 2
        ("１２３４５６７８９３", False),  # full-width digits are not ASCII digits
    ],
)
def test_npi_validity(value, valid):
    assert npi_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("12345", "this one has 5"),
        ("12345-6789", "no letters, spaces or dashes"),
        ("1234567890", "does not match the check digit"),
        ("9234567890", "starts with 1 or 2"),
    ],
)
def test_npi_problem_is_a_whole_sentence(value, words):
    problem = npi_problem(value)
    assert words in problem
    assert problem[0].isupper() and problem.endswith(".")


def test_check_digit_of_the_worked_example():
    assert npi_check_digit("123456789") == 3


def test_check_digit_needs_nine_digits():
    with pytest.raises(ValueError):
        npi_check_digit("12345678")


@given(st.sampled_from("12"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_computed_npi_is_valid_and_every_other_last_digit_is_not(first, middle):
    nine = first + middle
    good = npi_check_digit(nine)
    assert npi_is_valid(f"{nine}{good}")
    for other in set(range(10)) - {good}:
        assert not npi_is_valid(f"{nine}{other}")
