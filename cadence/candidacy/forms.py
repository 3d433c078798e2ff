"""The candidacy decision form (the decision is a patients record)."""

from __future__ import annotations

from django import forms

from cadence.patients.models import CandidacyDecision


class CandidacyDecisionForm(forms.ModelForm):
    class Meta:
        model = CandidacyDecision
        fields = ["decision", "note", "override_reason"]
        widgets = {
            "decision": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
            "override_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "override_reason": "Outside protocol: reason (needed for Botox when candidacy is "
            "not met or the patient is under 18)",
        }
