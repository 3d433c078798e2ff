from django.urls import path

from cadence.diary import pwa, views

app_name = "diary"

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("attack/start/", views.attack_start, name="attack-start"),
    path("attack/end/", views.attack_end, name="attack-end"),
    path("cycle/", views.cycle_preference, name="cycle-preference"),
    path("export.csv", views.diary_export_csv, name="export-csv"),
    path("summary/", views.diary_summary, name="summary"),
    path("medicines/", views.my_medicines, name="medicines"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire-list"),
    path("questionnaires/midas/", views.midas_new, name="midas-new"),
    path("questionnaires/hit-6/", views.hit6_new, name="hit6-new"),
    path("side-effects/", views.side_effect_list, name="side-effect-list"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:report_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:report_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("patients/<int:patient_id>/", views.patient_diary, name="patient-diary"),
    path("patients/<int:patient_id>/pain/", views.pain_panel, name="pain-panel"),
]
