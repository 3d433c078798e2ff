"""The candidacy decision form (the decision is a patients record)."""

from __future__ import annotations

from django import forms

from cadence.patients.models import CandidacyDecision


class CandidacyDecisionForm(forms.ModelForm):
    class Meta:
        model = CandidacyDecision
        fields = ["decision", "note", "age_override_reason"]
        widgets = {
            "decision": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
            "age_override_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"age_override_reason": "Off-label age override: reason"}
