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


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES, label="Role")
