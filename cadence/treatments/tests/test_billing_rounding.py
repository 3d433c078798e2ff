"""Issue 16 billing through the API: a part unit is rounded up for J0585 and JW is the
rest of the vial (the lines add up to the units drawn); a one-sided session is CPT 64615
with modifier 52; the follow-the-pain extras of a muscle may sit on one side."""

import pytest

from cadence.treatments import services
from cadence.treatments.tests.test_api_procedures import record

pytestmark = pytest.mark.django_db


def _plan(patient, clinician, sites):
    return services.treatment_plan_create(
        patient=patient, template="custom", sites=sites, created_by=clinician
    )


def test_a_half_unit_dose_is_rounded_up_and_jw_is_the_rest_of_the_vial(
    api_for, clinician, patient, make_lot, today
):
    sites = [
        ("frontalis_left_1", "2.5"),
        ("frontalis_right_1", 5),
        ("corrugator_left_1", 5),
        ("corrugator_right_1", 5),
    ]
    lot = make_lot(size_units=100)
    response = record(
        api_for(clinician), patient, _plan(patient, clinician, sites), [lot.lot_number], today
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_units"] == 17.5
    billing = [(b["code"], b["units"], b["modifier"]) for b in body["billing"]]
    assert billing == [("64615", 1, None), ("J0585", 18, None), ("J0585", 82, "JW")]
    assert sum(units for code, units, _ in billing if code == "J0585") == 100


@pytest.mark.parametrize(
    ("side", "modifier"),
    [("left", "52"), ("right", "52")],
)
def test_a_one_sided_session_is_billed_64615_with_modifier_52(
    api_for, clinician, patient, make_lot, today, side, modifier
):
    sites = [(f"temporalis_{side}_{n}", 5) for n in range(1, 5)]
    sites += [(f"temporalis_{side}_ftp_1", 5), (f"temporalis_{side}_ftp_2", 5)]
    lot = make_lot(size_units=100)
    body = record(
        api_for(clinician), patient, _plan(patient, clinician, sites), [lot.lot_number], today
    ).json()
    assert body["billing"][0]["code"] == "64615"
    assert body["billing"][0]["modifier"] == modifier


def test_a_session_with_a_midline_site_is_not_one_sided(
    api_for, clinician, patient, make_lot, today
):
    sites = [("procerus_midline_1", 5), ("corrugator_left_1", 5), ("frontalis_left_1", 5)]
    lot = make_lot(size_units=100)
    body = record(
        api_for(clinician), patient, _plan(patient, clinician, sites), [lot.lot_number], today
    ).json()
    assert body["billing"][0]["modifier"] is None


def test_the_catalogue_lists_the_second_follow_the_pain_sites(api_for, nurse):
    sites = {s["code"]: s for s in api_for(nurse).get("/injection-sites").json()}
    for code in (
        "temporalis_left_ftp_2",
        "temporalis_right_ftp_2",
        "occipitalis_left_ftp_2",
        "occipitalis_right_ftp_2",
        "trapezius_left_ftp_3",
        "trapezius_left_ftp_4",
        "trapezius_right_ftp_3",
        "trapezius_right_ftp_4",
    ):
        assert sites[code]["follow_the_pain"] is True
    assert sum(1 for s in sites.values() if s["follow_the_pain"]) == 16


def test_both_temporalis_extras_on_the_painful_side(api_for, clinician, patient):
    body = {
        "template": "preempt",
        "sites": [
            {"site": "temporalis_left_ftp_1", "units": 5},
            {"site": "temporalis_left_ftp_2", "units": 5},
            {"site": "occipitalis_left_ftp_1", "units": 5},
            {"site": "occipitalis_left_ftp_2", "units": 5},
        ],
    }
    response = api_for(clinician).post(f"/patients/{patient.pk}/treatment-plans", body)
    assert response.status_code == 201, response.content
    assert response.json()["total_units"] == 175
    body["sites"].append({"site": "temporalis_right_ftp_1", "units": 5})
    refused = api_for(clinician).post(f"/patients/{patient.pk}/treatment-plans", body)
    assert refused.status_code == 422


def test_all_four_trapezius_extras_on_the_painful_side(api_for, clinician, patient):
    """Section 7: the trapezius cap (4 sites, 20 U) is per muscle, not per side."""
    body = {
        "template": "preempt",
        "sites": [{"site": f"trapezius_right_ftp_{n}", "units": 5} for n in (1, 2, 3, 4)],
    }
    response = api_for(clinician).post(f"/patients/{patient.pk}/treatment-plans", body)
    assert response.status_code == 201, response.content
    assert response.json()["total_units"] == 175
    body["sites"].append({"site": "trapezius_left_ftp_1", "units": 5})
    refused = api_for(clinician).post(f"/patients/{patient.pk}/treatment-plans", body)
    assert refused.status_code == 422
    assert "trapezius" in refused.content.decode()
