"""PDF labels can't drift from their values (issue 19): the procedure note lays out its
label-value pairs as table rows (one row per fact: easy to extend), and the text extracted
from the PDF (pypdf, layout mode) has each label followed by its own value on the same
line."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from cadence.treatments import services
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def layout_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def value_after(lines: list[str], label: str) -> str:
    """The text after the label on the label's own line (the one line that holds it)."""
    found = [
        match.group(1)
        for line in lines
        if (match := re.search(rf"(?:^|\s){re.escape(label)}\s+(.*)$", line))
    ]
    assert len(found) == 1, (label, found, lines)
    return found[0]


def test_the_procedure_note_pairs_each_label_with_its_value(
    client, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot()
    procedure = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[lot.lot_number],
        consent_obtained=True,
        clinician=clinician,
        immediate_reactions="Slight bleeding at one frontalis site, stopped with pressure.",
        notes="Patient tolerated the session well and asked about the next date.",
    )
    login(client, clinician)
    response = client.get(f"/treatments/patients/{patient.pk}/procedures/{procedure.pk}/pdf/")
    lines = layout_lines(response.content)
    assert value_after(lines, "Immediate reactions").startswith("Slight bleeding at one")
    assert value_after(lines, "Notes").startswith("Patient tolerated the session")
    assert value_after(lines, "Total injected").startswith("155 U at 31 sites")
    assert value_after(lines, "Waste").startswith("45 U")
    assert value_after(lines, "Consent").startswith("Obtained")
