"""PDF labels can't drift from their values (issue 19): the progress report lays out its
label-value pairs as table rows, and the text extracted from the PDF (pypdf, layout mode)
has each label followed by its own value on the same line."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.outcomes.tests.factories import build_story

pytestmark = pytest.mark.django_db


def layout_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def values_after(lines: list[str], label: str) -> list[str]:
    """For each line that holds the label, the text after it on that same line."""
    found = [
        match.group(1)
        for line in lines
        if (match := re.search(rf"(?:^|\s){re.escape(label)}\s+(.*)$", line))
    ]
    assert found, f"{label!r} not found in:\n" + "\n".join(lines)
    return found


def value_after(lines: list[str], label: str) -> str:
    (value,) = values_after(lines, label)
    return value


def test_the_progress_report_pairs_each_label_with_its_value(clinician_client, patient):
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    response = clinician_client.get(
        reverse("outcomes:progress-report", kwargs={"patient_id": patient.pk})
    )
    lines = layout_lines(response.content)
    # The summary and the headline table both show the numbers: every one pairs up.
    latest = values_after(lines, "Latest headache days")
    assert len(latest) == 2 and all(re.match(r"\d+(\.\d)? ", v) for v in latest), latest
    assert any(v.startswith("6 per 28 days (") for v in latest), latest
    baseline = values_after(lines, "Baseline headache days")
    assert all(re.match(r"\d+(\.\d)?( |$)", v) for v in baseline), baseline
    assert value_after(lines, "Sessions").startswith("2 (last ")
    assert all(
        v.startswith(("not recorded", "→")) or v[0].isdigit() for v in values_after(lines, "MIDAS")
    )
