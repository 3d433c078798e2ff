import random
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadence.demo import treatments as demo
from cadence.demo.story import DemoContext, DemoPatient
from cadence.treatments.models import Procedure, ProcedureInjection, ProcedureVial, VialLot
from cadence.treatments.selectors import lot_recall, procedure_billing, session_dates

pytestmark = pytest.mark.django_db


def test_demo_seeds_signed_notes_on_every_session_date_with_stock_and_recall_lot(
    make_patient, clinician, nurse
):
    today = timezone.localdate()
    ctx = DemoContext(
        rng=random.Random(7), today=today, staff={"clinician": clinician, "nurse": nurse}
    )
    for n in range(60):
        sessions = [today - timedelta(days=20 + 90 * k) for k in range(n % 6)][::-1]
        ctx.patients.append(
            DemoPatient(
                patient=make_patient(),
                stage="maintenance",
                response="responder",
                session_dates=sessions,
                baseline_headache_days=20,
                diary_start=today - timedelta(days=600),
                diary_adherence=0.9,
            )
        )
    started = time.perf_counter()
    demo.seed(ctx)
    assert time.perf_counter() - started < 5
    for story in ctx.patients:
        assert session_dates(story.patient) == story.session_dates
    procedure = Procedure.objects.filter(total_units=155, drawn_units=200).first()
    assert procedure.wasted_units == 45
    assert [(b.code, b.modifier) for b in procedure_billing(procedure)][-1] == ("J0585", "JW")
    assert lot_recall(demo.RECALL_DEMO_LOT)
    assert VialLot.objects.get(lot_number=demo.EXPIRED_DEMO_LOT).expires_on < today
    assert VialLot.objects.filter(expires_on__gte=today, quantity_remaining__gt=0).count() >= 2
    for vial in ProcedureVial.objects.select_related("procedure"):
        assert vial.expires_on >= vial.procedure.performed_on
    # Issue 17: every demo site records the vial its dose came from, a vial of its session,
    # and no vial gives more than it holds.
    injections = ProcedureInjection.objects.select_related("vial")
    assert injections.exists() and not injections.filter(vial__isnull=True).exists()
    given: dict[int, Decimal] = {}
    for injection in injections:
        assert injection.vial.procedure_id == injection.procedure_id
        given[injection.vial_id] = given.get(injection.vial_id, Decimal(0)) + injection.units
    sizes = dict(ProcedureVial.objects.values_list("id", "size_units"))
    assert all(units <= sizes[vial_id] for vial_id, units in given.items())
    two_vials = Procedure.objects.filter(drawn_units=200, vials__size_units=100).first()
    if two_vials is not None:
        assert two_vials.injections.values("vial").distinct().count() == 2
