"""Reads for the FHIR interface: gather a patient's records from every app and map them.

Resources are yielded one at a time (diary days through ``.iterator()``) so that a full
export of a patient with years of diary keeps memory flat. The 28-day period
Observations (baseline and follow-up) are the outcomes app's answer
(``outcome_summary_for``), the same the outcome pages, the API and the CSV export show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.http import Http404

from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.interop.fhir import codes as c
from cadence.interop.fhir import mappers as m
from cadence.outcomes.selectors import outcome_summary_for
from cadence.patients.access import patient_for_user, patients_visible_to
from cadence.patients.models import Diagnosis, PreventiveTrial
from cadence.scheduling.models import Appointment
from cadence.treatments.models import Procedure, ProcedureInjection

DIARY_CHUNK = 500


# ------------------------------------------------------------------------ outcomes
def period_resources(patient, *, as_of: date | None = None) -> Iterator[dict]:
    """The baseline and follow-up 28-day periods as Observations, then the course
    response and the 24-week review (outcomes' answer: the patient's payer-profile rule,
    decided on exact values)."""
    summary = outcome_summary_for(patient, today=as_of)
    if summary.baseline is not None:
        yield m.period_resource(summary.baseline, patient_id=patient.pk, baseline=True)
    for period in summary.periods:
        yield m.period_resource(period, patient_id=patient.pk, baseline=False)
    if summary.session_dates:
        yield from response_resources(summary)


def response_resources(summary) -> Iterator[dict]:
    """The course response and the 24-week review Observations of ``summary`` (a
    ``PatientOutcomes``)."""
    patient_id = summary.patient.pk
    yield m.response_resource(summary.response, summary.baseline, patient_id=patient_id)
    yield m.response_resource(
        summary.week_24_response, summary.baseline, patient_id=patient_id, review=True
    )


# ------------------------------------------------------------------------ per type
def condition_resources(patient, queryset=None) -> Iterator[dict]:
    rows = (
        queryset
        if queryset is not None
        else Diagnosis.objects.filter(patient=patient).order_by("id")
    )
    for diagnosis in rows:
        yield m.condition_resource(diagnosis, patient_id=patient.pk)


def medication_statement_resources(patient, queryset=None) -> Iterator[dict]:
    rows = queryset if queryset is not None else PreventiveTrial.objects.filter(patient=patient)
    for trial in rows.order_by("start", "id"):
        yield m.medication_statement_resource(trial, patient_id=patient.pk)


def _procedures(patient, queryset=None):
    rows = queryset if queryset is not None else Procedure.objects.filter(patient=patient)
    rows = rows.select_related("clinician").order_by("performed_on", "id")
    return rows.prefetch_related("injections__site", "vials")


def _injections(procedure) -> list:
    return list(procedure.injections.all())


def _vials(procedure) -> list:
    return list(procedure.vials.all())


def _condition_ids(patient) -> list[str]:
    return [
        f"diagnosis-{pk}"
        for pk in Diagnosis.objects.filter(patient=patient).values_list("pk", flat=True)
    ]


def procedure_resources(
    patient, queryset=None, *, with_administrations: bool = True
) -> Iterator[dict]:
    """Procedure for each session, then its MedicationAdministrations."""
    procedures = _procedures(patient, queryset)
    condition_ids = _condition_ids(patient)
    for procedure in procedures:
        injections = _injections(procedure)
        yield m.procedure_resource(
            procedure,
            patient_id=patient.pk,
            site_codes=[i.site.code for i in injections],
            condition_ids=condition_ids,
        )
        if with_administrations:
            yield from administration_resources(
                procedure, patient_id=patient.pk, injections=injections
            )


def administration_resources(procedure, *, patient_id: int, injections=None) -> Iterator[dict]:
    injections = _injections(procedure) if injections is None else injections
    vials = _vials(procedure)
    if injections:
        by_pk = {vial.pk: vial for vial in vials}
        for injection in injections:
            yield m.medication_administration_resource(
                resource_id=f"injection-{injection.pk}",
                procedure=procedure,
                patient_id=patient_id,
                units=injection.units,
                site_code=injection.site.code,
                vials=vials,
                vial=by_pk.get(injection.vial_id),
            )
    else:
        yield m.medication_administration_resource(
            resource_id=f"procedure-{procedure.pk}",
            procedure=procedure,
            patient_id=patient_id,
            units=procedure.total_units,
            vials=vials,
        )


def diary_resources(patient, queryset=None) -> Iterator[dict]:
    rows = (
        queryset
        if queryset is not None
        else DiaryDay.objects.filter(patient=patient).order_by("date")
    )
    for day in rows.iterator(chunk_size=DIARY_CHUNK):
        yield m.diary_day_resource(day, patient_id=patient.pk)


def questionnaire_response_resources(patient, queryset=None) -> Iterator[dict]:
    rows = (
        queryset if queryset is not None else QuestionnaireResponse.objects.filter(patient=patient)
    )
    for response in rows.order_by("completed_on", "id"):
        yield m.questionnaire_response_resource(response, patient_id=patient.pk)


def questionnaire_resources() -> Iterator[dict]:
    yield m.questionnaire_resource(c.MIDAS)
    yield m.questionnaire_resource(c.HIT6)


def appointment_resources(patient, queryset=None) -> Iterator[dict]:
    rows = queryset if queryset is not None else Appointment.objects.filter(patient=patient)
    for appointment in rows.select_related("clinician").order_by("starts_at", "id"):
        yield m.appointment_resource(appointment, patient_id=patient.pk)


def adverse_event_resources(patient, queryset=None) -> Iterator[dict]:
    rows = queryset if queryset is not None else SideEffectReport.objects.filter(patient=patient)
    for report in rows.order_by("onset_on", "id"):
        yield m.adverse_event_resource(report, patient_id=patient.pk)


def patient_everything(
    patient, *, clinical: bool = True, as_of: date | None = None
) -> Iterator[dict]:
    """Every resource of the patient's record, lazily. ``clinical=False`` (front desk,
    admin) yields demographics and appointments only."""
    yield m.patient_resource(patient)
    if clinical:
        yield from condition_resources(patient)
        yield from medication_statement_resources(patient)
        yield from procedure_resources(patient)
        yield from questionnaire_resources()
        yield from questionnaire_response_resources(patient)
        yield from adverse_event_resources(patient)
    yield from appointment_resources(patient)
    if clinical:
        yield from period_resources(patient, as_of=as_of)
        yield from diary_resources(patient)


# ------------------------------------------------------------------------ read by id
@dataclass(frozen=True)
class ResourceAddress:
    """Where a resource id points: the model, its pk and the id's prefix."""

    prefix: str
    pk: int


def _split_id(resource_id: str, prefixes: tuple[str, ...]) -> ResourceAddress:
    for prefix in prefixes:
        head = f"{prefix}-"
        if resource_id.startswith(head) and resource_id[len(head) :].isdigit():
            return ResourceAddress(prefix, int(resource_id[len(head) :]))
    raise Http404("No such resource.")


# resource type -> (id prefix -> model).
_READABLE: dict[str, dict[str, type]] = {
    "Condition": {"diagnosis": Diagnosis},
    "MedicationStatement": {"trial": PreventiveTrial},
    "Procedure": {"procedure": Procedure},
    "MedicationAdministration": {
        "injection": ProcedureInjection,
        "procedure": Procedure,
    },
    "Observation": {"diary": DiaryDay},
    "QuestionnaireResponse": {"questionnaire": QuestionnaireResponse},
    "Appointment": {"appointment": Appointment},
    "AdverseEvent": {"side-effect": SideEffectReport},
}


def _owner_patient_id(model, pk: int) -> int:
    field = "procedure__patient_id" if model is ProcedureInjection else "patient_id"
    owner = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    if owner is None:
        raise Http404("No such resource.")
    return owner


def resource_read(user, resource_type: str, resource_id: str) -> tuple[dict, object]:
    """The resource ``resource_type/resource_id`` if ``user`` may see it, and its patient.

    Raises Http404 (unknown type or id, or another patient's record for a patient user)
    or PermissionDenied (a role that may not see this kind of data)."""
    clinical = resource_type not in c.DEMOGRAPHIC_TYPES
    if resource_type == "Patient":
        patient = patient_for_user(user, resource_id, clinical=False)
        return m.patient_resource(patient), patient
    if resource_type == "Observation" and resource_id.startswith("period-"):
        return _period_read(user, resource_id)
    if resource_type == "Observation" and resource_id.startswith("response-"):
        return _response_read(user, resource_id)
    prefixes = _READABLE.get(resource_type)
    if prefixes is None:
        raise Http404("No such resource type.")
    address = _split_id(resource_id, tuple(sorted(prefixes, key=len, reverse=True)))
    model = prefixes[address.prefix]
    try:
        patient = patient_for_user(user, _owner_patient_id(model, address.pk), clinical=clinical)
    except Http404:
        # Another patient's resource answers exactly as a missing one: no existence
        # oracle ("No such patient" would say the id exists; issue 21, finding 10).
        raise Http404("No such resource.") from None
    # Look the object up again filtered by that patient.
    if model is ProcedureInjection:
        injection = (
            model.objects.select_related("procedure", "site")
            .filter(pk=address.pk, procedure__patient=patient)
            .first()
        )
        if injection is None:
            raise Http404("No such resource.")
        resource = next(
            r
            for r in administration_resources(injection.procedure, patient_id=patient.pk)
            if r["id"] == resource_id
        )
        return resource, patient
    queryset = model.objects.filter(pk=address.pk, patient=patient)
    if not queryset.exists():
        raise Http404("No such resource.")
    producers = {
        "Condition": condition_resources,
        "MedicationStatement": medication_statement_resources,
        "Observation": diary_resources,
        "QuestionnaireResponse": questionnaire_response_resources,
        "Appointment": appointment_resources,
        "AdverseEvent": adverse_event_resources,
    }
    if resource_type == "Procedure":
        resources = procedure_resources(patient, queryset, with_administrations=False)
    elif resource_type == "MedicationAdministration":
        procedure = _procedures(patient, queryset).first()
        if procedure is None or _injections(procedure):
            raise Http404("No such resource.")
        resources = administration_resources(procedure, patient_id=patient.pk)
    else:
        resources = producers[resource_type](patient, queryset)
    resource = next(iter(resources), None)
    if resource is None:
        raise Http404("No such resource.")
    return resource, patient


def _period_read(user, resource_id: str) -> tuple[dict, object]:
    parts = resource_id.split("-")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) != 8 or not parts[2].isdigit():
        raise Http404("No such resource.")
    patient = patient_for_user(user, parts[1], clinical=True)
    for resource in period_resources(patient):
        if resource["id"] == resource_id:
            return resource, patient
    raise Http404("No such resource.")


def _response_read(user, resource_id: str) -> tuple[dict, object]:
    parts = resource_id.split("-", 2)
    if len(parts) < 2 or not parts[1].isdigit() or parts[2:] not in ([], ["week-24"]):
        raise Http404("No such resource.")
    patient = patient_for_user(user, parts[1], clinical=True)
    summary = outcome_summary_for(patient)
    for resource in response_resources(summary) if summary.session_dates else ():
        if resource["id"] == resource_id:
            return resource, patient
    raise Http404("No such resource.")


def questionnaire_read(questionnaire_id: str) -> dict:
    if questionnaire_id not in (c.MIDAS, c.HIT6):
        raise Http404("No such questionnaire.")
    return m.questionnaire_resource(questionnaire_id)


# ------------------------------------------------------------------------ search
SEARCH_LIMIT = 50


def patient_search(user, *, family: str = "", birthdate: date | None = None):
    """Patients the user may list, by family name (starts with, case-insensitive) and
    birth date. At most SEARCH_LIMIT results."""
    queryset = patients_visible_to(user)
    if family:
        queryset = queryset.filter(last_name__istartswith=family)
    if birthdate is not None:
        queryset = queryset.filter(date_of_birth=birthdate)
    return list(queryset.order_by("last_name", "first_name", "id")[:SEARCH_LIMIT])
