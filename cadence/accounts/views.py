from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import (
    LoginView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponseNotAllowed, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cadence.accounts import selectors, services
from cadence.accounts.access import public_page, roles_required
from cadence.accounts.forms import (
    STAFF_ROLE_CHOICES,
    ConfirmPasswordForm,
    InviteForm,
    PrescriberDetailsForm,
    RoleForm,
    TokenIssueForm,
)
from cadence.accounts.models import TokenScope, User
from cadence.accounts.navigation import nav_items_for
from cadence.accounts.roles import ALL_ROLES, PRESCRIBER_ROLES, STAFF_ROLES, Role
from cadence.accounts.sessions import remember_password_given
from cadence.accounts.validation import add_validation_errors, refusal_items
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


@public_page
@require_GET
def favicon(request):
    """`/favicon.ico`, asked for by browsers whatever the page says: the clinic's icon."""
    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


class CadenceLoginView(LoginView):
    """Password sign-in. Failed attempts are audited and count towards the lockout
    (django-axes, by username and IP); attempts per IP are rate-limited. Staff then pass
    the two-factor step (cadence.accounts.mfa) when CADENCE_MFA_REQUIRED is on."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = (request.POST.get("username") or "").strip().lower()[:150]
        by_address = rate_allow(
            f"login:{client_ip(request)}",
            limit=settings.CADENCE_LOGIN_RATE_PER_MINUTE,
            window_seconds=60,
        )
        # The same account tried from many addresses (issue 21, finding 7).
        by_username = not username or rate_allow(
            f"login-user:{username}",
            limit=settings.CADENCE_LOGIN_RATE_PER_USERNAME,
            window_seconds=60,
        )
        if not (by_address and by_username):
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
        remember_password_given(self.request)
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


def _user_list_page(request, invite_form=None, status=200):
    users = User.objects.order_by("role", "username").select_related("patient")
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": users,
            "invite_form": invite_form or InviteForm(),
            "role_choices": STAFF_ROLE_CHOICES,
        },
        status=status,
    )


@roles_required(Role.ADMIN)
def user_list(request):
    """Staff and patient accounts; the administrator invites, changes roles, deactivates,
    unlocks a locked-out sign-in and resets MFA here (each audited)."""
    return _user_list_page(request)


@roles_required(Role.ADMIN)
@require_POST
def user_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            user = services.user_invite(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"Invitation sent to {user.email}: {user.username} chooses a password."
            )
            return redirect("accounts:user-list")
    return _user_list_page(request, invite_form=form, status=422)


def _user_action(request, user_id: int, action, done: str):
    user = get_object_or_404(User, pk=user_id)
    try:
        action(user)
    except ValidationError as error:
        for _field, message, _code in refusal_items(error):
            messages.error(request, message)
        return _user_list_page(request, status=422)
    messages.success(request, done.format(username=user.username))
    return redirect("accounts:user-list")


@roles_required(Role.ADMIN)
@require_POST
def user_role(request, user_id: int):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the staff roles.")
        return _user_list_page(request, status=422)
    return _user_action(
        request,
        user_id,
        lambda user: services.user_role_change(
            actor=request.user, user=user, role=form.cleaned_data["role"], request=request
        ),
        "{username}'s role is changed.",
    )


@roles_required(Role.ADMIN)
@require_POST
def user_deactivate(request, user_id: int):
    return _user_action(
        request,
        user_id,
        lambda user: services.user_deactivate(actor=request.user, user=user, request=request),
        "{username} can no longer sign in.",
    )


@roles_required(Role.ADMIN)
@require_POST
def user_unlock(request, user_id: int):
    return _user_action(
        request,
        user_id,
        lambda user: services.user_unlock(actor=request.user, user=user, request=request),
        "{username} may sign in again.",
    )


@roles_required(Role.ADMIN)
@require_POST
def user_mfa_reset(request, user_id: int):
    return _user_action(
        request,
        user_id,
        lambda user: services.user_mfa_reset(actor=request.user, user=user, request=request),
        "{username}'s MFA is reset: they set it up again at their next sign-in.",
    )


class SetPasswordView(PasswordResetConfirmView):
    """The set-password link of an invitation or a password reset (Django's token view,
    our template)."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set: sign in with it.")
        return super().form_valid(form)


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _account_page(request, prescriber_form=None, status=200):
    user = request.user
    is_prescriber = user.role in PRESCRIBER_ROLES
    return render(
        request,
        "accounts/account.html",
        {
            "is_staff_member": user.role in STAFF_ROLES,
            "is_prescriber": is_prescriber,
            "prescriber_form": (
                prescriber_form
                or PrescriberDetailsForm(initial={"credentials": user.credentials, "npi": user.npi})
            )
            if is_prescriber
            else None,
        },
        status=status,
    )


@roles_required(ALL_ROLES)
def account(request):
    """The signed-in user's own account: password, two-factor sign-in, API tokens; a
    clinician's credentials and NPI for the signature on letters and notes."""
    return _account_page(request)


def _prescriber_details_save(request, form, user) -> bool:
    if not form.is_valid():
        return False
    try:
        services.user_prescriber_details_set(
            actor=request.user, user=user, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        add_validation_errors(form, error)
        return False
    return True


@roles_required(PRESCRIBER_ROLES)
@require_POST
def account_prescriber(request):
    """A clinician sets their own credentials and NPI."""
    form = PrescriberDetailsForm(request.POST)
    if _prescriber_details_save(request, form, request.user):
        messages.success(request, "Your credentials and NPI are saved.")
        return redirect("accounts:account")
    return _account_page(request, prescriber_form=form, status=422)


@roles_required(Role.ADMIN)
def user_prescriber(request, user_id: int):
    """The administrator sets a member of staff's credentials and NPI."""
    member = get_object_or_404(User.objects.exclude(role=Role.PATIENT), pk=user_id)
    form = PrescriberDetailsForm(
        request.POST or None, initial={"credentials": member.credentials, "npi": member.npi}
    )
    if request.method == "POST" and _prescriber_details_save(request, form, member):
        messages.success(request, f"{member.username}'s credentials and NPI are saved.")
        return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_prescriber.html",
        {"member": member, "form": form},
        status=422 if form.errors else 200,
    )


class CadencePasswordChangeView(PasswordChangeView):
    """Change one's password, knowing the current one (Django's view keeps the session)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_password_given(self.request)
        audit_record(
            actor=self.request.user,
            action=AuditAction.SECURITY,
            summary="Changed their password",
            request=self.request,
        )
        messages.success(self.request, "Your password is changed.")
        return response


class CadencePasswordResetView(PasswordResetView):
    """ "Forgot your password?": an e-mail with a set-password link goes to the address of
    an active account with a password. The answer is the same whether or not an account
    has that address (no way to learn who has an account here)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def post(self, request, *args, **kwargs):
        if not rate_allow(
            f"password-reset:{client_ip(request)}",
            limit=settings.CADENCE_LOGIN_RATE_PER_MINUTE,
            window_seconds=60,
        ):
            form = self.get_form()
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        audit_record(
            actor=None,
            action=AuditAction.SECURITY,
            summary="Password reset asked for",
            request=self.request,
        )
        return super().form_valid(form)


@public_page
@never_cache
def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


@never_cache
@roles_required(ALL_ROLES)
def confirm_password(request):
    """Re-authentication before a sensitive step (enrolling MFA, issuing a token)."""
    next_url = _safe_next(request, reverse("accounts:account"))
    form = ConfirmPasswordForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            remember_password_given(request)
            return redirect(next_url)
        audit_record(
            actor=request.user,
            action=AuditAction.LOGIN_FAILED,
            summary="Password confirmation failed",
            request=request,
        )
    return render(
        request,
        "accounts/confirm_password.html",
        {"form": form, "next": next_url},
        status=422 if form.errors else 200,
    )


def _scope_choices(user):
    allowed = (TokenScope.DIARY, TokenScope.READ) if user.is_patient else tuple(TokenScope)
    return [(scope.value, scope.label) for scope in allowed]


def _token_page(request, form=None, new_token=None, status=200):
    return render(
        request,
        "accounts/token_list.html",
        {
            "tokens": selectors.tokens_visible_to(request.user),
            "form": form
            or TokenIssueForm(
                request.user,
                scope_choices=_scope_choices(request.user),
                initial={
                    "days": settings.CADENCE_API_TOKEN_DAYS,
                    "scope": TokenScope.DIARY if request.user.is_patient else TokenScope.READ,
                },
            ),
            "new_token": new_token,
            "sees_everyone": request.user.role == Role.ADMIN,
        },
        status=status,
    )


@never_cache
@roles_required(ALL_ROLES)
def token_list(request):
    """One's API tokens (an administrator: everyone's), to revoke; and a form to issue one
    (the password again, and a current two-factor code when enrolled)."""
    if request.method != "POST":
        return _token_page(request)
    form = TokenIssueForm(request.user, request.POST, scope_choices=_scope_choices(request.user))
    if form.is_valid():
        try:
            _token, raw = services.api_token_issue(
                user=request.user,
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                otp_code=form.cleaned_data["otp_token"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            remember_password_given(request)
            return _token_page(request, new_token=raw, status=201)
    return _token_page(request, form=form, status=422)


@roles_required(ALL_ROLES)
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(selectors.tokens_visible_to(request.user), pk=token_id)
    if token.revoked_at is None:
        services.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, f"The token {token.token_prefix}… no longer works.")
    return redirect("accounts:token-list")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
