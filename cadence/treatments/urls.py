from django.urls import path

from cadence.treatments import views

app_name = "treatments"

urlpatterns = [
    path("patients/<int:patient_id>/", views.patient_treatments, name="patient-treatments"),
    path("patients/<int:patient_id>/plans/new/", views.plan_create, name="plan-create"),
    path("patients/<int:patient_id>/plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path(
        "patients/<int:patient_id>/plans/<int:plan_id>/consent/",
        views.plan_consent,
        name="plan-consent",
    ),
    path(
        "patients/<int:patient_id>/plans/<int:plan_id>/record/",
        views.procedure_create,
        name="procedure-create",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/",
        views.procedure_detail,
        name="procedure-detail",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/sign/",
        views.procedure_sign,
        name="procedure-sign",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/void/",
        views.procedure_void,
        name="procedure-void",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/amend/",
        views.procedure_amend,
        name="procedure-amend",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/pdf/",
        views.procedure_pdf,
        name="procedure-pdf",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:procedure_id>/aftercare/",
        views.procedure_aftercare,
        name="procedure-aftercare",
    ),
    path("my-aftercare/", views.my_aftercare, name="my-aftercare"),
    path("outside-protocol/", views.outside_protocol_list, name="outside-protocol"),
    path("notes-to-sign/", views.notes_to_sign_list, name="notes-to-sign"),
    path("vials/", views.vial_list, name="vial-list"),
    path("recall/", views.lot_recall, name="lot-recall"),
    path("recall/export.csv", views.lot_recall_csv, name="lot-recall-csv"),
]
