"""Forms of the treatments pages (thin: they parse, services decide)."""

from __future__ import annotations

from django import forms
from django.utils import timezone


class VialReceiveForm(forms.Form):
    lot = forms.CharField(label="Lot number", max_length=40)
    expires_on = forms.DateField(
        label="Expiry date", widget=forms.DateInput(attrs={"type": "date"})
    )
    size_units = forms.TypedChoiceField(
        label="Vial size", choices=[(100, "100 U"), (200, "200 U")], coerce=int
    )
    quantity = forms.IntegerField(label="Number of vials", min_value=1, max_value=1000, initial=1)


class PlanConsentForm(forms.Form):
    consent_given_by = forms.CharField(
        label="Consent given by",
        max_length=120,
        initial="Patient",
        help_text="The patient, or the name and role of their representative.",
    )
    reviewed = forms.BooleanField(
        label="I reviewed the plan, the aftercare and the expected course with the patient",
    )


class OtherToxinTreatmentForm(forms.Form):
    given_on = forms.DateField(label="Given on", widget=forms.DateInput(attrs={"type": "date"}))
    units = forms.DecimalField(label="Units", min_value=0.1, max_digits=6, decimal_places=1)
    indication = forms.CharField(
        label="Indication", max_length=120, help_text="e.g. spasticity, cervical dystonia"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


#: The per-site vial choice's field name prefix (``lot_for_<site code>``).
LOT_FOR = "lot_for_"


class ProcedureForm(forms.Form):
    """The procedure note. Per-site units are added as `units_<code>` fields by the view."""

    performed_on = forms.DateField(
        label="Date performed", widget=forms.DateInput(attrs={"type": "date"})
    )
    performed_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    vial_lots = forms.CharField(
        label="Vial lots opened",
        max_length=400,
        help_text="One lot number per vial opened, separated by commas (repeat a lot for two of its vials).",
    )
    immediate_reactions = forms.CharField(
        label="Immediate reactions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty if none.",
    )
    aftercare_given = forms.CharField(
        label="Aftercare given", widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label="Outside protocol: reason",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the session goes ahead despite a warning, an infection at a site "
        "or before the earliest re-treatment date. It stays on the note. It never lifts the "
        "dose limits.",
    )
    consent_obtained = forms.BooleanField(
        label="The patient's consent was obtained for this session"
    )
    confirm_second_session = forms.BooleanField(
        label="Yes, this is a second session on the same day",
        required=False,
        help_text="Shown only when this plan already has a procedure on the day.",
    )

    co_signer = forms.ModelChoiceField(
        label="Co-signer (optional)",
        queryset=None,
        required=False,
        empty_label="Nobody: I sign the note myself",
        help_text="Another clinician who may sign this note in your place. Nobody else can sign it.",
    )

    def __init__(self, *args, sites=(), lots=(), co_signers=None, **kwargs):
        """``lots``: the distinct lots of the vials opened; with more than one, each site
        gets a ``lot_for_<code>`` choice: which vial its dose came from (issue 17).
        ``co_signers``: the clinicians the performer may name as co-signer."""
        super().__init__(*args, **kwargs)
        self.fields["co_signer"].queryset = co_signers
        self.fields["co_signer"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )
        self.site_fields = []
        self.lot_choices = list(dict.fromkeys(lots))
        for site, units in sites:
            name = f"units_{site.code}"
            self.fields[name] = forms.DecimalField(
                label=site.label,
                initial=units,
                min_value=0,
                max_digits=5,
                decimal_places=1,
                required=False,
                help_text="0 or empty if not injected",
            )
            self.site_fields.append((site, name))
            if len(self.lot_choices) > 1:
                self.fields[f"{LOT_FOR}{site.code}"] = forms.ChoiceField(
                    label=f"Vial for {site.label}",
                    choices=[("", "Not recorded")]
                    + [(lot, f"Lot {lot}") for lot in self.lot_choices],
                    required=False,
                    initial=self.lot_choices[0],
                    help_text="The vial (lot) this site's dose came from.",
                )

    @property
    def chooses_vials(self) -> bool:
        """Whether the form asks, per site, which vial the dose came from (more than one
        lot opened)."""
        return len(self.lot_choices) > 1

    def site_rows(self) -> list:
        """(units field, vial field or None) per site, for the template."""
        rows = []
        for site, name in self.site_fields:
            lot_name = f"{LOT_FOR}{site.code}"
            rows.append((self[name], self[lot_name] if lot_name in self.fields else None))
        return rows

    def clean_performed_on(self):
        value = self.cleaned_data["performed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date can't be in the future.")
        return value

    def lots(self) -> list[str]:
        return [lot.strip() for lot in self.cleaned_data["vial_lots"].split(",") if lot.strip()]

    def injections(self) -> list[tuple[str, object, str | None]]:
        """(site code, units, vial lot or None) for each site injected."""
        result = []
        for site, name in self.site_fields:
            units = self.cleaned_data.get(name)
            if units:
                result.append(
                    (site.code, units, self.cleaned_data.get(f"{LOT_FOR}{site.code}") or None)
                )
        return result


class ProcedureAmendForm(forms.Form):
    immediate_reactions = forms.CharField(
        label="Immediate reactions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    aftercare_given = forms.CharField(
        label="Aftercare given", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Reason for the amendment",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: why the signed note is changed.",
    )


class ProcedureVoidForm(forms.Form):
    reason = forms.CharField(
        label="Reason for voiding",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: recorded for the wrong patient, or the session did not happen.",
    )
