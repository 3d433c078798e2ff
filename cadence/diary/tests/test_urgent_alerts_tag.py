"""The dashboard's urgent-alerts card (a template tag)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from cadence.diary.models import SideEffectReport
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


def test_the_dashboard_tag_renders_the_urgent_alerts(patient, clinician):
    SideEffectReport.objects.create(
        patient=patient,
        effect="generalised_weakness",
        severity="severe",
        onset_on=today(),
        urgent=True,
    )
    request = RequestFactory().get("/outcomes/")
    request.user = clinician
    html = Template("{% load diary_alerts %}{% urgent_alerts %}").render(
        Context({"request": request})
    )
    assert "Generalised muscle weakness" in html and "Pat Owner" in html
