"""Forms of the outcomes app: the clinician's decision at a course review."""

from __future__ import annotations

from django import forms

from cadence.outcomes.models import CourseReviewChoice


class CourseReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=CourseReviewChoice.choices, widget=forms.RadioSelect, label="Decision"
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="Needed when the decision differs from the payer rule's recommendation.",
    )
