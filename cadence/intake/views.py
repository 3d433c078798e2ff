"""Public pages (information, self-check, consultation request) and the staff inbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cadence.accounts.access import public_page, roles_required
from cadence.accounts.roles import CARE_TEAM_ROLES
from cadence.accounts.validation import RATE_LIMITED, add_validation_errors, refusal_codes
from cadence.audit.services import audit_view, client_ip
from cadence.intake import selectors, services
from cadence.intake.forms import (
    ConsultationRequestForm,
    ConvertForm,
    NoteForm,
    SelfCheckForm,
    StatusForm,
)
from cadence.intake.models import ConsultationRequest, RequestStatus
from cadence.rules.self_check import (
    RED_FLAG_ADVICE,
    SelfCheckAnswers,
    SelfCheckLevel,
    assess_self_check,
)


@public_page
def info(request):
    """What onabotulinumtoxinA treatment for chronic migraine is, in plain words."""
    return render(request, "intake/info.html")


@public_page
def self_check(request):
    """A few questions; the answer says whether a consultation looks worthwhile. Any red
    flag (clinic-reference.md section 7) answers alone: urgent medical assessment now,
    with no consultation button and no link to ask for one."""
    form = SelfCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        answers = {**form.cleaned_data, "red_flags": frozenset(form.cleaned_data["red_flags"])}
        result = assess_self_check(SelfCheckAnswers(**answers))
    red_flag = result is not None and result.level == SelfCheckLevel.red_flag
    return render(
        request,
        "intake/self_check.html",
        {
            "form": form,
            "result": result,
            "red_flag": red_flag,
            "red_flag_advice": RED_FLAG_ADVICE,
            "hide_consultation": red_flag,
        },
    )


@public_page
def consultation(request):
    """The consultation-request form; bad input is shown field by field, nothing stored."""
    if request.method == "POST":
        form = ConsultationRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consultation_request_submit(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    date_of_birth=data["date_of_birth"],
                    preferred_contact=data["preferred_contact"],
                    message=data["message"],
                    consent_to_contact=data["consent_to_contact"],
                    self_check_summary=data["self_check_summary"],
                    honeypot=data["website"],
                    address=client_ip(request),
                    request=request,
                )
            except ValidationError as error:
                if RATE_LIMITED in refusal_codes(error):
                    return render(request, "intake/rate_limited.html", status=429)
                add_validation_errors(form, error)
            else:
                return redirect("intake:consultation-sent")
    else:
        summary = request.GET.get("self_check", "")[:1000]
        form = ConsultationRequestForm(initial={"self_check_summary": summary, "message": summary})
    return render(request, "intake/consultation_form.html", {"form": form})


@public_page
def consultation_sent(request):
    return render(request, "intake/consultation_sent.html")


@roles_required(CARE_TEAM_ROLES)
def request_list(request):
    """The inbox: new requests first, 25 a page, optionally one status only."""
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    page = Paginator(selectors.inbox(status=status), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if len(page.object_list):  # names and reasons on the page: the view is audited
        audit_view(request, summary=f"Listed {len(page.object_list)} consultation requests")
    return render(
        request,
        "intake/request_list.html",
        {"page": page, "status": status, "statuses": RequestStatus.choices},
    )


def _detail(
    request,
    consultation_request,
    *,
    status_form=None,
    note_form=None,
    convert_form=None,
    status=200,
):
    audit_view(
        request,
        summary="Viewed a consultation request",
        obj=consultation_request,
        patient_id=consultation_request.patient_id,
    )
    return render(
        request,
        "intake/request_detail.html",
        {
            "consultation_request": consultation_request,
            "notes": consultation_request.notes.select_related("author"),
            "status_form": status_form
            or StatusForm(initial={"status": consultation_request.status}),
            "note_form": note_form or NoteForm(),
            "convert_form": convert_form or ConvertForm(),
        },
        status=status,
    )


@roles_required(CARE_TEAM_ROLES)
def request_detail(request, consultation_request_id: int):
    consultation_request = get_object_or_404(ConsultationRequest, pk=consultation_request_id)
    return _detail(request, consultation_request)


@roles_required(CARE_TEAM_ROLES)
@require_POST
def request_status(request, consultation_request_id: int):
    consultation_request = get_object_or_404(ConsultationRequest, pk=consultation_request_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_request_set_status(
                actor=request.user,
                consultation_request=consultation_request,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Status: {consultation_request.get_status_display()}.")
            return redirect(
                "intake:request-detail", consultation_request_id=consultation_request.pk
            )
    consultation_request.refresh_from_db()
    return _detail(request, consultation_request, status_form=form, status=422)


@roles_required(CARE_TEAM_ROLES)
@require_POST
def request_note(request, consultation_request_id: int):
    consultation_request = get_object_or_404(ConsultationRequest, pk=consultation_request_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_request_add_note(
                actor=request.user,
                consultation_request=consultation_request,
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Note added.")
            return redirect(
                "intake:request-detail", consultation_request_id=consultation_request.pk
            )
    return _detail(request, consultation_request, note_form=form, status=422)


@roles_required(CARE_TEAM_ROLES)
@require_POST
def request_convert(request, consultation_request_id: int):
    """Create the patient record from the request, without retyping."""
    consultation_request = get_object_or_404(ConsultationRequest, pk=consultation_request_id)
    form = ConvertForm(request.POST)
    if form.is_valid():
        try:
            patient = services.consultation_request_convert(
                actor=request.user,
                consultation_request=consultation_request,
                date_of_birth=form.cleaned_data["date_of_birth"],
                sex=form.cleaned_data["sex"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Patient record created for {patient.full_name}.")
            return redirect("patients:patient-record", patient_id=patient.pk)
    return _detail(request, consultation_request, convert_form=form, status=422)
