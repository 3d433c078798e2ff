"""The surgery pages: the evaluation (pain sketch, site table, PAINS, work-up, diagnostic
plans and nerve blocks), a nerve-block note, the operation's outcomes, and the
surgery-evaluation packet and referral letter (PDF). Thin: parse, call one service or
selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import (
    CLINICAL_ROLES,
    DASHBOARD_ROLES,
    PATIENT_ROLES,
    PRESCRIBER_ROLES,
    Role,
)
from cadence.accounts.validation import add_validation_errors
from cadence.audit.services import audit_view
from cadence.outcomes.reports import render_pdf
from cadence.patients.access import patient_for_user
from cadence.rules.surgery import SURGERY_SUCCESS_PERCENT, TRIGGER_SITES, TriggerSite
from cadence.surgery import selectors, services
from cadence.surgery.forms import (
    DiagnosticTargetForm,
    NerveBlockAmendForm,
    NerveBlockForm,
    NerveBlockVoidForm,
    OperationForm,
    WorkupForm,
)
from cadence.surgery.models import NoteStatus
from cadence.surgery.sketch import sketch_svg
from cadence.treatments import note_pages

CRITERION_LABELS = {
    "pain_point": "Pain point (shown with one finger)",
    "appropriate_symptoms": "Appropriate symptoms for the site",
    "injectables_improve": "Injectables improve the pain",
    "neurologist_diagnosis": "Neurologist-confirmed diagnosis",
    "sketch_matching": "Sketch of the pain matches the site",
}


def _site_label(code) -> str:
    return TRIGGER_SITES[TriggerSite(code)].label


def evaluation_context(evaluation) -> dict:
    """What the page, the packet and the letter show of the evaluation."""
    rows = evaluation.sketch.rows()
    return {
        "evaluation": evaluation,
        "sketch": evaluation.sketch,
        "sketch_rows": rows,
        "sketch_svg": sketch_svg(rows, days=28),
        "site_rows": [
            {**selectors.site_line_as_dict(line), "label": _site_label(line.response.trigger_site)}
            for line in evaluation.sites
        ],
        "pains_rows": [(CRITERION_LABELS[c.code], c) for c in evaluation.pains.criteria],
        "pains_site": _site_label(evaluation.pains.trigger_site)
        if evaluation.pains.trigger_site
        else None,
        "region_labels": selectors.region_labels(),
    }


def _page(request, patient, *, forms=None, status=200):
    today = timezone.localdate()
    evaluation = selectors.evaluation_for(patient, today=today)
    audit_view(request, summary="Viewed the surgery evaluation", patient=patient)
    workup = evaluation.workup
    forms = forms or {}
    context = {
        "patient": patient,
        "workup_form": forms.get("workup")
        or WorkupForm(
            initial={
                "trigger_site": (workup and workup.trigger_site)
                or (evaluation.pains.trigger_site or ""),
                "pain_point": workup.pain_point if workup else "unknown",
                "appropriate_symptoms": workup.appropriate_symptoms if workup else "unknown",
            }
        ),
        "target_form": forms.get("target") or DiagnosticTargetForm(),
        "target_form_plan": forms.get("target_plan"),
        "block_form": forms.get("block") or NerveBlockForm(),
        "operation_form": forms.get("operation") or OperationForm(),
        "plans": selectors.diagnostic_plans(patient),
        "nerve_blocks": selectors.nerve_blocks_for(patient),
        "operations": selectors.operations_for(patient),
        "can_write": request.user.role == Role.CLINICIAN,
        **evaluation_context(evaluation),
    }
    return render(request, "surgery/evaluation.html", context, status=status)


@roles_required(CLINICAL_ROLES)
def surgery_evaluation(request, patient_id: int):
    """The pain sketch, the site table, PAINS, and what feeds them."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    return _page(request, patient)


@roles_required(CLINICAL_ROLES)
@require_POST
def surgical_workup_record(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = WorkupForm(request.POST)
    if form.is_valid():
        try:
            services.surgical_workup_record(
                patient=patient, recorded_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Work-up recorded.")
            return redirect("surgery:evaluation", patient_id=patient.pk)
    return _page(request, patient, forms={"workup": form}, status=422)


@roles_required(Role.CLINICIAN)
@require_POST
def diagnostic_target_mark(request, patient_id: int, plan_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    form = DiagnosticTargetForm(request.POST)
    if form.is_valid():
        try:
            services.diagnostic_target_mark(
                plan=plan, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Plan {plan.pk} is now diagnostic.")
            return redirect("surgery:evaluation", patient_id=patient.pk)
    return _page(request, patient, forms={"target": form, "target_plan": plan.pk}, status=422)


@roles_required(Role.CLINICIAN)
@require_POST
def nerve_block_record(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = NerveBlockForm(request.POST)
    if form.is_valid():
        try:
            block = services.nerve_block_record(
                patient=patient, clinician=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Nerve block recorded as a draft note: sign it when ready.")
            return redirect("surgery:nerve-block", patient_id=patient.pk, nerve_block_id=block.pk)
    return _page(request, patient, forms={"block": form}, status=422)


def _block_page(request, patient, block, *, void_form=None, status=200):
    audit_view(request, summary="Viewed a nerve-block note", patient=patient, obj=block)
    is_clinician = request.user.role == Role.CLINICIAN
    return render(
        request,
        "surgery/nerve_block.html",
        {
            "patient": patient,
            "nerve_block": block,
            "site_label": _site_label(block.trigger_site),
            "can_sign": is_clinician and block.status == NoteStatus.DRAFT,
            "can_void": is_clinician and block.status == NoteStatus.DRAFT,
            "can_amend": is_clinician and block.is_signed,
            "void_form": void_form or NerveBlockVoidForm(),
        },
        status=status,
    )


@roles_required(CLINICAL_ROLES)
def nerve_block_detail(request, patient_id: int, nerve_block_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    return _block_page(request, patient, block)


@roles_required(PRESCRIBER_ROLES)
@require_POST
def nerve_block_void(request, patient_id: int, nerve_block_id: int):
    """Void a draft note with a reason (kept, audited, counted nowhere)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    form = NerveBlockVoidForm(request.POST)
    done = note_pages.void_draft_posted(
        request,
        form,
        void=lambda reason: services.nerve_block_void(
            block=block, voided_by=request.user, reason=reason, request=request
        ),
        note_url=_block_url(patient, block),
    )
    if done is not None:
        return done
    return _block_page(request, patient, block, void_form=form, status=422)


@roles_required(PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def nerve_block_amend(request, patient_id: int, nerve_block_id: int):
    """Amend a signed note: the signed original and every amendment stay on record."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    return note_pages.amend_signed_page(
        request,
        block,
        form_class=NerveBlockAmendForm,
        fields=("agent", "volume_ml", "dose_mg", "notes"),
        amend=lambda **changes: services.nerve_block_amend(
            block=block, amended_by=request.user, request=request, **changes
        ),
        note_url=_block_url(patient, block),
        template="surgery/nerve_block_amend.html",
        context={"patient": patient, "nerve_block": block},
    )


def _block_url(patient, block) -> str:
    return reverse(
        "surgery:nerve-block", kwargs={"patient_id": patient.pk, "nerve_block_id": block.pk}
    )


@roles_required(Role.CLINICIAN)
@require_POST
def nerve_block_sign(request, patient_id: int, nerve_block_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    try:
        services.nerve_block_sign(block=block, signed_by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Nerve-block note signed.")
    return redirect("surgery:nerve-block", patient_id=patient.pk, nerve_block_id=block.pk)


@roles_required(Role.CLINICIAN)
@require_POST
def surgical_operation_record(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = OperationForm(request.POST)
    if form.is_valid():
        try:
            services.surgical_operation_record(
                patient=patient,
                performed_on=form.cleaned_data["performed_on"],
                surgeon=form.cleaned_data["surgeon"],
                sites=form.site_pairs(),
                technique=form.cleaned_data["technique"],
                recorded_by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Operation recorded.")
            return redirect("surgery:outcomes", patient_id=patient.pk)
    return _page(request, patient, forms={"operation": form}, status=422)


@roles_required(CLINICAL_ROLES)
def surgery_outcomes(request, patient_id: int):
    """Each operation with headache days and MHI against the pre-operative baseline."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    today = timezone.localdate()
    audit_view(request, summary="Viewed outcomes after surgery", patient=patient)
    operations = [
        {
            "operation": op,
            "sites": [f"{_site_label(s['trigger_site'])} ({s['side']})" for s in op.sites],
            "windows": selectors.surgery_outcomes(op, today=today),
        }
        for op in selectors.operations_for(patient)
    ]
    return render(request, "surgery/outcomes.html", {"patient": patient, "operations": operations})


@roles_required(PATIENT_ROLES)
def my_surgery_outcomes(request):
    """The patient's own outcomes after surgery, read-only, in plain words: the same
    windows and the same success as the clinician's page (``surgery_outcomes``)."""
    if not request.user.patient_id:
        raise Http404("No patient record is linked to this account.")
    patient = patient_for_user(request.user, request.user.patient_id, clinical=True)
    today = timezone.localdate()
    audit_view(request, summary="Viewed own outcomes after surgery", patient=patient)
    operations = [
        {
            "operation": op,
            "sites": [f"{_site_label(s['trigger_site'])} ({s['side']})" for s in op.sites],
            "windows": selectors.surgery_outcomes(op, today=today),
        }
        for op in selectors.operations_for(patient)
    ]
    return render(
        request,
        "surgery/my_outcomes.html",
        {"patient": patient, "operations": operations, "success_percent": SURGERY_SUCCESS_PERCENT},
    )


def _pdf(request, patient_id: int, *, template: str, title: str, kind: str) -> HttpResponse:
    patient = patient_for_user(request.user, patient_id, clinical=True)
    today = timezone.localdate()
    evaluation = selectors.evaluation_for(patient, today=today)
    courses, summary = selectors.botox_history(patient, today=today)
    context = {
        "patient": patient,
        "title": title,
        "clinic_name": settings.CLINIC_NAME,
        "outcome": {"today": today},
        "signed_by": getattr(request.user, "display_name", "") or request.user.get_username(),
        "signer": request.user,  # the signature block: name, credentials, NPI (issue 19)
        "courses": courses,
        "baseline": summary.baseline,
        "medications": selectors.medication_history(patient),
        "diagnosis": selectors.diagnosis(patient),
        "workup": evaluation.workup,
        **evaluation_context(evaluation),
    }
    pdf = render_pdf(template, context)
    services.surgery_document_export(
        actor=request.user, patient=patient, document=title, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{patient.pk}-{today.isoformat()}.pdf"'
    )
    return response


@roles_required(CLINICAL_ROLES)
def surgery_packet_pdf(request, patient_id: int):
    """The surgery-evaluation packet: sketch, site table, PAINS, Botox history with the
    response per course, medication history."""
    return _pdf(
        request,
        patient_id,
        template="surgery/pdf/packet.html",
        title="Surgery-evaluation packet",
        kind="surgery-packet",
    )


@roles_required(CLINICAL_ROLES)
def surgery_referral_pdf(request, patient_id: int):
    """The referral letter to the surgeon."""
    return _pdf(
        request,
        patient_id,
        template="surgery/pdf/referral.html",
        title="Referral for migraine surgery",
        kind="surgery-referral",
    )


@roles_required(DASHBOARD_ROLES)
def clinic_surgery_outcomes(request):
    """Outcomes after surgery across the clinic, beside the Botox dashboard."""
    lines = selectors.clinic_surgery_outcomes(today=timezone.localdate())
    return render(request, "surgery/clinic_outcomes.html", {"lines": lines})
