from django.urls import path

from cadence.candidacy import views

app_name = "candidacy"

# Mounted under /patients/ (config/urls.py): the paths are the ones the patients app used.
urlpatterns = [
    path("<int:patient_id>/candidacy/", views.candidacy, name="candidacy"),
    path("<int:patient_id>/candidacy/decision/", views.candidacy_decide, name="candidacy-decide"),
]
