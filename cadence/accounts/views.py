from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cadence.accounts.access import public_page, roles_required
from cadence.accounts.models import User
from cadence.accounts.navigation import nav_items_for
from cadence.accounts.roles import ALL_ROLES, Role
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.security.network import client_ip
from cadence.security.ratelimit import rate_allow


@public_page
@require_GET
@never_cache
def healthz(request):
    """200 once the database answers a real query; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


class CadenceLoginView(LoginView):
    """Password sign-in. Failed attempts are audited and count towards the lockout
    (django-axes, by username and IP); attempts per IP are rate-limited. Staff then pass
    the two-factor step (cadence.accounts.mfa) when CADENCE_MFA_REQUIRED is on."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not rate_allow(
            f"login:{client_ip(request)}",
            limit=settings.CADENCE_LOGIN_RATE_PER_MINUTE,
            window_seconds=60,
        ):
            form = self.get_form()
            context = self.get_context_data(form=form, rate_limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            summary="Sign-in failed",
            details={"username": (self.request.POST.get("username") or "")[:150]},
            request=self.request,
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=AuditAction.LOGIN,
            summary="Signed in",
            request=self.request,
        )
        return response


@public_page
def logout_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        audit_record(
            actor=request.user, action=AuditAction.LOGOUT, summary="Signed out", request=request
        )
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@roles_required(ALL_ROLES)
def home(request):
    """Send each role to where its work starts: the first page its navigation offers
    after Home, or a plain welcome page."""
    for item in nav_items_for(request.user):
        if item["url_name"] != "accounts:home":
            return redirect(item["url"])
    return render(request, "accounts/home.html")


@roles_required(Role.ADMIN)
def user_list(request):
    users = User.objects.order_by("role", "username").select_related("patient")
    return render(request, "accounts/user_list.html", {"users": users})


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
