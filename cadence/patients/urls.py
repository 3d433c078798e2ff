from django.urls import path

from cadence.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="patient-list"),
    path("new/", views.patient_create, name="patient-create"),
    path("<int:patient_id>/record/", views.patient_record, name="patient-record"),
    path("<int:patient_id>/demographics/", views.patient_edit, name="patient-edit"),
    path("<int:patient_id>/history/", views.history_edit, name="history-edit"),
    path("<int:patient_id>/diagnoses/new/", views.diagnosis_create, name="diagnosis-create"),
    path(
        "<int:patient_id>/historical-baseline/new/",
        views.historical_baseline_create,
        name="historical-baseline-create",
    ),
    path(
        "<int:patient_id>/preventive-trials/new/",
        views.preventive_trial_create,
        name="preventive-trial-create",
    ),
    path(
        "<int:patient_id>/preventive-trials/<int:trial_id>/confirm/",
        views.preventive_trial_confirm,
        name="preventive-trial-confirm",
    ),
]
