"""Rows read by plain SQL on the hot paths (the API token check, the patient gate),
turned into what the model fields hold with exactly the converters the ORM applies
(SQLite's text date-times and 0/1 booleans, JSON). A `RawQuerySet` does the same but maps
the columns to the model afresh on every call, which cost more CPU than the query.

    converted_row(db, row, row_converters(db, key, fields)) -> list
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

#: Per database connection (each thread has its own), per query key: its converters.
_CONVERTERS: WeakKeyDictionary = WeakKeyDictionary()


def row_converters(db, key: str, fields) -> tuple:
    """(position, converters, column) of each of `fields` (None: a column read as it
    comes) whose value, read by plain SQL on connection `db`, needs converting; computed
    once per connection and `key` (the query the fields describe)."""
    by_key = _CONVERTERS.setdefault(db, {})
    if key not in by_key:
        found = []
        for position, field in enumerate(fields):
            if field is None:
                continue
            column = field.get_col(field.model._meta.db_table)
            converters = db.ops.get_db_converters(column) + column.get_db_converters(db)
            if converters:
                found.append((position, tuple(converters), column))
        by_key[key] = tuple(found)
    return by_key[key]


def converted_row(db, row, converters) -> list:
    """`row` with each value converted as `row_converters` says."""
    values = list(row)
    for position, functions, column in converters:
        value = values[position]
        for function in functions:
            value = function(value, column, db)
        values[position] = value
    return values
