"""Pages of the patient record: search, demographics, history, diagnosis, preventive
trials (the candidacy page is cadence.candidacy's). Thin: parse, call one service or
selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CARE_TEAM_ROLES, CLINICAL_ROLES, PRESCRIBER_ROLES
from cadence.accounts.validation import add_validation_errors
from cadence.audit.services import audit_view
from cadence.patients import selectors, services
from cadence.patients.access import patient_for_user
from cadence.patients.forms import (
    DiagnosisForm,
    HistoricalBaselineForm,
    MedicalHistoryForm,
    PatientForm,
    PreventiveTrialForm,
)
from cadence.patients.models import CHECKLIST_FIELDS, Patient, PreventiveTrial


def _save_patient_form(request, form, save, *, success: str) -> bool:
    """Run `save(cleaned_data)` for a valid POSTed form: True when saved (with a success
    message), False when the form or the service refused it (errors on the form)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        add_validation_errors(form, error)
        return False
    messages.success(request, success)
    return True


@roles_required(CARE_TEAM_ROLES)
def patient_list(request):
    """Search patients by name, email or phone (25 a page)."""
    query = request.GET.get("q", "").strip()
    patients = selectors.patient_search(query=query)
    page = Paginator(patients, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    if len(page.object_list):  # names on the page: the view is audited
        audit_view(request, summary=f"Listed {len(page.object_list)} patients")
    return render(request, "patients/patient_list.html", {"page": page, "query": query})


@roles_required(CARE_TEAM_ROLES)
def patient_create(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient = services.patient_create(
                actor=request.user,
                request=request,
                **{
                    k: data[k]
                    for k in (
                        "first_name",
                        "last_name",
                        "date_of_birth",
                        "sex",
                        "email",
                        "phone",
                        "referring_clinician",
                        "referrer_practice",
                        "referrer_address",
                        "payer_member_id",
                    )
                },
            )
            if data.get("payer_profile"):
                services.patient_update_demographics(
                    actor=request.user,
                    patient=patient,
                    request=request,
                    changes={"payer_profile": data["payer_profile"]},
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Patient record created for {patient.full_name}.")
            return redirect("patients:patient-record", patient_id=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@roles_required(CARE_TEAM_ROLES)
def patient_record(request, patient_id: int):
    """The record. Front desk and admin see demographics; clinicians and nurses the rest."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    clinical = request.user.role in CLINICAL_ROLES
    context = {
        "patient": patient,
        "clinical": clinical,
        "age": patient.age_on(timezone.localdate()),
        "payer_profile": selectors.payer_profile_for(patient),
        "payer_member": selectors.payer_member_id_for(patient),
    }
    if clinical:
        history = selectors.history_for(patient)
        context.update(
            history=history,
            checklist=[
                (label, getattr(history, f"get_{name}_display")())
                for name, label in CHECKLIST_FIELDS
            ],
            diagnosis=selectors.latest_diagnosis(patient),
            trials=selectors.preventive_trial_lines(patient, today=timezone.localdate()),
            historical_baseline=selectors.historical_baseline_for(patient),
            decision=selectors.latest_decision(patient),
        )
    audit_view(
        request,
        summary="Viewed patient record" + ("" if clinical else " (demographics)"),
        patient=patient,
        obj=patient,
    )
    return render(request, "patients/patient_record.html", context)


@roles_required(CARE_TEAM_ROLES)
def patient_edit(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=False)
    form = PatientForm(request.POST or None, instance=Patient.objects.get(pk=patient.pk))
    if _save_patient_form(
        request,
        form,
        lambda data: services.patient_update_demographics(
            actor=request.user, patient=patient, request=request, changes=data
        ),
        success="Demographics saved.",
    ):
        return redirect("patients:patient-record", patient_id=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@roles_required(CLINICAL_ROLES)
def history_edit(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = MedicalHistoryForm(request.POST or None, instance=selectors.history_for(patient))
    if _save_patient_form(
        request,
        form,
        lambda data: services.medical_history_update(
            actor=request.user, patient=patient, request=request, changes=data
        ),
        success="History and checklist saved.",
    ):
        return redirect("patients:patient-record", patient_id=patient.pk)
    return render(request, "patients/history_form.html", {"form": form, "patient": patient})


@roles_required(CLINICAL_ROLES)
def diagnosis_create(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = DiagnosisForm(request.POST or None)
    if _save_patient_form(
        request,
        form,
        lambda data: services.diagnosis_record(
            actor=request.user, patient=patient, request=request, **data
        ),
        success="Diagnosis recorded.",
    ):
        return redirect("patients:patient-record", patient_id=patient.pk)
    return render(request, "patients/diagnosis_form.html", {"form": form, "patient": patient})


@roles_required(CLINICAL_ROLES)
def preventive_trial_create(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = PreventiveTrialForm(request.POST or None)
    if _save_patient_form(
        request,
        form,
        lambda data: services.preventive_trial_add(
            actor=request.user, patient=patient, request=request, **data
        ),
        success="Preventive trial added.",
    ):
        if "add_another" in request.POST:
            return redirect("patients:preventive-trial-create", patient_id=patient.pk)
        return redirect("patients:patient-record", patient_id=patient.pk)
    return render(
        request,
        "patients/preventive_trial_form.html",
        {
            "form": form,
            "patient": patient,
            "trials": selectors.preventive_trial_lines(patient, today=timezone.localdate()),
        },
    )


@roles_required(PRESCRIBER_ROLES)
@require_POST
def preventive_trial_confirm(request, patient_id: int, trial_id: int):
    """A clinician confirms a preventive medicine the patient entered (issue 18)."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    trial = get_object_or_404(PreventiveTrial, pk=trial_id, patient=patient)
    try:
        services.preventive_trial_confirm(actor=request.user, trial=trial, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{trial.drug} confirmed: it now counts like a medicine the clinic recorded."
        )
    return redirect("patients:patient-record", patient_id=patient.pk)


@roles_required(CLINICAL_ROLES)
def historical_baseline_create(request, patient_id: int):
    """Record the baseline of a patient transferring in with sessions elsewhere."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = HistoricalBaselineForm(request.POST or None)
    if _save_patient_form(
        request,
        form,
        lambda data: services.historical_baseline_record(
            actor=request.user, patient=patient, request=request, **data
        ),
        success="Historical baseline recorded.",
    ):
        return redirect("patients:patient-record", patient_id=patient.pk)
    return render(
        request,
        "patients/historical_baseline_form.html",
        {
            "form": form,
            "patient": patient,
            "current": selectors.historical_baseline_for(patient),
        },
    )
