"""The FHIR importer keeps the services' units bounds (treatments 0004 and
``procedure_record``): 0.1 U steps, 2.5-10 U per site, the follow-the-pain caps, 39 sites
and 195 U per session. An oversized imported session is refused whole with an
OperationOutcome naming the field, never a 500 and never silently rounded."""

from __future__ import annotations

import copy
import json

import pytest

from cadence.interop.fhir import codes as c
from cadence.interop.fhir import mappers as m
from cadence.interop.tests.test_import import valid_bundle
from cadence.patients.models import Patient
from cadence.treatments.models import Procedure

pytestmark = pytest.mark.django_db

FHIR = "application/fhir+json"
PROCEDURE = 3
ADMINISTRATION = 4


def post(client, bundle):
    return client.post("/fhir/r4/Bundle", json.dumps(bundle), content_type=FHIR)


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


def with_sites(doses: list[tuple[str, object]]) -> dict:
    """The valid bundle with its one MedicationAdministration replaced by one per site."""
    bundle = valid_bundle()
    template = bundle["entry"].pop(ADMINISTRATION)
    for n, (site, units) in enumerate(doses):
        entry = copy.deepcopy(template)
        entry["fullUrl"] = f"urn:uuid:a{n}"
        entry["resource"]["dosage"] = {
            "site": m.site_concept(site),
            "dose": {"value": units, "unit": "U", "system": c.UCUM_SYSTEM, "code": "U"},
        }
        bundle["entry"].append(entry)
    return bundle


def refused(client, bundle) -> list[tuple[str, str]]:
    response = post(client, bundle)
    assert response.status_code == 422, response.content[:2000]
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert not Patient.objects.filter(last_name="Referred").exists()
    assert not Procedure.objects.exists()
    return [(issue.get("expression", [""])[0], issue["diagnostics"]) for issue in outcome["issue"]]


def test_sessions_within_the_bounds_are_imported(clinician_client):
    bundle = with_sites(
        [("temporalis_left_1", 10), ("frontalis_left_1", 2.5), ("procerus_midline_1", 5.5)]
    )
    assert post(clinician_client, bundle).status_code == 200
    procedure = Procedure.objects.get()
    assert sorted((i.site.code, str(i.units)) for i in procedure.injections.all()) == [
        ("frontalis_left_1", "2.5"),
        ("procerus_midline_1", "5.5"),
        ("temporalis_left_1", "10.0"),
    ]


@pytest.mark.parametrize(
    ("doses", "entry", "words"),
    [
        (
            [("temporalis_left_1", 12.5)],
            ADMINISTRATION,
            "Temporalis, left, site 1",
        ),  # over 10 U a site
        ([("temporalis_left_1", 1)], ADMINISTRATION, "Temporalis, left, site 1"),  # under 2.5 U
        ([("temporalis_left_1", 5.05)], ADMINISTRATION, "5.05"),  # not a 0.1 U step
        ([("temporalis_left_1", 1e20)], ADMINISTRATION, "Temporalis, left, site 1"),
        (
            [(f"trapezius_left_ftp_{n}", 5) for n in (1, 2, 3, 4)] + [("trapezius_right_ftp_1", 5)],
            None,
            "trapezius",
        ),
    ],
    ids=["12.5-u-at-a-site", "1-u-at-a-site", "5.05-u", "1e20-u", "5-trapezius-extras"],
)
def test_a_dose_outside_the_bounds_is_refused_naming_it(clinician_client, doses, entry, words):
    issues = refused(clinician_client, with_sites(doses))
    expected = f"Bundle.entry[{entry}].resource.dosage.dose" if entry is not None else None
    assert any(
        words in text and (expected is None or where == expected) for where, text in issues
    ), issues


def test_an_oversized_session_is_refused_naming_the_procedure(clinician_client):
    """40 sites of 5 U: 200 U, over 195 U and 39 sites."""
    from cadence.rules.sites import ALL_SITES

    doses = [(site.code, 5) for site in ALL_SITES if not site.follow_the_pain]
    doses += [(f"temporalis_left_ftp_{n}", 5) for n in (1, 2)]
    doses += [(f"occipitalis_left_ftp_{n}", 5) for n in (1, 2)]
    doses += [(f"trapezius_left_ftp_{n}", 5) for n in (1, 2, 3, 4)]
    doses += [("trapezius_right_ftp_1", 5)]
    issues = refused(clinician_client, with_sites(doses))
    texts = " ".join(text for _where, text in issues)
    assert "195 U" in texts and "39" in texts


def test_a_session_total_over_195_u_is_refused(clinician_client):
    bundle = valid_bundle()
    bundle["entry"][ADMINISTRATION]["resource"]["dosage"]["dose"]["value"] = 195.5
    issues = refused(clinician_client, bundle)
    assert (
        f"Bundle.entry[{PROCEDURE}].resource",
        "195.5 U is outside 0-195 U per session.",
    ) in issues


def test_a_session_total_off_the_0_1_u_step_is_refused(clinician_client):
    bundle = valid_bundle()
    bundle["entry"][ADMINISTRATION]["resource"]["dosage"]["dose"]["value"] = 155.25
    issues = refused(clinician_client, bundle)
    assert (
        f"Bundle.entry[{ADMINISTRATION}].resource.dosage.dose",
        "Units are recorded to 0.1 U; 155.25 U doesn't fit.",
    ) in issues


@pytest.mark.parametrize("wasted", [10_000_000, 400.5, 45.05])
def test_wasted_units_beyond_a_session_or_off_the_step_are_refused(clinician_client, wasted):
    bundle = valid_bundle()
    bundle["entry"][PROCEDURE]["resource"]["extension"] = [
        {"url": c.EXT_WASTED_UNITS, "valueQuantity": m.units_quantity(wasted)}
    ]
    issues = refused(clinician_client, bundle)
    assert any(where == f"Bundle.entry[{PROCEDURE}].resource.extension" for where, _ in issues)


def test_a_total_units_extension_over_the_bounds_is_refused(clinician_client):
    bundle = valid_bundle()
    bundle["entry"].pop(ADMINISTRATION)
    bundle["entry"][PROCEDURE]["resource"]["extension"] = [
        {"url": c.EXT_TOTAL_UNITS, "valueQuantity": m.units_quantity("1E+30")}
    ]
    issues = refused(clinician_client, bundle)
    assert any("per session" in text for _where, text in issues)
