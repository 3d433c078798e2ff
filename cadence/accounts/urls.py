from django.urls import path

from cadence.accounts import mfa, views
from cadence.accounts.access import public_page

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
    path(
        "set-password/<uidb64>/<token>/",
        public_page(views.SetPasswordView.as_view()),
        name="set-password",
    ),
    path("mfa/enrol/", mfa.mfa_enrol, name="mfa-enrol"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa-verify"),
    path("mfa/recovery-codes/", mfa.mfa_recovery_codes, name="mfa-recovery-codes"),
]
