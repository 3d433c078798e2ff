"""Audit pages: the administrator's audit log with CSV export, and a patient's
"Who viewed my record".

They live with the patients app (not in `audit`, which is only the trail) because they
show patients' names; their URLs keep the `audit:` namespace (config/urls.py)."""

from __future__ import annotations

import csv

from django.apps import apps as django_apps
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cadence.accounts.access import roles_required
from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.patients.audit_forms import AuditFilterForm
from cadence.patients.audit_selectors import AuditFilter, audit_events, record_access_for_patient
from cadence.patients.models import Patient
from cadence.security.csvcells import csv_cell

PAGE_SIZE = 25
CSV_COLUMNS = [
    "id",
    "occurred_at",
    "actor_username",
    "actor_role",
    "action",
    "patient_id",
    "object_type",
    "object_id",
    "summary",
    "ip_address",
    "entry_hash",
]


def _filters(request) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, AuditFilter(
            patient_id=data["patient"],
            patient_name=(data["patient_name"] or "").strip(),
            username=(data["user"] or "").strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"] or "",
        )
    return form, AuditFilter()


def _patient_names(patient_ids) -> dict[int, str]:
    ids = {pid for pid in patient_ids if pid is not None}
    return {
        p.pk: p.full_name
        for p in Patient.objects.filter(pk__in=ids).only("first_name", "last_name")
    }


_ROLE_LABELS = dict(Role.choices)


def _object_label(object_type: str) -> str:
    """The model's name in words ("patients.medicalhistory" -> "Medical history"), read
    from the model registry's metadata (not an import)."""
    if not object_type:
        return ""
    labels = {m._meta.label_lower: str(m._meta.verbose_name) for m in django_apps.get_models()}
    label = labels.get(object_type.lower(), object_type.rpartition(".")[2])
    return label[:1].upper() + label[1:]


@roles_required(Role.ADMIN)
def event_list(request):
    """The audit log, filtered by patient, user, date and action; 25 entries a page."""
    form, filters = _filters(request)
    page = Paginator(audit_events(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    names = _patient_names(event.patient_id_ref for event in page.object_list)
    rows = [
        {
            "event": event,
            "patient_name": names.get(event.patient_id_ref, ""),
            "role": _ROLE_LABELS.get(event.actor_role, event.actor_role),
            "object_label": _object_label(event.object_type),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def _csv_safe(value) -> object:
    """Neutralise spreadsheet formulas (CSV injection): the one neutraliser."""
    return csv_cell("" if value is None else str(value))


class _Echo:
    def write(self, value):
        return value


@roles_required(Role.ADMIN)
def event_export(request):
    """The filtered audit log as CSV (the export itself is audited)."""
    form, filters = _filters(request)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        summary="Exported the audit log (CSV)",
        patient_id=filters.patient_id,
        details={"filters": {k: str(v) for k, v in filters.__dict__.items() if v}},
        request=request,
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for event in audit_events(filters).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _csv_safe(v)
                    for v in (
                        event.pk,
                        event.occurred_at.isoformat(),
                        event.actor_username,
                        event.actor_role,
                        event.action,
                        event.patient_id_ref,
                        event.object_type,
                        event.object_id,
                        event.summary,
                        event.ip_address,
                        event.entry_hash,
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cadence-audit-{stamp}.csv"'
    return response


@roles_required(Role.PATIENT)
def my_record_access(request):
    """Who viewed my record: every opening, change and export of the patient's own record."""
    events = record_access_for_patient(request.user.patient_id)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    actor_ids = {event.actor_id for event in page.object_list if event.actor_id}
    actors = {
        u.pk: u
        for u in User.objects.filter(pk__in=actor_ids).only(
            "first_name", "last_name", "username", "role"
        )
    }
    entries = []
    for event in page.object_list:
        actor = actors.get(event.actor_id)
        if event.actor_id == request.user.pk:
            who = "You"
        elif actor is not None:
            who = f"{actor.display_name} ({actor.get_role_display()})"
        else:
            who = event.actor_username or "The system"
        entries.append({"event": event, "who": who})
    return render(request, "audit/my_record_access.html", {"page": page, "entries": entries})
