"""`{% year_grid year %}`: the cells of the year at a glance (`diary.selectors.year_weeks`),
371 spans built in one pass in Python. The same markup as a template loop, which cost
the clinician's patient page about 50 ms a view (a `date` filter twice per cell, issue 20)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: The cell's title by kind of day.
KIND_WORDS = {"none": "not recorded", "clear": "no headache"}


def _cell(cell) -> str:
    """One cell's markup. Nothing in it comes from a user: the kind is one of the
    selector's five words, the rest a date and fixed words, so no escaping is needed."""
    classes = f"year-cell y-{cell.kind}" + (" y-session" if cell.session else "")
    if cell.on is None:
        return f'<span class="{classes}"></span>'
    words = KIND_WORDS.get(cell.kind, f"{cell.kind} day")
    session = ", treatment session" if cell.session else ""
    title = f"{cell.on:%a} {cell.on.day} {cell.on:%b %Y}: {words}{session}"
    return f'<span class="{classes}" data-date="{cell.on.isoformat()}" title="{title}"></span>'


@register.simple_tag
def year_grid(year) -> SafeString:
    """The grid's cells, week after week (each week a column of 7, Monday first)."""
    return mark_safe("".join(_cell(cell) for week in year.weeks for cell in week))  # noqa: S308
