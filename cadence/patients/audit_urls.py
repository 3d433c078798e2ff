from django.urls import path

from cadence.patients import audit_views as views

# The audit pages keep their own namespace and address (/audit/...): config/urls.py.
app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export.csv", views.event_export, name="event-export"),
    path("my-record/", views.my_record_access, name="my-record"),
]
