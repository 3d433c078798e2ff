"""Forms of the intake pages. They parse and show messages; the services decide."""

from __future__ import annotations

from django import forms

from cadence.intake.models import PreferredContact, RequestStatus
from cadence.intake.services import consultation_request_problems
from cadence.patients.models import Sex
from cadence.rules.questionnaires import MIDAS_MAX_SCORE
from cadence.rules.self_check import (
    MAX_AGE,
    MAX_DAYS_PER_MONTH,
    MAX_MONTHS,
    MAX_PREVENTIVE_CLASSES,
    RED_FLAG_QUESTIONS,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelfCheckForm(forms.Form):
    age = forms.IntegerField(
        label="How old are you?",
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter your age in years."},
    )
    red_flags = forms.MultipleChoiceField(
        label="Do any of these apply to you? Tick any that do.",
        required=False,
        choices=[(flag.value, question) for flag, question in RED_FLAG_QUESTIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="If none of them applies, leave them all unticked.",
    )
    headache_days_per_month = forms.IntegerField(
        label="On how many days a month do you have a headache?",
        min_value=0,
        max_value=MAX_DAYS_PER_MONTH,
        help_text="Count every day with a headache, mild or bad. A rough average is fine.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    months_with_pattern = forms.IntegerField(
        label="For how many months has it been like this?",
        min_value=0,
        max_value=MAX_MONTHS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    migraine_feature_days = forms.IntegerField(
        label="On how many of those days does the headache have migraine features?",
        min_value=0,
        max_value=MAX_DAYS_PER_MONTH,
        help_text=(
            "Migraine features: pain on one side, throbbing, moderate or severe, worse when you "
            "move about; or feeling sick, or being bothered by both light and noise."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    preventive_classes_tried = forms.IntegerField(
        label="How many kinds of daily preventive medicine have you tried?",
        min_value=0,
        max_value=MAX_PREVENTIVE_CLASSES,
        help_text=(
            "For example topiramate, propranolol, amitriptyline, venlafaxine, candesartan or "
            "flunarizine. Count the kinds, not the doses. Painkillers taken during a headache "
            "do not count."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    midas_score = forms.IntegerField(
        label="Your MIDAS score, if you know it (optional)",
        required=False,
        min_value=0,
        max_value=MIDAS_MAX_SCORE,
        help_text="MIDAS adds up the days in the last 3 months that headaches stopped you doing things.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        days, migraine_days = data.get("headache_days_per_month"), data.get("migraine_feature_days")
        if days is not None and migraine_days is not None and migraine_days > days:
            self.add_error(
                "migraine_feature_days",
                "Days with migraine features are part of your headache days, so they cannot be more.",
            )
        return data


class ConsultationRequestForm(forms.Form):
    first_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter your first name."}
    )
    last_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter your last name."}
    )
    email = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter an email address."},
    )
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="With the area code. Numbers without a country code are read as US numbers.",
        error_messages={"required": "Enter a phone number."},
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    preferred_contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=PreferredContact.choices,
        widget=forms.RadioSelect,
        initial=PreferredContact.PHONE,
        error_messages={"required": "Choose phone or email."},
    )
    message = forms.CharField(
        label="Anything you would like us to know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please do not send urgent medical questions here.",
    )
    consent_to_contact = forms.BooleanField(
        label="I agree that the clinic may contact me about this request.",
        required=False,
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    self_check_summary = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        """Show every problem at once: the service's checks run even when a required field
        is missing (the service checks again when saving)."""
        data = super().clean()
        problems, _cleaned = consultation_request_problems(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            date_of_birth=data.get("date_of_birth"),
            preferred_contact=data.get("preferred_contact", ""),
            message=data.get("message", ""),
            consent_to_contact=bool(data.get("consent_to_contact")),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=RequestStatus.choices)
    reason = forms.CharField(
        label="Reason for closing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you close the request.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class ConvertForm(forms.Form):
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=DATE_INPUT,
        help_text="Only needed when the request has none.",
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
