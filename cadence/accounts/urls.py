from django.urls import path

from cadence.accounts import mfa, views
from cadence.accounts.access import public_page

app_name = "accounts"

urlpatterns = [
    path("login/", public_page(views.CadenceLoginView.as_view()), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("staff/users/", views.user_list, name="user-list"),
    path("mfa/enrol/", mfa.mfa_enrol, name="mfa-enrol"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa-verify"),
    path("mfa/recovery-codes/", mfa.mfa_recovery_codes, name="mfa-recovery-codes"),
]
