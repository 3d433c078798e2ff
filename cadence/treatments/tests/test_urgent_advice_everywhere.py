"""One wording of the urgent side-effect advice (issue 15; clinic-reference.md section 7:
"the same on every page and on the aftercare sheet"): the side-effect page, the aftercare
sheet (staff's printable sheet, the patient's own page, the note PDF) and the on-call
e-mail all show the sentences of `rules.side_effects.URGENT_ADVICE_LINES`, with the
clinic's tap-to-call number where a patient is told to call."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.diary.services import side_effect_report
from cadence.rules.side_effects import URGENT_ADVICE_LINES
from cadence.scheduling.alerts import alert_message
from cadence.scheduling.models import OnCallAlertRound
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db

PHONE = "+1 201 555 0177"
ADVICE_LINE = re.compile(r"<li data-advice-line>(.*?)</li>", re.S)


def _advice_on(page: str) -> tuple[str, ...]:
    return tuple(html.unescape(line).strip() for line in ADVICE_LINE.findall(page))


def _words(text: str) -> str:
    return " ".join(text.split())


@override_settings(CADENCE_CLINIC_PHONE=PHONE)
def test_every_surface_shows_the_same_sentences(
    client, clinician, patient, patient_user, signed_procedure
):
    surfaces: dict[str, tuple[str, ...]] = {}

    login(client, patient_user)
    side_effects = client.get(reverse("diary:side-effect-list")).content.decode()
    surfaces["side-effect page"] = _advice_on(side_effects)
    report = side_effect_report(
        patient=patient,
        effect="double_vision",
        severity="mild",
        onset_on=timezone.localdate(),
        actor=patient_user,
    )
    after_report = client.get(
        reverse("diary:side-effect-list"), {"report": report.pk}
    ).content.decode()
    surfaces["side-effect page, after an urgent report"] = _advice_on(after_report)
    own_aftercare = client.get("/treatments/my-aftercare/").content.decode()
    surfaces["my aftercare"] = _advice_on(own_aftercare)

    login(client, clinician)
    sheet = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/aftercare/"
    ).content.decode()
    surfaces["aftercare sheet"] = _advice_on(sheet)
    note = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/"
    ).content.decode()
    surfaces["procedure note"] = _advice_on(note)

    for name, lines in surfaces.items():
        assert lines == URGENT_ADVICE_LINES, name
    for page in (side_effects, after_report, own_aftercare, sheet):
        assert 'href="tel:+12015550177"' in page

    pdf = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/pdf/"
    ).content
    pdf_text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for line in URGENT_ADVICE_LINES:
        assert _words(line) in pdf_text, line

    _subject, body, _text = alert_message(report, OnCallAlertRound.FIRST)
    for line in URGENT_ADVICE_LINES:
        assert line in body


def test_an_older_note_shows_the_one_wording_not_its_stored_urgent_line(
    client, clinician, patient, signed_procedure
):
    signed_procedure.aftercare_given += (
        "\nCall the clinic at once if you have difficulty swallowing, speaking or breathing, "
        "new weakness, or double vision."
    )
    signed_procedure.save(update_fields=["aftercare_given"])
    login(client, clinician)
    sheet = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/aftercare/"
    ).content.decode()
    assert "Call the clinic at once" not in sheet
    assert "about 4 hours" in sheet
    assert _advice_on(sheet) == URGENT_ADVICE_LINES
