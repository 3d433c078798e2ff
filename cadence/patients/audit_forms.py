from django import forms

from cadence.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    patient = forms.IntegerField(
        required=False, min_value=1, label="Patient id", help_text="The patient's record number."
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
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must not be before the start date.")
        return cleaned
