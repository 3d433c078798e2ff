"""Treatment plans through the API: each rule of rules.plans.validate_plan and its message."""

from datetime import timedelta

import pytest

from cadence.treatments.models import OtherToxinTreatment, TreatmentPlan

pytestmark = pytest.mark.django_db


def post_plan(api, patient, body):
    return api.post(f"/patients/{patient.pk}/treatment-plans", body)


def test_it_lists_the_47_sites_of_the_catalogue(api_for, nurse):
    """31 PREEMPT sites and 16 follow-the-pain sites (2 per side in temporalis and
    occipitalis, 4 per side in trapezius; a plan takes at most 8 of them)."""
    response = api_for(nurse).get("/injection-sites")
    assert response.status_code == 200
    sites = response.json()
    assert len(sites) == 47
    assert sum(1 for s in sites if not s["follow_the_pain"]) == 31
    assert sum(s["default_units"] for s in sites if not s["follow_the_pain"]) == 155
    assert {"code", "muscle", "side", "default_units", "follow_the_pain"} <= set(sites[0])


def test_patients_may_not_read_the_catalogue(api_for, patient_user):
    assert api_for(patient_user).get("/injection-sites").status_code == 403


def test_a_preempt_plan_has_31_sites_and_155_units(api_for, clinician, patient):
    response = post_plan(api_for(clinician), patient, {"template": "preempt", "sites": []})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_units"] == 155
    assert body["site_count"] == 31
    assert len(body["sites"]) == 31
    assert isinstance(body["total_units"], (int, float))


def test_follow_the_pain_additions_are_added_to_the_preempt_plan(api_for, clinician, patient):
    sites = [
        {"site": "temporalis_left_ftp_1", "units": 5},
        {"site": "occipitalis_right_ftp_1", "units": 5},
    ]
    body = post_plan(api_for(clinician), patient, {"template": "preempt", "sites": sites}).json()
    assert body["total_units"] == 165
    assert body["site_count"] == 33


def test_a_targeted_plan_takes_only_its_sites(api_for, clinician, patient):
    sites = [
        {"site": "frontalis_left_1", "units": 2.5},
        {"site": "frontalis_right_1", "units": 7.5},
    ]
    body = post_plan(api_for(clinician), patient, {"template": "custom", "sites": sites}).json()
    assert body["total_units"] == 10
    assert body["site_count"] == 2


@pytest.mark.parametrize(
    ("template", "sites", "rule", "fragment"),
    [
        (
            "custom",
            [{"site": "nose_tip_1", "units": 5}],
            "unknown_site",
            "Unknown injection site 'nose_tip_1'",
        ),
        (
            "custom",
            [{"site": "frontalis_left_1", "units": 12}],
            "units_out_of_range",
            "2 U over the 10 U maximum",
        ),
        (
            "custom",
            [{"site": "frontalis_left_1", "units": 2}],
            "units_out_of_range",
            "0.5 U under the 2.5 U minimum",
        ),
        (
            "custom",
            [{"site": "frontalis_left_1", "units": 0}],
            "invalid_units",
            "must be a positive number",
        ),
        ("custom", [], "empty_plan", "no injection sites"),
        (
            "preempt",
            [
                {"site": "temporalis_left_ftp_1", "units": 10},
                {"site": "temporalis_right_ftp_1", "units": 5},
            ],
            "follow_the_pain_cap",
            "temporalis totals 15 U, 5 U over the 10 U cap",
        ),
        (
            "preempt",
            [{"site": "frontalis_left_1", "units": 5}],
            "duplicate_site",
            "a fixed PREEMPT site already in the plan",
        ),
    ],
)
def test_it_refuses_an_invalid_plan_naming_the_rule(
    api_for, clinician, patient, template, sites, rule, fragment
):
    if template == "custom" and not sites:
        body = {"template": "custom", "sites": []}
    else:
        body = {"template": template, "sites": sites}
    response = post_plan(api_for(clinician), patient, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(
        d["type"] == rule and fragment in d["msg"] and d["loc"][-1] == "sites" for d in detail
    ), detail
    assert not TreatmentPlan.objects.exists()


def test_it_refuses_more_than_195_units_per_session(api_for, clinician, patient):
    sites = [
        {"site": "temporalis_left_ftp_1", "units": 5},
        {"site": "temporalis_right_ftp_1", "units": 5},
        {"site": "occipitalis_left_ftp_1", "units": 5},
        {"site": "occipitalis_right_ftp_1", "units": 5},
        {"site": "trapezius_left_ftp_1", "units": 5},
        {"site": "trapezius_left_ftp_2", "units": 5},
        {"site": "trapezius_right_ftp_1", "units": 5},
        {"site": "trapezius_right_ftp_2", "units": 5},
    ]
    assert (
        post_plan(api_for(clinician), patient, {"template": "preempt", "sites": sites}).json()[
            "total_units"
        ]
        == 195
    )
    # a targeted plan of every site at 10 U (47 catalogue sites) would be 470 U
    every = [
        {"site": s["code"], "units": 10} for s in api_for(clinician).get("/injection-sites").json()
    ]
    response = post_plan(api_for(clinician), patient, {"template": "custom", "sites": every})
    messages = {d["type"]: d["msg"] for d in response.json()["detail"]}
    assert (
        messages["session_max_units"] == "Plan totals 470 U, 275 U over the 195 U per-session limit"
    )


def test_it_refuses_a_plan_over_400_units_in_84_days_counting_other_toxin(
    api_for, clinician, patient, today
):
    OtherToxinTreatment.objects.create(
        patient=patient, given_on=today - timedelta(days=30), units=300, indication="Spasticity"
    )
    response = post_plan(api_for(clinician), patient, {"template": "preempt", "sites": []})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "cumulative_400_in_84_days"
    assert "455 U" in detail["msg"] and "55 U over the 400 U limit" in detail["msg"]


def test_only_clinicians_create_plans(api_for, nurse, patient):
    assert (
        post_plan(api_for(nurse), patient, {"template": "preempt", "sites": []}).status_code == 403
    )


def test_a_patient_user_cannot_reach_another_patients_plans(
    api_for, other_patient_user, patient, preempt_plan
):
    assert (
        api_for(other_patient_user).get(f"/patients/{patient.pk}/treatment-plans").status_code
        == 403
    )


def test_plan_ids_of_another_patient_are_not_found(api_for, clinician, other_patient, preempt_plan):
    response = api_for(clinician).get(
        f"/patients/{other_patient.pk}/treatment-plans/{preempt_plan.pk}"
    )
    assert response.status_code == 404


def test_consent_is_recorded_on_the_plan(api_for, clinician, patient, preempt_plan):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/treatment-plans/{preempt_plan.pk}/consent",
        {"consent_given_by": "Patient"},
    )
    assert response.status_code == 200
    preempt_plan.refresh_from_db()
    assert preempt_plan.consent_given_by == "Patient"
    assert preempt_plan.consent_recorded_by == clinician
    assert preempt_plan.consent_recorded_at is not None


def test_a_malformed_plan_body_is_422_not_500(api_for, clinician, patient):
    response = post_plan(
        api_for(clinician),
        patient,
        {"template": "preempt", "sites": [{"site": "x", "units": "many"}]},
    )
    assert response.status_code == 422
