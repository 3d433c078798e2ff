"""Forms of the scheduling pages (parse and validate input; services decide)."""

from __future__ import annotations

from django import forms

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.scheduling.models import AppointmentKind, Weekday


def clinician_choices():
    return User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class BookingForm(forms.Form):
    kind = forms.ChoiceField(label="Appointment type", choices=AppointmentKind.choices)
    clinician = ClinicianChoiceField(queryset=User.objects.none(), empty_label=None)
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        help_text="Clinic time. The free times of the chosen day are listed above.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        required=False,
        min_value=5,
        max_value=240,
        help_text="Leave empty for the usual length: consultation 45, treatment session 15, follow-up 20.",
    )
    override_reason = forms.CharField(
        label="Reason to book before the earliest date (clinicians only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="For example: documented wearing-off in weeks 9-12. Leave empty otherwise.",
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, can_override: bool = False, free_times_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinician_choices()
        if not can_override:
            del self.fields["override_reason"]
        if free_times_url:
            # Choosing another type, clinician or date reloads only the free times (htmx);
            # without JavaScript the "Show free times" button does it.
            for name in ("kind", "clinician", "day"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": free_times_url,
                        "hx-trigger": "change",
                        "hx-target": "#free-times",
                        "hx-swap": "outerHTML",
                        "hx-include": "#id_kind, #id_clinician, #id_day",
                    }
                )


class MoveForm(forms.Form):
    day = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="New start time",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    override_reason = forms.CharField(
        label="Reason to move before the earliest date (clinicians only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", required=False, max_length=200)


class ReminderPreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label="Send me reminders by email", required=False)
    sms_enabled = forms.BooleanField(label="Send me reminders by text message", required=False)


class WorkingHoursForm(forms.Form):
    clinician = ClinicianChoiceField(queryset=User.objects.none(), empty_label=None)
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(
        label="From", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label="To", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, clinicians=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = (
            clinicians if clinicians is not None else clinician_choices()
        )
