from django.urls import path

from cadence.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("book/", views.book_start, name="book-start"),
    path("patients/<int:patient_id>/book/", views.patient_book, name="patient-book"),
    path(
        "patients/<int:patient_id>/next-appointment.ics",
        views.patient_next_appointment_ics,
        name="patient-next-appointment-ics",
    ),
    path("appointments/<int:appointment_id>/", views.appointment_detail, name="appointment-detail"),
    path(
        "appointments/<int:appointment_id>/move/", views.appointment_move, name="appointment-move"
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        views.appointment_cancel,
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:appointment_id>/no-show/",
        views.appointment_no_show,
        name="appointment-no-show",
    ),
    path(
        "appointments/<int:appointment_id>/attended/",
        views.appointment_attended,
        name="appointment-attended",
    ),
    path("worklists/", views.worklists, name="worklists"),
    path("working-hours/", views.working_hours, name="working-hours"),
    path("reminders/", views.reminder_preferences, name="reminder-preferences"),
    path("feed/", views.feed_settings, name="feed-settings"),
    path("feeds/<str:token>.ics", views.clinician_feed, name="clinician-feed"),
]
