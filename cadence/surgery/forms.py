"""Forms of the surgery pages (the services validate; the forms parse)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cadence.rules.surgery import TRIGGER_SITES
from cadence.surgery.models import ANSWER_CHOICES, TRIGGER_SITE_CHOICES, BlockSide

NERVE_CHOICES = [
    (nerve, f"{nerve} ({spec.label})") for spec in TRIGGER_SITES.values() for nerve in spec.nerves
]


class WorkupForm(forms.Form):
    trigger_site = forms.ChoiceField(
        choices=TRIGGER_SITE_CHOICES, label="Trigger site under evaluation"
    )
    pain_point = forms.ChoiceField(
        choices=ANSWER_CHOICES,
        label="Can the patient show the pain with one finger at this site?",
        initial="unknown",
    )
    appropriate_symptoms = forms.ChoiceField(
        choices=ANSWER_CHOICES, label="Are the symptoms those of this site?", initial="unknown"
    )
    symptoms = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Symptoms",
        help_text="In the patient's words, e.g. pain starts behind the left ear and spreads.",
    )
    attack_start = forms.CharField(
        required=False,
        max_length=200,
        label="Where an attack starts",
        help_text="As the patient shows it at the work-up.",
    )


class DiagnosticTargetForm(forms.Form):
    trigger_site = forms.ChoiceField(choices=TRIGGER_SITE_CHOICES, label="Trigger site")
    side = forms.ChoiceField(choices=BlockSide.choices, label="Side", initial="both")


class NerveBlockForm(forms.Form):
    performed_on = forms.DateField(
        label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    trigger_site = forms.ChoiceField(choices=TRIGGER_SITE_CHOICES, label="Trigger site")
    nerve = forms.ChoiceField(
        choices=[("", "The site's main nerve")] + NERVE_CHOICES, required=False, label="Nerve"
    )
    side = forms.ChoiceField(choices=BlockSide.choices, label="Side")
    agent = forms.CharField(max_length=120, label="Agent", help_text="e.g. lidocaine 1%")
    volume_ml = forms.DecimalField(label="Volume (mL)", min_value=0, max_digits=5, decimal_places=2)
    dose_mg = forms.DecimalField(
        label="Dose (mg)", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    diagnostic = forms.BooleanField(
        required=False, initial=True, label="Diagnostic block (its response counts for surgery)"
    )
    consent_obtained = forms.BooleanField(required=False, label="Consent obtained")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OperationForm(forms.Form):
    performed_on = forms.DateField(
        label="Date of the operation", widget=forms.DateInput(attrs={"type": "date"})
    )
    surgeon = forms.CharField(max_length=120, label="Surgeon")
    sites = forms.MultipleChoiceField(
        choices=[
            (f"{code}:{side}", f"{label}, {side_label.lower()}")
            for code, label in TRIGGER_SITE_CHOICES
            for side, side_label in BlockSide.choices
        ],
        widget=forms.CheckboxSelectMultiple,
        label="Trigger sites deactivated",
    )
    technique = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Technique"
    )

    def site_pairs(self) -> list[tuple[str, str]]:
        return [tuple(value.split(":", 1)) for value in self.cleaned_data["sites"]]


class NerveBlockAmendForm(forms.Form):
    """Amend a signed note: the fields that may change, and the reason (required)."""

    agent = forms.CharField(max_length=120, label="Agent", help_text="e.g. lidocaine 1%")
    volume_ml = forms.DecimalField(label="Volume (mL)", min_value=0, max_digits=5, decimal_places=2)
    dose_mg = forms.DecimalField(
        label="Dose (mg)",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text="Leave empty to keep the dose as recorded.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: why the signed note is changed.",
    )


class NerveBlockVoidForm(forms.Form):
    reason = forms.CharField(
        label="Reason for voiding",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: recorded for the wrong patient, or the block was not given.",
    )
