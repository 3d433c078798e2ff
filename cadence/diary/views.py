"""Pages of the diary app: the patient portal (diary, questionnaires, side effects), the
staff page for entering days on a patient's behalf, and the staff Alerts page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, Role
from cadence.accounts.validation import add_validation_errors, refusal_text
from cadence.audit.services import audit_view
from cadence.diary import selectors, services
from cadence.diary.calendar import backfill_window, missing_days, needs_reminder
from cadence.diary.forms import DiaryDayForm, Hit6Form, MidasForm, NoHeadacheForm, SideEffectForm
from cadence.diary.models import SideEffectReport
from cadence.patients.access import patient_for_user

REPORTS_PER_PAGE = 25


def _own_patient(request):
    return patient_for_user(request.user, request.user.patient_id, clinical=True, write=True)


def _date_param(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _month_param(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(f"{value}-01") if value else default.replace(day=1)
    except ValueError:
        return default.replace(day=1)


def _diary_page(request, patient, *, template: str, self_url: str):
    """The diary page (patient portal home or staff page): a POST records a day (full
    form or the one-tap "no headache"), a GET shows the entry form for ?date=, the gap
    list and the month calendar for ?month=."""
    today = timezone.localdate()
    usual = selectors.usual_medicines(patient=patient, today=today)
    form = None
    if request.method == "POST":
        if "no_headache" in request.POST:
            quick = NoHeadacheForm(request.POST)
            if quick.is_valid():
                on = quick.cleaned_data["date"]
                try:
                    services.diary_day_record(
                        patient=patient,
                        on=on,
                        entry=services.NO_HEADACHE_ENTRY,
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as error:
                    messages.error(request, refusal_text(error))
                else:
                    messages.success(request, f"Saved: no headache on {on:%A %-d %B}.")
            else:
                messages.error(request, "That day could not be read; please try again.")
            return redirect(self_url)
        form = DiaryDayForm(request.POST, usual_medicines=usual, today=today)
        if form.is_valid():
            on = form.cleaned_data["date"]
            try:
                services.diary_day_record(
                    patient=patient,
                    on=on,
                    entry=form.cleaned_data["entry"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Saved your diary for {on:%A %-d %B}.")
                return redirect(self_url)
    selected = _date_param(request.GET.get("date"), today)
    if selected > today:
        selected = today
    if form is None:
        existing = selectors.diary_day_on(patient=patient, on=selected)
        form = DiaryDayForm(
            initial=DiaryDayForm.initial_for(existing, selected, usual),
            usual_medicines=usual,
            today=today,
        )
    else:
        existing = None
        selected = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else selected
        selected = selected or today
    month = _month_param(request.GET.get("month"), selected)
    if month > today.replace(day=1):
        month = today.replace(day=1)
    window_start, window_end = backfill_window(today)
    recorded = selectors.recorded_dates(patient=patient, start=window_start, end=today)
    audit_view(request, patient=patient, summary="Diary viewed")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            "patient": patient,
            "form": form,
            "selected": selected,
            "selected_recorded": existing is not None or selected in recorded,
            "today": today,
            "today_recorded": today in recorded,
            "gaps": list(reversed(missing_days(recorded, window_start, window_end))),
            "show_reminder": needs_reminder(recorded, today),
            "calendar": selectors.diary_month(
                patient=patient, year=month.year, month=month.month, today=today
            ),
            "self_url": self_url,
            "on_behalf": request.user.role != Role.PATIENT,
        },
        status=status,
    )


@roles_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def portal_home(request):
    """My diary: today's quick entry, the gaps of the last two weeks and the calendar."""
    patient = _own_patient(request)
    return _diary_page(
        request, patient, template="diary/portal.html", self_url=reverse("diary:home")
    )


@roles_required(CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def patient_diary(request, patient_id: int):
    """A clinician or nurse records days on the patient's behalf."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    return _diary_page(
        request,
        patient,
        template="diary/patient_diary.html",
        self_url=reverse("diary:patient-diary", kwargs={"patient_id": patient.pk}),
    )


@roles_required(Role.PATIENT)
def questionnaire_list(request):
    patient = _own_patient(request)
    history = selectors.questionnaire_history(patient=patient)
    audit_view(request, patient=patient, summary="Questionnaires viewed")
    paginator = Paginator(history, REPORTS_PER_PAGE)
    return render(
        request,
        "diary/questionnaires.html",
        {"page": paginator.get_page(request.GET.get("page")), "patient": patient},
    )


def _questionnaire_page(request, *, form_class, instrument: str, title: str):
    patient = _own_patient(request)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.questionnaire_record(
                patient=patient,
                instrument=instrument,
                completed_on=form.cleaned_data["completed_on"],
                answers=form.answers(),
                unscored_answers=getattr(form, "unscored_answers", dict)(),
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            label = response.grade and f"grade {response.grade}" or f"{response.band} impact"
            messages.success(request, f"{instrument} saved: score {response.score} ({label}).")
            return redirect("diary:questionnaire-list")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "diary/questionnaire_form.html",
        {"form": form, "title": title, "instrument": instrument},
        status=status,
    )


@roles_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def midas_new(request):
    return _questionnaire_page(
        request,
        form_class=MidasForm,
        instrument="MIDAS",
        title="MIDAS: how much your headaches limit you",
    )


@roles_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def hit6_new(request):
    return _questionnaire_page(
        request,
        form_class=Hit6Form,
        instrument="HIT-6",
        title="HIT-6: the impact of your headaches",
    )


@roles_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def side_effect_list(request):
    """Report a side effect; the list of earlier reports; advice for the one just made."""
    patient = _own_patient(request)
    form = SideEffectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.side_effect_report(
                patient=patient,
                effect=form.cleaned_data["effect"],
                severity=form.cleaned_data["severity"],
                onset_on=form.cleaned_data["onset_on"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(f"{reverse('diary:side-effect-list')}?report={report.pk}")
    just_reported = None
    report_id = request.GET.get("report", "")
    if report_id.isdigit():
        just_reported = SideEffectReport.objects.filter(pk=int(report_id), patient=patient).first()
    reports = selectors.side_effect_reports_for(patient=patient)
    audit_view(request, patient=patient, summary="Side-effect reports viewed")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "diary/side_effects.html",
        {
            "form": form,
            "just_reported": just_reported,
            "page": Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page")),
        },
        status=status,
    )


@roles_required(CLINICAL_ROLES)
def alerts(request):
    """Urgent side-effect reports not yet acknowledged at the top, then every report."""
    urgent = list(selectors.unacknowledged_urgent_reports())
    page = Paginator(selectors.recent_side_effect_reports(), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit_view(
        request,
        summary="Side-effect alerts viewed",
        details={"patients": sorted({r.patient_id for r in [*urgent, *page.object_list]})},
    )
    return render(request, "diary/alerts.html", {"urgent_reports": urgent, "page": page})


@roles_required(CLINICAL_ROLES)
@require_POST
def alert_acknowledge(request, report_id: int):
    report = get_object_or_404(SideEffectReport, pk=report_id)
    patient_for_user(request.user, report.patient_id, clinical=True)
    services.side_effect_acknowledge(report=report, actor=request.user, request=request)
    messages.success(request, f"Acknowledged: {report.label} ({report.patient.full_name}).")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("diary:alerts")
