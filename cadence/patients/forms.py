"""Forms of the patient record. They only parse; the services check and save."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cadence.patients.contact import check_email, normalise_phone
from cadence.patients.models import (
    Diagnosis,
    HistoricalBaseline,
    MedicalHistory,
    Patient,
    PreventiveTrial,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            "referring_clinician",
            "referrer_practice",
            "referrer_address",
            "payer_profile",
            "payer_member_id",
        ]
        widgets = {
            "date_of_birth": DATE_INPUT,
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "referrer_address": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "phone": "With area code; numbers without a country code are read as US numbers."
        }

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        try:
            return normalise_phone(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_email(self):
        raw = self.cleaned_data.get("email", "")
        if not raw.strip():
            return ""
        try:
            return check_email(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class MedicalHistoryForm(forms.ModelForm):
    class Meta:
        model = MedicalHistory
        fields = [
            "headache_days_per_month",
            "migraine_days_per_month",
            "months_with_pattern",
            "medical_history",
            "current_medicines",
            "preventive_history_taken",
            "infection_at_site",
            "hypersensitivity",
            "neuromuscular_disease",
            "aminoglycosides",
            "swallowing_or_breathing_difficulty",
            "pregnant_or_breastfeeding",
            "medication_overuse",
        ]
        widgets = {
            name: forms.RadioSelect
            for name in (
                "infection_at_site",
                "hypersensitivity",
                "neuromuscular_disease",
                "aminoglycosides",
                "swallowing_or_breathing_difficulty",
                "pregnant_or_breastfeeding",
                "medication_overuse",
            )
        }

    def clean(self):
        data = super().clean()
        for name in ("headache_days_per_month", "migraine_days_per_month"):
            value = data.get(name)
            if value is not None and value > 31:
                self.add_error(name, "A month has at most 31 days.")
        return data


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = Diagnosis
        fields = ["icd10_code", "confirmed_by_neurologist", "neurologist", "confirmed_on"]
        widgets = {"confirmed_on": DATE_INPUT}
        labels = {"icd10_code": "ICD-10-CM code", "confirmed_on": "Confirmed on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Never pre-ticked: the clinician ticks it only when a neurologist confirmed it.
        if self.instance.pk is None:
            self.fields["confirmed_by_neurologist"].initial = False
        # A choice in words, not Django's "---------".
        codes = [c for c in self.fields["icd10_code"].choices if c[0] != ""]
        self.fields["icd10_code"].choices = [("", "Choose the diagnosis code"), *codes]


class PreventiveTrialForm(forms.ModelForm):
    class Meta:
        model = PreventiveTrial
        fields = [
            "drug",
            "drug_class",
            "dose",
            "daily_dose_mg",
            "start",
            "end",
            "duration_weeks",
            "outcome",
        ]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}
        labels = {
            "drug_class": "Class",
            "end": "End (blank if still taking it)",
            "daily_dose_mg": "Highest daily dose (mg)",
            "duration_weeks": "Weeks taken (when the dates do not say)",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date cannot be before the start date.")
        return data


class HistoricalBaselineForm(forms.ModelForm):
    class Meta:
        model = HistoricalBaseline
        fields = ["headache_days", "migraine_days", "source", "recorded_on"]
        widgets = {"recorded_on": DATE_INPUT}
        labels = {
            "headache_days": "Headache days per 28 days",
            "migraine_days": "Migraine days per 28 days",
            "recorded_on": "Recorded on",
        }
