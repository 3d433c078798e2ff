"""The one refusal type (Django's ValidationError with codes): how the API's one handler
answers it and how a page shows it on its form (cadence/accounts/validation.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from cadence.accounts.validation import (
    CONFLICT,
    RATE_LIMITED,
    add_validation_errors,
    api_refusal,
    refusal,
    refusal_codes,
    refusal_text,
    refusals,
)


def test_a_refusal_is_answered_422_naming_the_body_field_and_the_code():
    status, body = api_refusal(refusal("lot", "Enter the lot number.", code="required"))
    assert status == 422
    assert body == {
        "detail": [
            {"loc": ["body", "payload", "lot"], "msg": "Enter the lot number.", "type": "required"}
        ]
    }


def test_a_field_that_is_a_path_parameter_is_located_in_the_path():
    _status, body = api_refusal(
        refusal("date", "A diary day can't be in the future.", code="invalid"),
        path_params={"patient_id": 1, "date": "2031-01-01"},
    )
    assert body["detail"][0]["loc"] == ["path", "date"]


def test_a_nested_field_is_located_part_by_part():
    _status, body = api_refusal(refusal("acute_medications[0].name", "Too long.", code="invalid"))
    assert body["detail"][0]["loc"] == ["body", "payload", "acute_medications", 0, "name"]


def test_a_refusal_of_the_whole_input_names_no_field_and_defaults_its_type():
    _status, body = api_refusal(ValidationError("Nothing to do."))
    assert body["detail"] == [
        {"loc": ["body", "payload"], "msg": "Nothing to do.", "type": "value_error"}
    ]


@pytest.mark.parametrize("code, status", [(CONFLICT, 409), (RATE_LIMITED, 429), ("invalid", 422)])
def test_a_code_chooses_the_status(code, status):
    assert api_refusal(refusal("starts_at", "No.", code=code))[0] == status


def test_several_problems_keep_each_field_and_code():
    error = refusals([("sites", "Too many units.", "units_out_of_range"), (None, "Also.", "x")])
    _status, body = api_refusal(error)
    assert [(d["loc"], d["type"]) for d in body["detail"]] == [
        (["body", "payload", "sites"], "units_out_of_range"),
        (["body", "payload"], "x"),
    ]
    assert refusal_codes(error) == {"units_out_of_range", "x"}
    assert refusal_text(error) == "Too many units. Also."


class LotForm(forms.Form):
    lot = forms.CharField()
    notes = forms.CharField(required=False)


def test_a_page_shows_each_message_on_its_field_or_above_the_form():
    form = LotForm({"lot": "A1"})
    assert form.is_valid()
    add_validation_errors(
        form, refusals([("lot", "Unknown lot A1.", "unknown_lot"), ("plan", "No plan.", "x")])
    )
    assert form.errors["lot"] == ["Unknown lot A1."]
    assert form.non_field_errors() == ["No plan."]


def test_a_form_may_narrow_the_fields_that_show_errors():
    form = LotForm({"lot": "A1"})
    form.problem_fields = {"lot"}
    assert form.is_valid()
    add_validation_errors(form, refusal("notes", "Too long.", code="invalid"))
    assert form.non_field_errors() == ["Too long."]


@pytest.mark.django_db
def test_the_api_answers_a_service_refusal_through_the_one_handler(api_for, frontdesk):
    response = api_for(frontdesk).post(
        "/appointments",
        {
            "patient": 999999,
            "clinician": 999999,
            "kind": "consultation",
            "starts_at": "2030-01-07T09:00:00",
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "payload", "patient"],
                "msg": "No such patient.",
                "type": "unknown_patient",
            }
        ]
    }
