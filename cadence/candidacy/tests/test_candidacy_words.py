"""Candidacy shows questions, not field codes, and every flag it raises has a checklist
question that can clear it (medication overuse included)."""

from __future__ import annotations

import re

import pytest

from cadence.patients.models import CHECKLIST_FIELDS, MedicalHistory
from cadence.rules.candidacy import FLAG_QUESTIONS

pytestmark = pytest.mark.django_db

SCREENING_FLAGS = {
    "medication_overuse": "medication_overuse",
    "neuromuscular_disorder": "neuromuscular_disease",
    "aminoglycoside": "aminoglycosides",
    "swallowing_breathing_difficulty": "swallowing_or_breathing_difficulty",
    "pregnancy": "pregnant_or_breastfeeding",
}


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_every_screening_flag_has_a_checklist_question():
    checklist = dict(CHECKLIST_FIELDS)
    for flag, field in SCREENING_FLAGS.items():
        assert field in checklist, flag
        assert flag in FLAG_QUESTIONS


def test_flags_and_unanswered_questions_read_as_questions(client, clinician, patient):
    client.force_login(clinician)
    page = _visible_text(client.get(f"/patients/{patient.pk}/candidacy/").content.decode())
    assert "Screening questions not answered yet" in page
    assert "Medication-overuse headache suspected" in page
    for code in SCREENING_FLAGS:
        assert not re.search(rf"\b{code}\b", page), code

    answers = {field: "yes" for field in SCREENING_FLAGS.values()}
    MedicalHistory.objects.update_or_create(patient=patient, defaults=answers)
    html = client.get(f"/patients/{patient.pk}/candidacy/").content.decode()
    for code in SCREENING_FLAGS:
        assert f'data-flag="{code}"' in html
        assert not re.search(rf"\b{code}\b", _visible_text(html)), code
    assert "<strong>Pregnant or breastfeeding</strong>" in html
    assert "<strong>Medication-overuse headache suspected</strong>" in html


def test_the_checklist_clears_the_medication_overuse_flag(client, clinician, patient):
    MedicalHistory.objects.update_or_create(patient=patient, defaults={"medication_overuse": "yes"})
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/candidacy/"
    assert 'data-flag="medication_overuse"' in client.get(url).content.decode()
    form = client.get(f"/patients/{patient.pk}/history/").content.decode()
    assert 'name="medication_overuse"' in form
    MedicalHistory.objects.filter(patient=patient).update(medication_overuse="no")
    html = client.get(url).content.decode()
    assert 'data-flag="medication_overuse"' not in html
    assert "Medication-overuse headache suspected" not in html
