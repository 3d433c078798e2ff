"""The patient gate: the only way a page or API operation reaches a patient record.

Every view or operation that touches a patient reaches the patient through
`patient_for_user`, which applies the object-level rule:

- a patient user reaches only their own record (anything else is "not found");
- front desk reaches demographics only (`clinical=False`), never clinical data;
- nurses and clinicians reach clinical data; admins manage users and settings.

Which *pages* a role may open is declared with `cadence.accounts.access.roles_required`.
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import Http404

from cadence.accounts.roles import CARE_TEAM_ROLES, CLINICAL_ROLES, Role
from cadence.patients.models import Patient
from cadence.security.plain_rows import converted_row, row_converters


def patient_for_user(user, patient_id, *, clinical: bool = True, write: bool = False):
    """The only way a view or operation reaches a patient record.

    Raises Http404 when the patient does not exist or is not the user's own (patient
    users), PermissionDenied when the user's role may not see this kind of data.
    `clinical=False` is for demographics and scheduling, which front desk may use.
    `write=True` is for changes; patients may change only their own diary-type records,
    which the calling view decides by passing write=True only where that is allowed.
    """
    if not user or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")
    try:
        patient_pk = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None
    if user.role == Role.PATIENT:
        if user.patient_id != patient_pk:
            raise Http404("No such patient.")
    elif user.role in CARE_TEAM_ROLES:
        if clinical and user.role not in CLINICAL_ROLES:
            raise PermissionDenied("Your role may not see clinical records.")
    else:
        raise PermissionDenied("Your role may not see patient records.")
    if not -(2**63) <= patient_pk < 2**63:  # no such id fits the column
        raise Http404("No such patient.")
    # Where the ORM would read a patient (the replica during a report's or an export's
    # GET, see config/db_routers.py), with a plain cursor: a RawQuerySet mapped the
    # columns to the model afresh on every call, which cost more CPU than the query.
    db = connections[router.db_for_read(Patient)]
    with db.cursor() as cursor:
        cursor.execute(_patient_sql(db.vendor), [patient_pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such patient.")
    converters = row_converters(db, "patient", Patient._meta.concrete_fields)
    return Patient.from_db(db.alias, None, converted_row(db, row, converters))


@cache
def _patient_sql(vendor: str) -> str:
    """One patient by id, every column: plain SQL built once, because compiling the ORM
    query cost more CPU than running it (every patient request goes through here)."""
    qn = connections[router.db_for_read(Patient)].ops.quote_name
    columns = ", ".join(qn(field.column) for field in Patient._meta.concrete_fields)
    return f"SELECT {columns} FROM {qn(Patient._meta.db_table)} WHERE {qn(Patient._meta.pk.column)} = %s"


def patients_visible_to(user, queryset=None):
    """Filter a Patient queryset down to what the user may list."""
    queryset = Patient.objects.all() if queryset is None else queryset
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.role == Role.PATIENT:
        return queryset.filter(pk=user.patient_id)
    if user.role in CARE_TEAM_ROLES:
        return queryset
    return queryset.none()
