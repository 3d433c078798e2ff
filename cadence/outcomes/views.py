"""Outcome pages: the clinician patient page, the patient list, the dashboard, the
patient's own progress page and the PDF downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, DASHBOARD_ROLES, Role
from cadence.accounts.validation import add_validation_errors
from cadence.audit.services import audit_view
from cadence.diary import selectors as diary_selectors
from cadence.outcomes import reports, selectors
from cadence.outcomes.forms import CourseReviewDecisionForm
from cadence.outcomes.report_sections import progress_sections, report_sections
from cadence.outcomes.services import (
    course_review_decision_record,
    outcome_report_export,
    outcome_view_record,
)
from cadence.patients.access import patient_for_user
from cadence.scheduling import selectors as scheduling_selectors
from cadence.treatments import selectors as treatment_selectors


@roles_required(CLINICAL_ROLES)
def patient_list(request):
    """Staff list of patients with search by name, 25 a page."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.patient_list(search), 25).get_page(request.GET.get("page"))
    if len(page.object_list):  # names on the page: the view is audited
        audit_view(request, summary=f"Listed {len(page.object_list)} patients (outcomes)")
    return render(request, "outcomes/patient_list.html", {"page": page, "search": search})


@roles_required(CLINICAL_ROLES)
def patient_detail(request, patient_id: int):
    """THE clinician patient page: summary, alerts, charts, periods, effect curves."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    outcome = selectors.patient_outcomes(patient, with_year=True)
    outcome_view_record(
        actor=request.user, patient=patient, summary="Viewed outcomes page", request=request
    )
    context = reports.outcome_context(outcome)
    context.update(reports.course_review_context(outcome))
    context["questionnaire_rhythm"] = selectors.questionnaire_rhythm_for(outcome)
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
            # Sessions on an override of the clinical gate (issue 15), marked on the page.
            "outside_protocol_sessions": treatment_selectors.outside_protocol_sessions_for(patient),
            "year": _year_at_a_glance(outcome),
        }
    )
    return render(request, "outcomes/patient_detail.html", context)


def _year_at_a_glance(outcome):
    """The diary's year at a glance from what ``patient_outcomes(with_year=True)`` read
    already: its days (in the query of questionnaires and alerts) and session dates."""
    return diary_selectors.year_weeks(
        patient=outcome.patient,
        today=outcome.today,
        sessions=outcome.session_dates,
        days=outcome.year_days,
    )


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
def course_review(request, patient_id: int):
    """The course review: the payer rule's recommendation (continue / stop / review) with
    its evidence, the decisions recorded, and (clinicians) the form to record one."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    outcome = selectors.patient_outcomes(patient, with_alerts=False)
    context = reports.course_review_context(outcome)
    can_decide = request.user.role == Role.CLINICIAN
    form = CourseReviewDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("Only a clinician records the course review decision.")
        if form.is_valid():
            try:
                course_review_decision_record(
                    actor=request.user,
                    patient=patient,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    review=context["course_review"],
                    request=request,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Course review decision recorded.")
                return redirect("outcomes:course-review", patient_id=patient.pk)
    else:
        outcome_view_record(
            actor=request.user, patient=patient, summary="Viewed course review", request=request
        )
    context.update({"patient": patient, "outcome": outcome, "form": form})
    return render(request, "outcomes/course_review.html", context)


#: The course-review card lists at most this many patients (each costs a few queries to
#: judge); the worklists page has them all. A Cadence display choice.
COURSE_REVIEW_CARD_LIMIT = 20


@roles_required(CLINICAL_ROLES)
def course_reviews_due(request):
    """The dashboard's "Course reviews due" card (loaded by htmx after the dashboard, so
    the dashboard keeps its query budget): each course whose 24-week review is due and
    has no recorded decision, with the payer rule's recommendation."""
    today = timezone.localdate()
    entries = scheduling_selectors.course_reviews_due(today)
    decided = selectors.decided_courses(e.patient.pk for e in entries)
    rows = []
    for entry in entries:
        if (entry.patient.pk, entry.schedule.course_first_session) in decided:
            continue
        if len(rows) == COURSE_REVIEW_CARD_LIMIT:
            break
        outcome = selectors.patient_outcomes(entry.patient, today=today, with_alerts=False)
        rows.append({"entry": entry, **reports.course_review_context(outcome)})
    if rows:
        audit_view(request, summary=f"Listed {len(rows)} course reviews due")
    return render(
        request,
        "outcomes/_course_reviews_due.html",
        {
            "rows": rows,
            "limit": COURSE_REVIEW_CARD_LIMIT,
            "worklists_url": reverse("scheduling:worklists"),
        },
    )


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
    outcome = selectors.patient_outcomes(patient, with_year=True)
    outcome_view_record(
        actor=request.user, patient=patient, summary="Viewed own progress", request=request
    )
    context = reports.outcome_context(outcome)
    context["year"] = _year_at_a_glance(outcome)
    # A booked session is shown instead of the due date; a due date already passed is
    # never shown bare (issue 19).
    context["booked_treatment"] = selectors.next_booked_treatment(patient)
    next_due = outcome.schedule.next_due
    context["treatment_overdue"] = next_due is not None and next_due < outcome.today
    # Sections of the apps above outcomes (surgery), registered in their ready().
    context["sections"] = progress_sections(patient=patient, today=outcome.today)
    return render(request, "outcomes/my_progress.html", context)


@roles_required(DASHBOARD_ROLES)
def dashboard(request):
    """Clinic dashboard: urgent side-effect alerts first (until acknowledged), sessions
    due (to the worklists), course reviews; the clinic's outcomes (stages, 24-week
    responders vs PREEMPT, side-effect rates) arrive by htmx from `dashboard_outcomes`,
    so that the page answers at once however many patients the report reads."""
    today = timezone.localdate()
    # The dashboard names patients (alerts, sessions due): the view is audited.
    audit_view(request, summary="Viewed the clinic dashboard")
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "today": today,
            "worklists": scheduling_selectors.worklists(today),
            "worklists_url": reverse("scheduling:worklists"),
            # Sections of the apps above outcomes (surgery), registered in their ready().
            "sections": report_sections(today=today),
        },
    )


@roles_required(DASHBOARD_ROLES)
def dashboard_outcomes(request):
    """The dashboard's outcome cards (clinic numbers, no patient named): stages,
    response at 24 weeks against PREEMPT, side-effect rates. A fragment for htmx; opened
    directly (without JavaScript), a page of its own."""
    context = {
        "report": selectors.clinic_report(),
        "side_effect_window_weeks": selectors.SIDE_EFFECT_WINDOW_WEEKS,
    }
    if request.htmx:
        return render(request, "outcomes/_dashboard_outcomes.html", context)
    return render(request, "outcomes/dashboard_outcomes.html", context)
