from django.urls import path

from cadence.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export.csv", views.event_export, name="event-export"),
    path("my-record/", views.my_record_access, name="my-record"),
]
