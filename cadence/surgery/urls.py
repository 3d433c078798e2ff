from django.urls import path

from cadence.surgery import views

app_name = "surgery"

# Mounted under /patients/ (config/urls.py).
urlpatterns = [
    path("surgery-outcomes/", views.clinic_surgery_outcomes, name="clinic-outcomes"),
    path("my-surgery-outcomes/", views.my_surgery_outcomes, name="my-outcomes"),
    path("<int:patient_id>/surgery/", views.surgery_evaluation, name="evaluation"),
    path("<int:patient_id>/surgery/workup/", views.surgical_workup_record, name="workup"),
    path(
        "<int:patient_id>/surgery/plans/<int:plan_id>/diagnostic/",
        views.diagnostic_target_mark,
        name="diagnostic-target",
    ),
    path(
        "<int:patient_id>/surgery/nerve-blocks/",
        views.nerve_block_record,
        name="nerve-block-create",
    ),
    path(
        "<int:patient_id>/surgery/nerve-blocks/<int:nerve_block_id>/",
        views.nerve_block_detail,
        name="nerve-block",
    ),
    path(
        "<int:patient_id>/surgery/nerve-blocks/<int:nerve_block_id>/sign/",
        views.nerve_block_sign,
        name="nerve-block-sign",
    ),
    path(
        "<int:patient_id>/surgery/nerve-blocks/<int:nerve_block_id>/void/",
        views.nerve_block_void,
        name="nerve-block-void",
    ),
    path(
        "<int:patient_id>/surgery/nerve-blocks/<int:nerve_block_id>/amend/",
        views.nerve_block_amend,
        name="nerve-block-amend",
    ),
    path(
        "<int:patient_id>/surgery/operations/",
        views.surgical_operation_record,
        name="operation-create",
    ),
    path("<int:patient_id>/surgery/outcomes/", views.surgery_outcomes, name="outcomes"),
    path("<int:patient_id>/surgery/packet.pdf", views.surgery_packet_pdf, name="packet-pdf"),
    path("<int:patient_id>/surgery/referral.pdf", views.surgery_referral_pdf, name="referral-pdf"),
]
