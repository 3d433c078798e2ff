"""Reads of the treatments app.

For other apps:
- ``session_dates(patient) -> list[date]``: the signed procedures' dates, ascending
  (scheduling's 12-week rhythm, outcomes' baseline and periods, the FHIR/CSV exports).
  Draft notes are not sessions. The one answer to "when was this patient treated".
- ``session_dates_by_patient(patient_ids=None) -> dict[int, list[date]]``: the same for
  many patients in one query (worklists, reminders).
- ``procedures_for_report(patient) -> list[dict]``: each signed session with its units,
  waste, lots and sites (outcomes reports, FHIR).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cadence.rules.vials import BillingLine, billing_lines, suggest_vials
from cadence.treatments.models import (
    InjectionSite,
    OtherToxinTreatment,
    PlanSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    TreatmentPlan,
    TriggerArea,
    VialLot,
)


def injection_sites() -> QuerySet[InjectionSite]:
    return InjectionSite.objects.all()


def sites_by_code() -> dict[str, InjectionSite]:
    return {site.code: site for site in InjectionSite.objects.all()}


def trigger_areas() -> QuerySet[TriggerArea]:
    return TriggerArea.objects.prefetch_related("sites")


def plans_for_patient(patient) -> QuerySet[TreatmentPlan]:
    return TreatmentPlan.objects.filter(patient=patient).select_related("created_by")


def plan_for_patient(patient, plan_id) -> TreatmentPlan:
    """The plan, only if it is this patient's (404 otherwise, so that changing the id in
    a URL never reaches another patient's plan)."""
    return get_object_or_404(
        TreatmentPlan.objects.select_related("created_by", "consent_recorded_by").prefetch_related(
            Prefetch("sites", PlanSite.objects.select_related("site"))
        ),
        pk=plan_id,
        patient=patient,
    )


def plan_sites(plan: TreatmentPlan) -> list[tuple[InjectionSite, Decimal]]:
    return [(ps.site, ps.units) for ps in plan.sites.all()]


def procedures_for_patient(patient) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(patient=patient)
        .select_related("clinician", "plan")
        .prefetch_related("vials")
        .order_by("-performed_on", "-id")
    )


def procedure_for_patient(patient, procedure_id) -> Procedure:
    """The procedure, only if it is this patient's (404 otherwise)."""
    return get_object_or_404(
        Procedure.objects.select_related(
            "clinician", "signed_by", "plan", "patient"
        ).prefetch_related(
            Prefetch("injections", ProcedureInjection.objects.select_related("site")),
            "vials",
            Prefetch("amendments", queryset=_amendments()),
        ),
        pk=procedure_id,
        patient=patient,
    )


def _amendments():
    from cadence.treatments.models import ProcedureAmendment

    return ProcedureAmendment.objects.select_related("amended_by")


def procedure_injections(procedure: Procedure) -> list[tuple[InjectionSite, Decimal]]:
    return [(inj.site, inj.units) for inj in procedure.injections.all()]


def procedure_billing(procedure: Procedure) -> list[BillingLine]:
    """Billing lines of a procedure (rules.vials.billing_lines); none when nothing was
    injected."""
    if not procedure.total_units or procedure.total_units <= 0:
        return []
    try:
        return billing_lines(procedure.total_units, procedure.wasted_units)
    except ValueError:
        return []


def other_toxin_treatments(patient) -> QuerySet[OtherToxinTreatment]:
    return OtherToxinTreatment.objects.filter(patient=patient)


def other_toxin_doses(
    patient, *, exclude_procedure_id: int | None = None
) -> list[tuple[date, Decimal]]:
    """Every onabotulinumtoxinA dose of the patient (other indications and all procedures),
    as (date, units), for the 400 U in 84 days rule."""
    doses = list(
        OtherToxinTreatment.objects.filter(patient=patient).values_list("given_on", "units")
    )
    procedures = Procedure.objects.filter(patient=patient)
    if exclude_procedure_id is not None:
        procedures = procedures.exclude(pk=exclude_procedure_id)
    doses += list(procedures.values_list("performed_on", "total_units"))
    return doses


def session_dates(patient) -> list[date]:
    """Dates of the patient's signed procedures, ascending (a date once per session)."""
    return list(
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .order_by("performed_on", "id")
        .values_list("performed_on", flat=True)
    )


def session_dates_by_patient(patient_ids: Iterable[int] | None = None) -> dict[int, list[date]]:
    """``{patient_id: signed session dates, ascending}`` in one query (all patients with a
    signed session when ``patient_ids`` is None)."""
    rows = Procedure.objects.filter(status=ProcedureStatus.SIGNED)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    by_patient: dict[int, list[date]] = defaultdict(list)
    for patient_id, performed_on in rows.values_list("patient_id", "performed_on").order_by(
        "patient_id", "performed_on", "id"
    ):
        by_patient[patient_id].append(performed_on)
    return dict(by_patient)


def procedures_for_report(patient) -> list[dict]:
    """Each signed session, oldest first: ``{"id", "performed_on", "total_units",
    "wasted_units", "drawn_units", "lots": [lot numbers], "vial_sizes": [..],
    "site_count", "clinician"}`` (units as Decimal). Two queries."""
    procedures = (
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .select_related("clinician")
        .prefetch_related("vials", "injections")
        .order_by("performed_on", "id")
    )
    report = []
    for procedure in procedures:
        vials = list(procedure.vials.all())
        report.append(
            {
                "id": procedure.pk,
                "performed_on": procedure.performed_on,
                "total_units": procedure.total_units,
                "wasted_units": procedure.wasted_units,
                "drawn_units": procedure.drawn_units,
                "lots": [v.lot_number for v in vials],
                "vial_sizes": [v.size_units for v in vials],
                "site_count": len(procedure.injections.all()),
                "clinician": procedure.clinician.get_full_name() if procedure.clinician else "",
            }
        )
    return report


def latest_signed_procedure(patient) -> Procedure | None:
    return (
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .select_related("clinician")
        .order_by("-performed_on", "-id")
        .first()
    )


def vial_stock() -> QuerySet[VialLot]:
    return VialLot.objects.select_related("received_by").order_by("expires_on", "lot_number")


def suggested_vial_lots(dose_units: Decimal, *, on: date) -> tuple[tuple[int, ...], list[str]]:
    """The vial sizes that waste least for the dose (rules.vials.suggest_vials), and lots in
    stock to take them from (earliest expiry first, never an expired lot). Lots are empty
    when the stock cannot cover the suggestion."""
    if dose_units <= 0:
        return (), []
    sizes = suggest_vials(dose_units)
    usable = list(
        VialLot.objects.filter(expires_on__gte=on, quantity_remaining__gt=0).order_by(
            "expires_on", "lot_number"
        )
    )
    left = {lot.pk: lot.quantity_remaining for lot in usable}
    lots: list[str] = []
    for size in sizes:
        lot = next((lot for lot in usable if lot.size_units == size and left[lot.pk] > 0), None)
        if lot is None:
            return sizes, []
        left[lot.pk] -= 1
        lots.append(lot.lot_number)
    return sizes, lots


def lot_recall(lot_number: str) -> list[dict]:
    """Every procedure that used the lot, with patient and date (newest first); one row per
    procedure with the number of vials of the lot it used."""
    vials = (
        ProcedureVial.objects.filter(lot_number=lot_number)
        .select_related("procedure__patient", "procedure__clinician")
        .order_by("-procedure__performed_on", "procedure_id")
    )
    counts = Counter(v.procedure_id for v in vials)
    rows: list[dict] = []
    seen: set[int] = set()
    for vial in vials:
        procedure = vial.procedure
        if procedure.pk in seen:
            continue
        seen.add(procedure.pk)
        patient = procedure.patient
        rows.append(
            {
                "procedure": procedure,
                "procedure_id": procedure.pk,
                "performed_on": procedure.performed_on,
                "patient": patient,
                "patient_id": patient.pk,
                "patient_name": patient.full_name,
                "email": patient.email,
                "phone": patient.phone,
                "vials": counts[procedure.pk],
                "status": procedure.status,
            }
        )
    return rows
