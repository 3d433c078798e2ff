"""FHIR R4 endpoints, mounted at /fhir/r4/ (config/urls.py), and the CSV exports."""

from django.urls import path, re_path

from cadence.interop import bulk_views, views
from cadence.interop.fhir.codes import RESOURCE_TYPES

app_name = "interop"

_BY_ID = [t for t in RESOURCE_TYPES if t not in ("Patient", "Questionnaire")]

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Patient", views.patient_search, name="patient-search"),
    # FHIR Bulk Data ($export): before Patient/<id> so that "$export" is not an id.
    path("$export", bulk_views.system_export, name="bulk-export"),
    path("Patient/$export", bulk_views.patient_export, name="bulk-patient-export"),
    path("Group/<str:group_id>/$export", bulk_views.group_export, name="bulk-group-export"),
    path("bulk/<str:job_id>", bulk_views.export_status, name="bulk-status"),
    path("bulk/<str:job_id>/<str:file_name>", bulk_views.export_file, name="bulk-file"),
    path(
        "Patient/<str:patient_id>/$everything", views.patient_everything, name="patient-everything"
    ),
    path("Patient/<str:patient_id>", views.patient_read, name="patient-read"),
    path("Questionnaire/<str:resource_id>", views.questionnaire_read, name="questionnaire-read"),
    path("CodeSystem/<str:code_system_id>", views.code_system_read, name="codesystem-read"),
    path(
        "StructureDefinition/<str:structure_definition_id>",
        views.structure_definition_read,
        name="structuredefinition-read",
    ),
    path("Bundle", views.bundle_transaction, name="bundle-transaction"),
    path("", views.bundle_transaction, name="transaction"),
    path("export/patients/<str:patient_id>/diary.csv", views.diary_csv, name="diary-csv"),
    path("export/outcomes.csv", views.outcomes_csv, name="outcomes-csv"),
    *[
        path(
            f"{resource_type}/<str:resource_id>",
            views.read_view_for(resource_type),
            {"resource_type": resource_type},
            name=f"{resource_type.lower()}-read",
        )
        for resource_type in _BY_ID
    ],
    # Last: anything else under /fhir/r4 is a 404 OperationOutcome, not Django's page.
    re_path(r"^.*$", views.unknown_route, name="unknown"),
]
