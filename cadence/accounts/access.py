"""Who may use a page: the role rules in one place.

Every page declares who may use it with `@roles_required(...)` (or `@public_page`), and
every API operation with `@api_roles(...)`; the access-matrix test reads those
declarations. The object-level rule (which patient a user may reach) lives next to the
patient, in `cadence.patients.access`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cadence.accounts.roles import Role

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
