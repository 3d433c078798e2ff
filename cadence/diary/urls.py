from django.urls import path

from cadence.diary import views

app_name = "diary"

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire-list"),
    path("questionnaires/midas/", views.midas_new, name="midas-new"),
    path("questionnaires/hit-6/", views.hit6_new, name="hit6-new"),
    path("side-effects/", views.side_effect_list, name="side-effect-list"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:report_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("patients/<int:patient_id>/", views.patient_diary, name="patient-diary"),
]
