"""The demo seeds of patients and intake, on a small synthetic clinic."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from cadence.candidacy.selectors import candidacy_for
from cadence.demo import intake as intake_demo
from cadence.demo import patients as patients_demo
from cadence.demo.story import DemoContext, DemoPatient
from cadence.intake.models import ConsultationRequest
from cadence.patients.models import CandidacyDecision, PayerProfile

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture
def ctx(make_patient, clinician, frontdesk):
    context = DemoContext(
        rng=random.Random(1), today=TODAY, staff={"clinician": clinician, "frontdesk": frontdesk}
    )
    for index in range(10):
        born = date(2009, 1, 1) if index == 3 else date(1980, 1, 1)
        sessions = [] if index < 8 else [TODAY - timedelta(days=50)]
        context.patients.append(
            DemoPatient(
                patient=make_patient(date_of_birth=born),
                stage="work_up" if index < 8 else "first_course",
                response="responder",
                session_dates=sessions,
                baseline_headache_days=20,
                diary_start=TODAY - timedelta(days=60),
                diary_adherence=0.9,
            )
        )
    patients_demo.seed(context)
    intake_demo.seed(context)
    return context


def test_the_demo_shows_each_kind_of_candidacy(ctx):
    def eligible(index):
        return candidacy_for(ctx.patients[index].patient, today=TODAY).result.eligible

    assert eligible(0) is True
    assert eligible(3) is False  # the 17-year-old, no override yet
    assert eligible(4) is False and eligible(5) is False  # too few preventive classes
    assert eligible(7) is None  # history not taken yet
    assert CandidacyDecision.objects.filter(patient=ctx.patients[8].patient).exists()
    assert PayerProfile.objects.count() == 3


def test_the_demo_has_requests_in_every_status(ctx):
    assert 15 <= ConsultationRequest.objects.count() <= 20
    assert set(ConsultationRequest.objects.values_list("status", flat=True)) == {
        "new",
        "contacted",
        "booked",
        "closed",
    }
    assert ConsultationRequest.objects.filter(patient__isnull=False).count() == 2
