from django.urls import path

from cadence.accounts import views
from cadence.accounts.access import public_page

app_name = "accounts"

urlpatterns = [
    path("login/", public_page(views.CadenceLoginView.as_view()), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("staff/users/", views.user_list, name="user-list"),
]
