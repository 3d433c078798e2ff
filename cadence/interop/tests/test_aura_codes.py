"""Chronic migraine with aura (ICD-10-CM FY2025 G43.E01/E09/E11/E19) is in the FHIR code
list like G43.7x (clinic-reference.md section 7), with its display text; only G43.719
carries the US-edition SNOMED CT concept."""

import pytest

from cadence.interop.fhir import codes as c
from cadence.interop.fhir.mappers import condition_codings
from cadence.rules.candidacy import ICD10_CHRONIC_MIGRAINE_CODES


@pytest.mark.parametrize("code", ["G43.E01", "G43.E09", "G43.E11", "G43.E19"])
def test_aura_codes_are_chronic_migraine_codes_in_fhir(code):
    assert code in c.CHRONIC_MIGRAINE_ICD10
    (coding,) = condition_codings(code)
    assert coding["system"] == c.ICD10CM_SYSTEM and coding["code"] == code
    assert coding["display"].startswith("Chronic migraine with aura")


def test_fhir_forms_and_candidacy_share_one_code_list():
    assert dict(ICD10_CHRONIC_MIGRAINE_CODES) == c.CHRONIC_MIGRAINE_ICD10
    assert len(c.CHRONIC_MIGRAINE_ICD10) == 8
