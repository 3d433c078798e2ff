from django.urls import path

from cadence.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/outcomes/", views.dashboard_outcomes, name="dashboard-outcomes"),
    path("dashboard/course-reviews/", views.course_reviews_due, name="course-reviews-due"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient-detail"),
    path(
        "patients/<int:patient_id>/course-review/",
        views.course_review,
        name="course-review",
    ),
    path(
        "patients/<int:patient_id>/progress-report.pdf",
        views.progress_report,
        name="progress-report",
    ),
    path(
        "patients/<int:patient_id>/referrer-letter.pdf",
        views.referrer_letter,
        name="referrer-letter",
    ),
    path(
        "patients/<int:patient_id>/continuation-packet.pdf",
        views.continuation_packet,
        name="continuation-packet",
    ),
    path("my-progress/", views.my_progress, name="my-progress"),
]
