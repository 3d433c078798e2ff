from django.urls import include, path

from cadence.accounts import views as account_views
from cadence.interop import views as interop_views
from config.api import api

urlpatterns = [
    path("healthz", account_views.healthz, name="healthz"),
    path("favicon.ico", account_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("", include("cadence.accounts.urls")),
    path("", include("cadence.intake.urls")),
    path("patients/", include("cadence.patients.urls")),
    path("patients/", include("cadence.candidacy.urls")),
    path("patients/", include("cadence.surgery.urls")),
    path("diary/", include("cadence.diary.urls")),
    path("", include("cadence.diary.pwa_urls")),
    path("treatments/", include("cadence.treatments.urls")),
    path("schedule/", include("cadence.scheduling.urls")),
    path("outcomes/", include("cadence.outcomes.urls")),
    path("audit/", include("cadence.patients.audit_urls")),
    # POST [base] without the trailing slash is the same transaction endpoint.
    path("fhir/r4", interop_views.bundle_transaction, name="fhir-base"),
    path("fhir/r4/", include("cadence.interop.urls")),
]

handler403 = "cadence.accounts.views.forbidden"
handler404 = "cadence.accounts.views.not_found"
handler500 = "cadence.accounts.views.server_error"
