from django.urls import path

from cadence.accounts import mfa, views
from cadence.accounts.access import public_page, roles_required
from cadence.accounts.roles import ALL_ROLES

app_name = "accounts"

urlpatterns = [
    path("login/", public_page(views.CadenceLoginView.as_view()), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("staff/users/", views.user_list, name="user-list"),
    path("staff/users/invite/", views.user_invite, name="user-invite"),
    path("staff/users/<int:user_id>/role/", views.user_role, name="user-role"),
    path("staff/users/<int:user_id>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("staff/users/<int:user_id>/unlock/", views.user_unlock, name="user-unlock"),
    path("staff/users/<int:user_id>/mfa-reset/", views.user_mfa_reset, name="user-mfa-reset"),
    path("staff/users/<int:user_id>/prescriber/", views.user_prescriber, name="user-prescriber"),
    path(
        "set-password/<uidb64>/<token>/",
        public_page(views.SetPasswordView.as_view()),
        name="set-password",
    ),
    path("account/", views.account, name="account"),
    path("account/prescriber/", views.account_prescriber, name="account-prescriber"),
    path(
        "account/password/",
        roles_required(ALL_ROLES)(views.CadencePasswordChangeView.as_view()),
        name="password-change",
    ),
    path("account/confirm-password/", views.confirm_password, name="confirm-password"),
    path("account/tokens/", views.token_list, name="token-list"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "password-reset/",
        public_page(views.CadencePasswordResetView.as_view()),
        name="password-reset",
    ),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("mfa/enrol/", mfa.mfa_enrol, name="mfa-enrol"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa-verify"),
    path("mfa/recovery-codes/", mfa.mfa_recovery_codes, name="mfa-recovery-codes"),
]
