from django.urls import path

from cadence.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.info, name="info"),
    path("info/", views.info, name="info-page"),
    path("self-check/", views.self_check, name="self-check"),
    path("consultation/", views.consultation, name="consultation"),
    path("consultation/sent/", views.consultation_sent, name="consultation-sent"),
    path("staff/requests/", views.request_list, name="request-list"),
    path(
        "staff/requests/<int:consultation_request_id>/", views.request_detail, name="request-detail"
    ),
    path(
        "staff/requests/<int:consultation_request_id>/status/",
        views.request_status,
        name="request-status",
    ),
    path(
        "staff/requests/<int:consultation_request_id>/notes/",
        views.request_note,
        name="request-note",
    ),
    path(
        "staff/requests/<int:consultation_request_id>/convert/",
        views.request_convert,
        name="request-convert",
    ),
]
