"""The one neutraliser of CSV cells (OWASP "CSV injection"), used by every CSV export:
the lot recall, the outcomes table, the diary, the audit log.

A text cell that a spreadsheet would read as a formula or a command - one that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return - is written with a leading
apostrophe, so it shows as text (``=HYPERLINK(...)`` as a lot number, a note, a name).
Numbers, dates and booleans are not text and pass through (a negative number is a
number); ``None`` is an empty cell.
"""

from __future__ import annotations

#: What a spreadsheet treats as the start of a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """`value` safe to write into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values) -> list:
    """Every cell of a row through `csv_cell`."""
    return [csv_cell(value) for value in values]
