"""Outcome pages: the clinician patient page, the patient list, the dashboard, the
patient's own progress page and the PDF downloads."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, DASHBOARD_ROLES, Role
from cadence.outcomes import reports, selectors
from cadence.outcomes.services import outcome_report_export, outcome_view_record
from cadence.patients.access import patient_for_user
from cadence.scheduling import selectors as scheduling_selectors


@roles_required(CLINICAL_ROLES)
def patient_list(request):
    """Staff list of patients with search by name, 25 a page."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.patient_list(search), 25).get_page(request.GET.get("page"))
    return render(request, "outcomes/patient_list.html", {"page": page, "search": search})


@roles_required(CLINICAL_ROLES)
def patient_detail(request, patient_id: int):
    """THE clinician patient page: summary, alerts, charts, periods, effect curves."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    outcome = selectors.patient_outcomes(patient)
    outcome_view_record(
        actor=request.user, patient=patient, summary="Viewed outcomes page", request=request
    )
    context = reports.outcome_context(outcome)
    context.update(
        {
            "diary_url": reverse("diary:patient-diary", kwargs={"patient_id": patient.pk}),
            "treatments_url": reverse(
                "treatments:patient-treatments", kwargs={"patient_id": patient.pk}
            ),
            "record_url": reverse("patients:patient-record", kwargs={"patient_id": patient.pk}),
            "candidacy_url": reverse("candidacy:candidacy", kwargs={"patient_id": patient.pk}),
            # The booking page prefills the suggested date from the patient's rhythm.
            "book_url": reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk}),
            "next_appointment": selectors.next_appointment(patient),
        }
    )
    return render(request, "outcomes/patient_detail.html", context)


def _report(request, patient_id: int, kind: str) -> HttpResponse:
    patient = patient_for_user(request.user, patient_id, clinical=True)
    template, title = reports.REPORTS[kind]
    outcome = selectors.patient_outcomes(patient)
    context = reports.report_context(outcome, request.user)
    context["title"] = title
    pdf = reports.render_pdf(template, context)
    outcome_report_export(actor=request.user, patient=patient, report=title, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{kind}-{patient.pk}-{outcome.today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles_required(CLINICAL_ROLES)
def progress_report(request, patient_id: int):
    return _report(request, patient_id, "progress")


@roles_required(CLINICAL_ROLES)
def referrer_letter(request, patient_id: int):
    return _report(request, patient_id, "referrer")


@roles_required(CLINICAL_ROLES)
def continuation_packet(request, patient_id: int):
    return _report(request, patient_id, "continuation")


@roles_required(Role.PATIENT)
def my_progress(request):
    """The patient's own progress in plain words."""
    if not request.user.patient_id:
        raise Http404("No patient record is linked to this account.")
    patient = patient_for_user(request.user, request.user.patient_id, clinical=True)
    outcome = selectors.patient_outcomes(patient)
    outcome_view_record(
        actor=request.user, patient=patient, summary="Viewed own progress", request=request
    )
    return render(request, "outcomes/my_progress.html", reports.outcome_context(outcome))


@roles_required(DASHBOARD_ROLES)
def dashboard(request):
    """Clinic dashboard: urgent side-effect alerts first (until acknowledged), stages,
    24-week responders vs PREEMPT, side-effect rates, sessions due (to the worklists)."""
    report = selectors.clinic_report()
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "report": report,
            "worklists": scheduling_selectors.worklists(report.today),
            "worklists_url": reverse("scheduling:worklists"),
            "side_effect_window_days": selectors.SIDE_EFFECT_WINDOW_DAYS,
        },
    )
