"""Issue 17: each injected site records the vial (lot) its dose came from. The session's
only lot by default; chosen per site when more than one lot was opened (API: the
optional `vial_lot` of each injection; page: a choice per site shown only then)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.treatments.models import Procedure, ProcedureInjection
from cadence.treatments.tests.conftest import login
from cadence.treatments.tests.test_api_procedures import record

pytestmark = pytest.mark.django_db


def lots_by_site(procedure_id: int) -> dict[str, str | None]:
    return {
        i.site.code: (i.vial.lot_number if i.vial else None)
        for i in ProcedureInjection.objects.filter(procedure_id=procedure_id).select_related(
            "site", "vial"
        )
    }


def test_with_one_lot_every_site_records_that_vial(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(size_units=200)
    created = record(api_for(clinician), patient, preempt_plan, [lot.lot_number], today)
    assert created.status_code == 201, created.content
    detail = api_for(clinician).get(f"/patients/{patient.pk}/procedures/{created.json()['id']}")
    injections = detail.json()["injections"]
    assert len(injections) == 31
    assert {i["vial_lot"] for i in injections} == {lot.lot_number}


def test_with_two_lots_each_site_records_the_vial_named(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    first, second = make_lot(size_units=100), make_lot(size_units=100)
    sites = [ps.site.code for ps in preempt_plan.sites.select_related("site")]
    injections = [
        {
            "site": code,
            "units": 5,
            "vial_lot": (first if n < 20 else second).lot_number.lower() if n else None,
        }
        for n, code in enumerate(sites)
    ]
    created = record(
        api_for(clinician),
        patient,
        preempt_plan,
        [first.lot_number, second.lot_number],
        today,
        injections=injections,
    )
    assert created.status_code == 201, created.content
    recorded = lots_by_site(created.json()["id"])
    assert recorded[sites[0]] is None  # not named with two lots: not recorded
    assert recorded[sites[1]] == first.lot_number  # lots in any case, kept canonical
    assert recorded[sites[25]] == second.lot_number
    detail = api_for(clinician).get(f"/patients/{patient.pk}/procedures/{created.json()['id']}")
    by_site = {i["site"]: i["vial_lot"] for i in detail.json()["injections"]}
    assert by_site == recorded
    snapshot = api_for(clinician).post(
        f"/patients/{patient.pk}/procedures/{created.json()['id']}/sign"
    )
    assert snapshot.json()["signed_note"]["injection_lots"][sites[25]] == second.lot_number


def test_a_lot_that_was_not_opened_is_refused_naming_the_injections(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot, other = make_lot(size_units=200), make_lot(size_units=200)
    answer = record(
        api_for(clinician),
        patient,
        preempt_plan,
        [lot.lot_number],
        today,
        injections=[{"site": "procerus_midline_1", "units": 5, "vial_lot": other.lot_number}],
    )
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert detail["loc"][-1] == "injections"
    assert f"lot {other.lot_number} is not one of the vials opened" in detail["msg"]
    assert not Procedure.objects.exists()
    other.refresh_from_db()
    assert other.quantity_remaining == 5


def test_an_amendment_keeps_each_remaining_sites_vial(
    api_for, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(size_units=200)
    created = record(api_for(clinician), patient, preempt_plan, [lot.lot_number], today).json()
    base = f"/patients/{patient.pk}/procedures/{created['id']}"
    api_for(clinician).post(f"{base}/sign")
    sites = list(lots_by_site(created["id"]))
    amended = api_for(clinician).post(
        f"{base}/amendments",
        {
            "reason": "One site was not injected",
            "injections": [{"site": s, "units": 5} for s in sites[1:]],
        },
    )
    assert amended.status_code in (200, 201), amended.content
    assert set(lots_by_site(created["id"]).values()) == {lot.lot_number}


# -- the page ----------------------------------------------------------------------------------


def _form_data(plan, lots: str, today) -> dict:
    return {
        "performed_on": today.isoformat(),
        "performed_time": "09:15",
        "vial_lots": lots,
        "aftercare_given": "Keep upright for 4 hours.",
        "consent_obtained": "on",
        **{f"units_{ps.site.code}": ps.units for ps in plan.sites.select_related("site")},
    }


def test_the_page_asks_for_the_vial_per_site_only_with_more_than_one_lot(
    client, clinician, patient, preempt_plan, make_lot, today
):
    one = make_lot(size_units=200, lot="SINGLE1")
    first, second = make_lot(size_units=100, lot="FIRST1"), make_lot(size_units=100, lot="SECOND2")
    login(client, clinician)
    url = reverse(
        "treatments:procedure-create", kwargs={"patient_id": patient.pk, "plan_id": preempt_plan.pk}
    )
    # one lot: no choice per site, and every site records that vial
    single = client.post(url, _form_data(preempt_plan, one.lot_number, today))
    assert single.status_code == 302, single.content.decode()[:2000]
    assert set(lots_by_site(Procedure.objects.get().pk).values()) == {"SINGLE1"}
    Procedure.objects.all().delete()

    # two lots typed: the form asks which vial each site came from, nothing is saved yet
    data = _form_data(preempt_plan, "first1, SECOND2", today)
    asked = client.post(url, data)
    page = asked.content.decode()
    assert asked.status_code == 422
    assert "More than one lot was opened: choose the vial each site" in page
    assert 'name="lot_for_procerus_midline_1"' in page
    assert 'id="vial-per-site"' in page
    assert not Procedure.objects.exists()

    # the clinician chooses: the trapezius sites came from the second vial
    choices = {
        f"lot_for_{ps.site.code}": "SECOND2" if ps.site.muscle == "trapezius" else "FIRST1"
        for ps in preempt_plan.sites.select_related("site")
    }
    saved = client.post(url, {**data, **choices})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    recorded = lots_by_site(Procedure.objects.get().pk)
    assert recorded["trapezius_left_1"] == "SECOND2"
    assert recorded["procerus_midline_1"] == "FIRST1"
    detail = client.get(saved["Location"]).content.decode()
    assert 'data-testid="vial-sites-SECOND2">Trapezius' in detail
    del first, second


def test_the_form_without_a_second_lot_shows_no_vial_choice(
    client, clinician, patient, preempt_plan, make_lot
):
    make_lot(size_units=200)
    login(client, clinician)
    url = reverse(
        "treatments:procedure-create", kwargs={"patient_id": patient.pk, "plan_id": preempt_plan.pk}
    )
    page = client.get(url).content.decode()
    assert "lot_for_" not in page
