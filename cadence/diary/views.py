"""Pages of the diary app: the patient portal (diary, questionnaires, side effects), the
staff page for entering days on a patient's behalf, and the staff Alerts page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, Role
from cadence.accounts.validation import add_validation_errors, plausible, refusal_text
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record, audit_view
from cadence.diary import selectors, services
from cadence.diary.calendar import backfill_window, missing_days, needs_reminder
from cadence.diary.export import diary_csv_rows
from cadence.diary.forms import (
    DRUG_CLASS_LABELS,
    AlertAcknowledgeForm,
    AttackEndForm,
    DiaryDayForm,
    Hit6Form,
    MidasForm,
    NoHeadacheForm,
    PreventiveMedicineForm,
    SideEffectForm,
)
from cadence.diary.models import SideEffectReport
from cadence.diary.painmap import heat_map_svg, outline_svg, region_targets
from cadence.patients import services as patient_services
from cadence.patients.access import patient_for_user
from cadence.rules.pain_regions import PAIN_MAP_DAYS, PAIN_REGION_LABELS
from cadence.rules.sites import SITE_CATALOGUE
from cadence.rules.triggers import MIN_TRIGGER_OCCURRENCES, TRIGGER_LABELS

REPORTS_PER_PAGE = 25


def _own_patient(request):
    return patient_for_user(request.user, request.user.patient_id, clinical=True, write=True)


def _date_param(value: str | None, default: date) -> date:
    """?date=: malformed or implausible (0001-01-01, 9999-12-31) falls back to `default`."""
    try:
        chosen = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return chosen if plausible(chosen) else default


def _month_param(value: str | None, default: date) -> date:
    try:
        chosen = date.fromisoformat(f"{value}-01") if value else default.replace(day=1)
    except ValueError:
        return default.replace(day=1)
    return chosen if plausible(chosen) else default.replace(day=1)


def _diary_page(request, patient, *, template: str, self_url: str):
    """The diary page (patient portal home or staff page): a POST records a day (full
    form or the one-tap "no headache"), a GET shows the entry form for ?date=, the gap
    list and the month calendar for ?month=."""
    today = timezone.localdate()
    usual = selectors.usual_medicines(patient=patient, today=today)
    track_cycle = selectors.tracks_cycle(patient=patient)
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
        posted_day = _date_param(request.POST.get("date"), today)
        stored = selectors.diary_day_on(patient=patient, on=posted_day)
        form = DiaryDayForm(
            request.POST,
            usual_medicines=usual,
            today=today,
            attacks=services.attacks_from_json(stored.attacks)
            if stored and stored.attacks
            else None,
            track_cycle=track_cycle,
        )
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
            track_cycle=track_cycle,
        )
    else:
        # A refused save shows the day it was for (the form keeps the day's answers).
        selected = min(posted_day, today)
        existing = stored
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
            "region_targets": region_targets(),
            "head_outline": mark_safe(outline_svg()),  # noqa: S308 (every text escaped)
            "open_attack": services.open_attack(patient=patient),
            # Its own ids: the day's form below has fields of the same names.
            "attack_form": AttackEndForm(usual_medicines=usual, auto_id="attack_%s"),
            "track_cycle": track_cycle,
            "preventives": selectors.current_preventives(patient=patient, today=today),
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
    same_day_question = ""
    if request.method == "POST" and form.is_valid():
        try:
            response = services.questionnaire_record(
                patient=patient,
                instrument=instrument,
                completed_on=form.cleaned_data["completed_on"],
                answers=form.answers(),
                unscored_answers=getattr(form, "unscored_answers", dict)(),
                replace_same_day=form.cleaned_data["replace"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            earlier = _answered_same_day(error, patient, instrument, form)
            if earlier is not None:
                # Nothing saved: ask before the earlier answer of that day is replaced.
                same_day_question = services.same_day_question(earlier)
            else:
                add_validation_errors(form, error)
        else:
            label = response.grade and f"grade {response.grade}" or f"{response.band} impact"
            messages.success(request, f"{instrument} saved: score {response.score} ({label}).")
            return redirect("diary:questionnaire-list")
    status = (409 if same_day_question else 422) if request.method == "POST" else 200
    return render(
        request,
        "diary/questionnaire_form.html",
        {
            "form": form,
            "title": title,
            "instrument": instrument,
            "same_day_question": same_day_question,
        },
        status=status,
    )


def _answered_same_day(error: ValidationError, patient, instrument: str, form):
    """The earlier response of the day when ``error`` is the same-day refusal, else None."""
    if "replace" not in getattr(error, "error_dict", {}):
        return None
    return services.questionnaire_answered_on(
        patient=patient, instrument=instrument, completed_on=form.cleaned_data["completed_on"]
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


def _alert_page(request, report, form, *, status=200):
    return render(
        request,
        "diary/alert_detail.html",
        {"report": report, "patient": report.patient, "form": form},
        status=status,
    )


@roles_required(CLINICAL_ROLES)
def alert_detail(request, report_id: int):
    """One side-effect alert (the on-call e-mail and text link here): the report, the
    patient's phone number, and acknowledging it with what was done."""
    report = get_object_or_404(
        SideEffectReport.objects.select_related("patient", "procedure", "acknowledged_by"),
        pk=report_id,
    )
    patient_for_user(request.user, report.patient_id, clinical=True)
    audit_view(request, patient=report.patient, obj=report, summary="Side-effect alert viewed")
    return _alert_page(request, report, AlertAcknowledgeForm())


@roles_required(CLINICAL_ROLES)
@require_POST
def alert_acknowledge(request, report_id: int):
    """Acknowledge an urgent alert with what was done (the note is required)."""
    report = get_object_or_404(SideEffectReport.objects.select_related("patient"), pk=report_id)
    patient_for_user(request.user, report.patient_id, clinical=True)
    form = AlertAcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.side_effect_acknowledge(
                report=report,
                actor=request.user,
                note=form.cleaned_data["note"],
                require_note=True,
                request=request,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
    if form.errors:
        return _alert_page(request, report, form, status=422)
    messages.success(request, f"Acknowledged: {report.label} ({report.patient.full_name}).")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("diary:alerts")


@roles_required(Role.PATIENT)
@require_POST
def attack_start(request):
    """Quick-log: "headache started" now."""
    patient = _own_patient(request)
    try:
        attack = services.attack_start(patient=patient, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            f"Headache started at {attack.started_at:%H:%M}. Tap \u201cHeadache ended\u201d "
            "when it is over.",
        )
    return redirect(reverse("diary:home"))


@roles_required(Role.PATIENT)
@require_POST
def attack_end(request):
    """Quick-log: "headache ended", with the worst pain and the medicines taken."""
    patient = _own_patient(request)
    usual = selectors.usual_medicines(patient=patient, today=timezone.localdate())
    form = AttackEndForm(request.POST, usual_medicines=usual)
    if not form.is_valid():
        messages.error(request, refusal_text(ValidationError(form.errors)))
        return redirect(reverse("diary:home"))
    try:
        attack = services.attack_end(
            patient=patient,
            actor=request.user,
            peak_severity=form.cleaned_data["peak_severity"],
            medicines=form.cleaned_data["medicines"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        hours = (attack.ended_at - attack.started_at).total_seconds() / 3600
        messages.success(
            request,
            f"Headache ended at {attack.ended_at:%H:%M} (about {hours:.1f} hours). Saved in "
            "your diary.",
        )
    return redirect(reverse("diary:home"))


@roles_required(Role.PATIENT)
@require_POST
def cycle_preference(request):
    """The patient chooses to record period days, or stops."""
    patient = _own_patient(request)
    services.diary_preference_set(
        patient=patient,
        tracks_cycle=request.POST.get("tracks_cycle") == "1",
        actor=request.user,
        request=request,
    )
    return redirect(reverse("diary:home"))


@roles_required(CLINICAL_ROLES)
def pain_panel(request, patient_id: int):
    """Where the pain sat over the last 28 days (heat map on the plan's head drawing), the
    follow-the-pain sites under the regions that hurt most (a clinician accepts them
    into a new PREEMPT plan, which the plan builder validates under the usual caps), the
    trigger summary and, when period days are recorded, the perimenstrual comparison.
    The plan builder loads it beside the head map (htmx); it is a page of its own too."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    today = timezone.localdate()
    counts, suggestions = selectors.follow_the_pain_for(patient=patient, today=today)
    trigger_lines, base_rate = selectors.trigger_summary_for(patient=patient, today=today)
    cycle = selectors.cycle_summary_for(patient=patient, today=today)
    audit_view(request, patient=patient, summary="Pain map, triggers and cycle viewed")
    context = {
        "patient": patient,
        "days": PAIN_MAP_DAYS,
        "heat_map": mark_safe(heat_map_svg(counts, PAIN_MAP_DAYS)),  # noqa: S308 (escaped)
        "region_rows": [
            (PAIN_REGION_LABELS[region], n)
            for region, n in sorted(counts.items(), key=lambda item: -item[1])
            if n
        ],
        "suggestions": [
            {
                "site": s.site,
                "units": s.units,
                "label": SITE_CATALOGUE[s.site].label if s.site in SITE_CATALOGUE else s.site,
                "region": PAIN_REGION_LABELS[s.region],
                "days": s.days,
            }
            for s in suggestions
        ],
        "may_plan": request.user.role == Role.CLINICIAN,
        "trigger_lines": [
            {"label": TRIGGER_LABELS[line.trigger], "line": line} for line in trigger_lines
        ],
        "base_rate_percent": None if base_rate is None else round(base_rate * 100),
        "min_trigger_days": MIN_TRIGGER_OCCURRENCES,
        "cycle": cycle,
    }
    if request.htmx:
        return render(request, "diary/_pain_panel.html", context)
    context["year"] = selectors.year_weeks(patient=patient, today=today)
    return render(request, "diary/pain.html", context)


@roles_required(Role.PATIENT)
def diary_export_csv(request):
    """The patient's whole diary as CSV."""
    patient = _own_patient(request)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        patient=patient,
        obj=patient,
        request=request,
        summary="Diary exported as CSV by the patient",
    )
    response = StreamingHttpResponse(
        diary_csv_rows(patient), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-headache-diary.csv"'
    return response


@roles_required(Role.PATIENT)
def diary_summary(request):
    """A printable summary to take to any doctor: the last 90 days in 28-day counts, the
    year at a glance, where it hurt, the triggers, and the medicines taken."""
    patient = _own_patient(request)
    today = timezone.localdate()
    counts = selectors.pain_map_for(patient=patient, today=today, days=90)
    trigger_lines, _base = selectors.trigger_summary_for(patient=patient, today=today)
    summary = selectors.diary_summary_for(patient=patient, today=today)
    audit_view(request, patient=patient, summary="Printable diary summary viewed")
    return render(
        request,
        "diary/summary.html",
        {
            "patient": patient,
            "today": today,
            "summary": summary,
            "year": selectors.year_weeks(patient=patient, today=today),
            "region_rows": [
                (PAIN_REGION_LABELS[r], n)
                for r, n in sorted(counts.items(), key=lambda i: -i[1])
                if n
            ],
            "trigger_lines": [
                {"label": TRIGGER_LABELS[line.trigger], "line": line} for line in trigger_lines
            ],
            "usual": selectors.usual_medicines(patient=patient, today=today),
        },
    )


@roles_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def my_medicines(request):
    """The patient's medicines: preventive ones (taken regularly, CGRP antibodies and
    gepants included) apart from the acute ones of the diary; and adding a preventive
    medicine they take, for the clinic to confirm."""
    patient = _own_patient(request)
    today = timezone.localdate()
    form = PreventiveMedicineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trial = patient_services.preventive_medicine_report(
                actor=request.user, patient=patient, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"{trial.drug} added to your preventive medicines. The clinic will confirm it.",
            )
            return redirect("diary:medicines")
    audit_view(request, patient=patient, summary="Own medicines viewed")
    return render(
        request,
        "diary/medicines.html",
        {
            "form": form,
            "preventives": selectors.current_preventives(patient=patient, today=today),
            "acute": [
                (name, DRUG_CLASS_LABELS.get(drug_class, drug_class))
                for name, drug_class in selectors.usual_medicines(patient=patient, today=today)
            ],
        },
        status=422 if request.method == "POST" else 200,
    )
