"""Pages of the scheduling app (mounted at /schedule/)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cadence.accounts.access import public_page, roles_required
from cadence.accounts.models import User
from cadence.accounts.roles import (
    CARE_TEAM_ROLES,
    PATIENT_RECORD_ROLES,
    STAFF_ROLES,
    Role,
)
from cadence.accounts.validation import (
    add_validation_errors,
    plausible,
    refusal_codes,
    refusal_text,
)
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record, audit_view
from cadence.patients.access import patient_for_user, patients_visible_to
from cadence.scheduling import ical, selectors, services
from cadence.scheduling.forms import (
    BookingForm,
    CancelForm,
    MoveForm,
    ReminderPreferenceForm,
    WorkingHoursForm,
    clinician_choices,
)
from cadence.scheduling.models import (
    DEFAULT_DURATION_MINUTES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ClinicianCalendar,
    Weekday,
    WorkingHours,
    hash_feed_token,
)
from cadence.scheduling.questionnaires import questionnaires_due_for

#: The clinician feed covers this many days back and ahead.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180


def _parse_day(value: str | None) -> date:
    """?day=: malformed or implausible (0001-01-01, 9999-12-31) falls back to today."""
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    return day if plausible(day) else timezone.localdate()


def _combine(day: date, start_time) -> datetime:
    return timezone.make_aware(datetime.combine(day, start_time))


def _parse_time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_id(value: str | None) -> int | None:
    try:
        return int(value or 0) or None
    except ValueError:
        return None


def _slot_from(request) -> dict:
    """A slot chosen on the week grid (?day=&clinician=&time=), carried to the booking
    page; anything malformed is dropped."""
    slot = {}
    if request.GET.get("day"):
        slot["day"] = _parse_day(request.GET.get("day"))
    clinician_id = _parse_id(request.GET.get("clinician"))
    if clinician_id and clinician_choices().filter(pk=clinician_id).exists():
        slot["clinician"] = clinician_id
    if (start := _parse_time(request.GET.get("time"))) is not None:
        slot["time"] = start
    return slot


# ---------------------------------------------------------------- calendar
@roles_required(CARE_TEAM_ROLES)
def calendar(request):
    """Day or week calendar of all clinicians (or one)."""
    day = _parse_day(request.GET.get("date"))
    view = request.GET.get("view") if request.GET.get("view") in ("week", "grid") else "day"
    clinicians = list(clinician_choices())
    clinician_id = _parse_id(request.GET.get("clinician"))
    if view == "grid":
        return _week_grid(request, day, clinicians, clinician_id)
    if view == "week":
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
        step = timedelta(days=7)
    else:
        start = end = day
        step = timedelta(days=1)
    appointments = list(selectors.appointments_between(start, end, clinician_id=clinician_id))
    shown = [c for c in clinicians if clinician_id in (None, c.pk)]
    hours = selectors.working_hours_for([c.pk for c in shown])
    days = []
    for offset in range((end - start).days + 1):
        current = start + timedelta(days=offset)
        columns = []
        for clinician in shown:
            columns.append(
                {
                    "clinician": clinician,
                    "hours": [
                        b for b in hours.get(clinician.pk, []) if b.weekday == current.weekday()
                    ],
                    "appointments": [
                        a
                        for a in appointments
                        if a.clinician_id == clinician.pk
                        and selectors.local_date(a.starts_at) == current
                    ],
                }
            )
        days.append({"day": current, "columns": columns})
    audit_view(request, summary=f"Viewed calendar {start}..{end}")
    return render(
        request,
        "scheduling/calendar.html",
        {
            "view": view,
            "day": day,
            "start": start,
            "end": end,
            "days": days,
            "previous": day - step,
            "next": day + step,
            "today": timezone.localdate(),
            "clinicians": clinicians,
            "clinician_id": clinician_id,
        },
    )


def _week_grid(request, day: date, clinicians: list, clinician_id: int | None):
    """One clinician's week as a time grid: a free slot links to booking it."""
    clinician = next((c for c in clinicians if c.pk == clinician_id), None) or (
        clinicians[0] if clinicians else None
    )
    step = _parse_id(request.GET.get("step"))
    step = step if step in selectors.GRID_STEP_CHOICES else selectors.GRID_DEFAULT_STEP
    start = day - timedelta(days=day.weekday())
    days, rows = selectors.week_grid(clinician, start, step_minutes=step) if clinician else ([], [])
    audit_view(request, summary=f"Viewed week grid {start}..{start + timedelta(days=6)}")
    return render(
        request,
        "scheduling/week_grid.html",
        {
            "view": "grid",
            "day": day,
            "start": start,
            "days": days,
            "rows": rows,
            "step": step,
            "steps": selectors.GRID_STEP_CHOICES,
            "clinician": clinician,
            "clinicians": clinicians,
            "clinician_id": clinician.pk if clinician else None,
            "previous": day - timedelta(days=7),
            "next": day + timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- booking
@roles_required(CARE_TEAM_ROLES)
def book_start(request):
    """Find the patient to book for."""
    query = (request.GET.get("q") or "").strip()
    patients = patients_visible_to(request.user)
    if query:
        for word in query.split()[:3]:
            patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = Paginator(patients.order_by("last_name", "first_name", "pk"), 25).get_page(
        request.GET.get("page")
    )
    slot = _slot_from(request)
    slot_query = urlencode(
        {
            key: value.isoformat(timespec="minutes") if isinstance(value, time) else value
            for key, value in slot.items()
        }
    )
    slot_clinician = next((c for c in clinician_choices() if c.pk == slot.get("clinician")), None)
    return render(
        request,
        "scheduling/book_start.html",
        {
            "query": query,
            "page": page,
            "slot": slot,
            "slot_query": slot_query,
            "slot_clinician": slot_clinician,
        },
    )


@roles_required(CARE_TEAM_ROLES)
def patient_book(request, patient_id: int):
    """The patient's rhythm, free times and the booking form (suggested date prefilled)."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    today = timezone.localdate()
    schedule = selectors.treatment_schedule_for(patient, today)
    suggested = services.suggested_session_date(
        earliest=schedule.earliest, next_due=schedule.next_due, today=today
    )
    can_override = request.user.role == Role.CLINICIAN
    refusal = ""
    if request.method == "POST":
        form = BookingForm(request.POST, can_override=can_override, free_times_url=request.path)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = services.appointment_book(
                    patient=patient,
                    clinician=data["clinician"],
                    kind=data["kind"],
                    starts_at=_combine(data["day"], data["start_time"]),
                    duration_minutes=data["duration_minutes"],
                    override_reason=data.get("override_reason") or "",
                    notes=data["notes"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                if services.TOO_EARLY in refusal_codes(exc):
                    refusal = refusal_text(exc)
                    form.add_error(None, refusal)
                else:
                    add_validation_errors(form, exc)
            else:
                when = timezone.localtime(appointment.starts_at)
                messages.success(
                    request,
                    f"Booked {appointment.get_kind_display().lower()} for {patient.full_name} on "
                    f"{when:%A %d %B %Y at %H:%M}.",
                )
                return redirect(f"{reverse('scheduling:calendar')}?date={when.date().isoformat()}")
    else:
        kind = request.GET.get("kind")
        if kind not in AppointmentKind.values:
            kind = (
                AppointmentKind.TREATMENT_SESSION
                if schedule.last_session
                else AppointmentKind.CONSULTATION
            )
        slot = _slot_from(request)
        initial = {"kind": kind, "day": slot.get("day", suggested)}
        if "clinician" in slot:
            initial["clinician"] = slot["clinician"]
        if "time" in slot:
            initial["start_time"] = slot["time"]
        form = BookingForm(initial=initial, can_override=can_override, free_times_url=request.path)
    free_day, free_clinician_id, free_kind = _free_times_query(request, form, suggested)
    free = _free_times(free_day, free_clinician_id, free_kind)
    if request.method == "GET" and not (
        "clinician" in form.initial and "start_time" in form.initial
    ):
        chosen = next(
            (f for f in free if f["times"] and (not free_clinician_id or f["chosen"])), None
        )
        if chosen:
            form.initial.setdefault("clinician", chosen["clinician"].pk)
            form.initial.setdefault("start_time", chosen["times"][0])
    free_context = {
        "patient": patient,
        "free": free,
        "free_day": free_day,
        "free_kind": free_kind,
        "free_clinician_id": free_clinician_id,
    }
    if request.htmx and request.method == "GET":
        # The booking form's date, clinician or type changed: only the free times.
        return render(request, "scheduling/_free_times.html", free_context)
    audit_view(request, summary="Viewed booking page", patient=patient)
    return render(
        request,
        "scheduling/patient_book.html",
        {
            "patient": patient,
            "schedule": schedule,
            "suggested": suggested,
            "form": form,
            **free_context,
            "refusal": refusal,
            "upcoming": selectors.upcoming_appointments_for_patient(patient)[:5],
            "preference": selectors.reminder_preference_for(patient),
            "can_override": can_override,
        },
    )


def _free_times_query(request, form, suggested: date) -> tuple[date, int | None, str]:
    """Which day, clinician and type the free times are for: the submitted form's, or the
    query's (?day=&clinician=&kind=, sent by htmx or the "Show free times" button)."""
    source = request.POST if request.method == "POST" else request.GET
    day = _parse_day(source.get("day")) if source.get("day") else form.initial.get("day")
    kind = source.get("kind") or form.initial.get("kind")
    if kind not in AppointmentKind.values:
        kind = AppointmentKind.TREATMENT_SESSION
    clinician_id = _parse_id(source.get("clinician")) or form.initial.get("clinician")
    return day or suggested, clinician_id, kind


def _free_times(day: date, clinician_id: int | None, kind: str) -> list[dict]:
    """Each clinician's free start times on `day` for an appointment of `kind`; the chosen
    clinician first, with all their times, the others with their first few."""
    minutes = DEFAULT_DURATION_MINUTES[kind]
    rows = []
    for clinician in clinician_choices():
        chosen = clinician.pk == clinician_id
        times = selectors.free_start_times(clinician, day, minutes)
        rows.append(
            {"clinician": clinician, "chosen": chosen, "times": times if chosen else times[:8]}
        )
    return sorted(rows, key=lambda row: not row["chosen"])


# ---------------------------------------------------------------- one appointment
def _appointment_for(request, appointment_id: int) -> Appointment:
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "clinician"), pk=appointment_id
    )
    patient_for_user(request.user, appointment.patient_id, clinical=False)
    return appointment


@roles_required(CARE_TEAM_ROLES)
def appointment_detail(request, appointment_id: int):
    appointment = _appointment_for(request, appointment_id)
    local = timezone.localtime(appointment.starts_at)
    can_override = request.user.role == Role.CLINICIAN
    audit_view(request, summary="Viewed appointment", patient=appointment.patient, obj=appointment)
    return render(
        request,
        "scheduling/appointment_detail.html",
        {
            "appointment": appointment,
            "move_form": MoveForm(
                initial={"day": local.date(), "start_time": local.time()}, can_override=can_override
            ),
            "cancel_form": CancelForm(),
            "is_booked": appointment.status == AppointmentStatus.BOOKED,
            "has_started": appointment.starts_at <= timezone.now(),
            "preference": selectors.reminder_preference_for(appointment.patient),
        },
    )


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


@roles_required(CARE_TEAM_ROLES)
def appointment_move(request, appointment_id: int):
    if (not_allowed := _post_only(request)) is not None:
        return not_allowed
    appointment = _appointment_for(request, appointment_id)
    can_override = request.user.role == Role.CLINICIAN
    form = MoveForm(request.POST, can_override=can_override)
    if form.is_valid():
        try:
            services.appointment_move(
                appointment=appointment,
                starts_at=_combine(form.cleaned_data["day"], form.cleaned_data["start_time"]),
                override_reason=form.cleaned_data.get("override_reason") or "",
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "Appointment moved.")
            return redirect("scheduling:appointment-detail", appointment_id=appointment.pk)
    appointment.refresh_from_db()
    return render(
        request,
        "scheduling/appointment_detail.html",
        {
            "appointment": appointment,
            "move_form": form,
            "cancel_form": CancelForm(),
            "is_booked": appointment.status == AppointmentStatus.BOOKED,
            "has_started": appointment.starts_at <= timezone.now(),
            "preference": selectors.reminder_preference_for(appointment.patient),
        },
        status=422,
    )


def _status_action(request, appointment_id: int, action):
    if (not_allowed := _post_only(request)) is not None:
        return not_allowed
    appointment = _appointment_for(request, appointment_id)
    try:
        action(appointment)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Appointment updated.")
    return redirect("scheduling:appointment-detail", appointment_id=appointment.pk)


@roles_required(CARE_TEAM_ROLES)
def appointment_cancel(request, appointment_id: int):
    form = CancelForm(request.POST or None)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _status_action(
        request,
        appointment_id,
        lambda a: services.appointment_cancel(
            appointment=a, reason=reason, actor=request.user, request=request
        ),
    )


@roles_required(CARE_TEAM_ROLES)
def appointment_no_show(request, appointment_id: int):
    return _status_action(
        request,
        appointment_id,
        lambda a: services.appointment_mark_no_show(
            appointment=a, actor=request.user, request=request
        ),
    )


@roles_required(CARE_TEAM_ROLES)
def appointment_attended(request, appointment_id: int):
    return _status_action(
        request,
        appointment_id,
        lambda a: services.appointment_mark_attended(
            appointment=a, actor=request.user, request=request
        ),
    )


# ---------------------------------------------------------------- worklists
@roles_required(CARE_TEAM_ROLES)
def worklists(request):
    lists = selectors.worklists()
    audit_view(request, summary="Viewed scheduling worklists")
    today = timezone.localdate()
    return render(
        request,
        "scheduling/worklists.html",
        {
            "lists": lists,
            "today": today,
            "lost_days": selectors.LOST_TO_FOLLOW_UP_DAYS,
            # MIDAS and HIT-6 due before the next session (one query for all lists)
            "questionnaires_due": questionnaires_due_for(
                [*lists.due_this_week, *lists.overdue, *lists.reviews_due], today
            ),
        },
    )


# ---------------------------------------------------------------- reminders (patient portal)
@roles_required(Role.PATIENT)
def reminder_preferences(request):
    patient = patient_for_user(request.user, request.user.patient_id, clinical=False)
    preference = selectors.reminder_preference_for(patient)
    if request.method == "POST":
        form = ReminderPreferenceForm(request.POST)
        if form.is_valid():
            services.reminder_preference_set(
                patient=patient,
                email_enabled=form.cleaned_data["email_enabled"],
                sms_enabled=form.cleaned_data["sms_enabled"],
                actor=request.user,
                request=request,
            )
            messages.success(request, "Your reminder choices are saved.")
            return redirect("scheduling:reminder-preferences")
    else:
        form = ReminderPreferenceForm(
            initial={
                "email_enabled": preference.email_enabled,
                "sms_enabled": preference.sms_enabled,
            }
        )
    return render(
        request,
        "scheduling/reminder_preferences.html",
        {
            "form": form,
            "patient": patient,
            "next_appointment": selectors.next_appointment_for_patient(patient),
        },
    )


# ---------------------------------------------------------------- iCalendar
@public_page
@never_cache
def clinician_feed(request, token: str):
    """A clinician's private feed; the secret token in the URL is the only credential."""
    calendar = (
        ClinicianCalendar.objects.select_related("clinician")
        .filter(feed_token_hash=hash_feed_token(token))
        .exclude(feed_token_hash="")
        .first()
    )
    if calendar is None or not calendar.clinician.is_active:
        raise Http404("No such feed.")
    today = timezone.localdate()
    appointments = selectors.appointments_between(
        today - timedelta(days=FEED_DAYS_BACK),
        today + timedelta(days=FEED_DAYS_AHEAD),
        clinician_id=calendar.clinician_id,
        include_cancelled=False,
    )
    name = calendar.clinician.get_full_name() or calendar.clinician.username
    audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        summary=f"Calendar feed of {name} fetched",
        obj=calendar,
        request=request,
    )
    response = HttpResponse(
        ical.clinician_feed(appointments, clinician_name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="cadence.ics"'
    return response


@roles_required(PATIENT_RECORD_ROLES)
def patient_next_appointment_ics(request, patient_id: int):
    """Download the patient's next appointment as an .ics file (the patient; staff)."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    appointment = selectors.next_appointment_for_patient(patient)
    if appointment is None:
        raise Http404("No upcoming appointment.")
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        summary="Downloaded next appointment (.ics)",
        patient=patient,
        obj=appointment,
        request=request,
    )
    response = HttpResponse(
        ical.patient_appointment(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="appointment-{appointment.starts_at:%Y-%m-%d}.ics"'
    )
    return response


@roles_required(Role.CLINICIAN)
def feed_settings(request):
    """The clinician's own feed link: create (or replace) and revoke."""
    calendar = ClinicianCalendar.objects.filter(clinician=request.user).first()
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(
                clinician=request.user, actor=request.user, request=request
            )
            messages.success(request, "The calendar link no longer works.")
            return redirect("scheduling:feed-settings")
        token = services.calendar_feed_issue(
            clinician=request.user, actor=request.user, request=request
        )
        new_url = request.build_absolute_uri(
            reverse("scheduling:clinician-feed", kwargs={"token": token})
        )
        calendar = ClinicianCalendar.objects.get(clinician=request.user)
    return render(
        request, "scheduling/feed_settings.html", {"calendar": calendar, "new_url": new_url}
    )


# ---------------------------------------------------------------- working hours
@roles_required(STAFF_ROLES)
def working_hours(request):
    """Everyone on staff sees the hours; admins change anyone's, clinicians their own."""
    can_edit_all = request.user.role == Role.ADMIN
    can_edit = can_edit_all or request.user.role == Role.CLINICIAN
    editable = clinician_choices() if can_edit_all else User.objects.filter(pk=request.user.pk)
    form = WorkingHoursForm(request.POST or None, clinicians=editable) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            return HttpResponse("Your role may not change working hours.", status=403)
        remove_id = request.POST.get("remove")
        if remove_id:
            block = get_object_or_404(WorkingHours, pk=remove_id, clinician__in=editable)
            services.working_hours_remove(block=block, actor=request.user, request=request)
            messages.success(request, "Working hours removed.")
            return redirect("scheduling:working-hours")
        if form.is_valid():
            try:
                services.working_hours_add(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Working hours added.")
                return redirect("scheduling:working-hours")
    clinicians = list(clinician_choices())
    hours = selectors.working_hours_for([c.pk for c in clinicians])
    rows = [
        {
            "clinician": c,
            "blocks": hours.get(c.pk, []),
            "editable": can_edit_all or c.pk == request.user.pk,
        }
        for c in clinicians
    ]
    defaults = ", ".join(
        f"{Weekday(weekday).label} {starts:%H:%M}-{ends:%H:%M}"
        for weekday, starts, ends in services.default_working_hours()
    )
    return render(
        request,
        "scheduling/working_hours.html",
        {"rows": rows, "form": form, "default_hours": defaults},
    )
