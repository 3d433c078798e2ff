from django.urls import include, path

from cadence.accounts import views as account_views
from config.api import api

urlpatterns = [
    path("healthz", account_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("cadence.accounts.urls")),
    path("", include("cadence.intake.urls")),
    path("patients/", include("cadence.patients.urls")),
    path("patients/", include("cadence.candidacy.urls")),
    path("diary/", include("cadence.diary.urls")),
    path("treatments/", include("cadence.treatments.urls")),
    path("schedule/", include("cadence.scheduling.urls")),
    path("outcomes/", include("cadence.outcomes.urls")),
    path("audit/", include("cadence.patients.audit_urls")),
    path("fhir/r4/", include("cadence.interop.urls")),
]

handler403 = "cadence.accounts.views.forbidden"
handler404 = "cadence.accounts.views.not_found"
handler500 = "cadence.accounts.views.server_error"
