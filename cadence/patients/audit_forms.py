from django import forms
from django.core.exceptions import ValidationError

from cadence.accounts.validation import check_date, refusal_items
from cadence.audit.models import AuditAction

#: The largest id a database integer holds (a larger one would overflow the query).
MAX_ID = 2**63 - 1


class AuditFilterForm(forms.Form):
    patient = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        label="Patient number",
        help_text="The patient's record number.",
    )
    patient_name = forms.CharField(
        required=False,
        max_length=150,
        label="Patient name",
        help_text="Part of the first or last name (each word must match).",
    )
    user = forms.CharField(required=False, max_length=150, label="Username")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(required=False, choices=[("", "Any")] + list(AuditAction.choices))

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            try:
                check_date(name, cleaned.get(name))
            except ValidationError as exc:
                for _field, message, _code in refusal_items(exc):
                    self.add_error(name, message)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must not be before the start date.")
        return cleaned
