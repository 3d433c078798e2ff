"""Forms of the administrator's users page."""

from __future__ import annotations

from django import forms

from cadence.accounts.services import STAFF_ROLES

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in STAFF_ROLES]


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    email = forms.EmailField(label="E-mail address")
    first_name = forms.CharField(max_length=150, required=False, label="First name")
    last_name = forms.CharField(max_length=150, required=False, label="Last name")
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES, label="Role")


class PrescriberDetailsForm(forms.Form):
    """The prescriber's signature block: credentials and NPI (the service checks them)."""

    credentials = forms.CharField(
        max_length=100,
        required=False,
        label="Credentials",
        help_text="Post-nominal letters printed after the name when signing, e.g. MD, FAAN.",
    )
    npi = forms.CharField(
        max_length=20,
        required=False,
        label="NPI",
        help_text="National Provider Identifier: 10 digits, printed under the signature.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES, label="Role")


class ConfirmPasswordForm(forms.Form):
    """Re-authentication: the signed-in user's password again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        label="What it is for",
        help_text="For example: “my phone's diary app”.",
    )
    scope = forms.ChoiceField(label="What it may do")
    days = forms.IntegerField(
        min_value=1,
        max_value=366,
        label="Days until it expires",
        help_text="After this the token stops working; issue a new one.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        max_length=16,
        required=False,
        label="Code from your authenticator app",
        help_text="Needed when you use two-factor sign-in.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, scope_choices=(), **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scope_choices)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
