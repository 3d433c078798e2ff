"""`{% load questionnaire_change %}` then `{{ change.points|points }}`: a change in
questionnaire points as people write it ("+1 point", "-14 points", "0 points")."""

from django import template

register = template.Library()


@register.filter
def points(value: int | None) -> str:
    if value is None:
        return ""
    value = int(value)
    unit = "point" if abs(value) == 1 else "points"
    return f"{value:+d} {unit}" if value else f"0 {unit}"
