"""Access rules in one place.

Every page declares who may use it with `@roles_required(...)` (or `@public_page`), and
every API operation with `@api_roles(...)`; the access-matrix test reads those
declarations. Every view or operation that touches a patient reaches the patient through
`patient_for_user`, which applies the object-level rule:

- a patient user reaches only their own record (anything else is "not found");
- front desk reaches demographics only (`clinical=False`), never clinical data;
- nurses and clinicians reach clinical data; admins manage users and settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from cadence.accounts.roles import CLINICAL_ROLES, STAFF_ROLES, Role

PUBLIC = "public"


def _role_set(roles: Iterable[str]) -> frozenset[str]:
    flat: set[str] = set()
    for role in roles:
        if isinstance(role, (set, frozenset, list, tuple)):
            flat.update(str(r) for r in role)
        else:
            flat.add(str(role))
    unknown = flat - {r.value for r in Role}
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return frozenset(flat)


def user_has_role(user, roles: frozenset[str]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def roles_required(*roles) -> Callable:
    """Page decorator: anonymous users go to the login page, other roles get 403."""
    allowed = _role_set(roles)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in allowed:
                raise PermissionDenied("Your role may not use this page.")
            return view(request, *args, **kwargs)

        wrapped.cadence_roles = allowed
        return wrapped

    return decorate


def public_page(view):
    """Page decorator: anyone, signed in or not, may use this page."""
    view.cadence_roles = PUBLIC
    return view


def patient_for_user(user, patient_id, *, clinical: bool = True, write: bool = False):
    """The only way a view or operation reaches a patient record.

    Raises Http404 when the patient does not exist or is not the user's own (patient
    users), PermissionDenied when the user's role may not see this kind of data.
    `clinical=False` is for demographics and scheduling, which front desk may use.
    `write=True` is for changes; patients may change only their own diary-type records,
    which the calling view decides by passing write=True only where that is allowed.
    """
    from cadence.patients.models import Patient

    if not user or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")
    try:
        patient_pk = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None
    if user.role == Role.PATIENT:
        if user.patient_id != patient_pk:
            raise Http404("No such patient.")
    elif user.role in STAFF_ROLES:
        if clinical and user.role not in CLINICAL_ROLES:
            raise PermissionDenied("Your role may not see clinical records.")
    else:
        raise PermissionDenied("Your role may not see patient records.")
    if not -(2**63) <= patient_pk < 2**63:  # no such id fits the column
        raise Http404("No such patient.")
    found = list(Patient.objects.raw(_patient_sql(connection.vendor), [patient_pk]))
    if not found:
        raise Http404("No such patient.")
    return found[0]


@cache
def _patient_sql(vendor: str) -> str:
    """One patient by id, every column: plain SQL built once, because compiling the ORM
    query cost more CPU than running it (every patient request goes through here)."""
    from cadence.patients.models import Patient

    qn = connection.ops.quote_name
    columns = ", ".join(qn(field.column) for field in Patient._meta.concrete_fields)
    return f"SELECT {columns} FROM {qn(Patient._meta.db_table)} WHERE {qn(Patient._meta.pk.column)} = %s"


def patients_visible_to(user, queryset=None):
    """Filter a Patient queryset down to what the user may list."""
    from cadence.patients.models import Patient

    queryset = Patient.objects.all() if queryset is None else queryset
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.role == Role.PATIENT:
        return queryset.filter(pk=user.patient_id)
    if user.role in STAFF_ROLES:
        return queryset
    return queryset.none()
