"""The candidacy page and the candidacy decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.patients.models import CandidacyDecision

pytestmark = pytest.mark.django_db


def test_a_clinician_records_a_decision(client, clinician, patient):
    client.force_login(clinician)
    response = client.post(
        f"/patients/{patient.pk}/candidacy/decision/",
        {"decision": "surgery_evaluation", "note": "Refer to Dr Kahn"},
    )
    assert response.status_code == 302
    decision = CandidacyDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.eligible_when_decided) == (
        "surgery_evaluation",
        clinician,
        None,
    )
    assert AuditEvent.objects.filter(summary__startswith="Candidacy decision").exists()


def test_a_minor_needs_an_override_reason(client, clinician, make_patient):
    minor = make_patient(date_of_birth=timezone.localdate() - timedelta(days=17 * 365))
    client.force_login(clinician)
    url = f"/patients/{minor.pk}/candidacy/decision/"
    response = client.post(url, {"decision": "botox"})
    assert response.status_code == 422 and "Give the reason" in response.content.decode()
    assert not CandidacyDecision.objects.exists()
    client.post(url, {"decision": "botox", "override_reason": "Refractory; parents consent"})
    decision = CandidacyDecision.objects.get()
    assert decision.override_reason == "Refractory; parents consent"
    assert decision.outside_protocol


def test_a_nurse_sees_candidacy_but_may_not_decide(client, nurse, patient):
    client.force_login(nurse)
    assert (
        "A clinician records the decision"
        in client.get(f"/patients/{patient.pk}/candidacy/").content.decode()
    )
    assert (
        client.post(
            f"/patients/{patient.pk}/candidacy/decision/", {"decision": "botox"}
        ).status_code
        == 403
    )
