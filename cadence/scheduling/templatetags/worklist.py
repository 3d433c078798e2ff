"""Template filters of the worklists."""

from django import template

register = template.Library()


@register.filter
def for_patient(by_patient: dict, patient_id: int):
    """``{{ questionnaires_due|for_patient:e.patient.pk }}``: that patient's entry."""
    return (by_patient or {}).get(patient_id, [])
