"""FHIR Bulk Data Access ($export): kick-off → status → manifest → NDJSON files, the
_type and _since filters, who may export, expiry and cancellation. Runs on SQLite and
PostgreSQL alike (the immediate task backend runs the export inside the kick-off)."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from cadence.accounts.models import ApiToken
from cadence.audit.models import AuditAction, AuditEvent
from cadence.diary.models import DiaryDay
from cadence.interop import bulk, bulk_views, tasks
from cadence.interop import capability as bulk_capability
from cadence.interop.models import BulkExportJob, BulkExportStatus
from cadence.patients.models import Patient
from cadence.scheduling.models import Appointment
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture(autouse=True)
def bulk_dir(settings, tmp_path):
    settings.CADENCE_BULK_EXPORT_DIR = tmp_path / "bulk"
    return settings.CADENCE_BULK_EXPORT_DIR


@pytest.fixture
def clinic(patient, other_patient, clinician):
    first = date(2025, 1, 6)
    for who in (patient, other_patient):
        for offset in range(-30, 40):
            DiaryDay.objects.create(
                patient=who,
                date=first + timedelta(days=offset),
                headache_hours=6 if offset % 2 else 0,
                peak_severity="moderate" if offset % 2 else "none",
                is_headache_day=bool(offset % 2),
            )
    Procedure.objects.create(
        patient=patient,
        performed_on=first,
        total_units=Decimal("155"),
        status=ProcedureStatus.SIGNED,
        clinician=clinician,
    )
    start = datetime(2025, 3, 31, 9, 0, tzinfo=UTC)
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="treatment",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )
    return patient, other_patient


def path_of(url: str) -> str:
    return urlsplit(url).path


def kick_off(client, path="/fhir/r4/$export", query="", headers=ASYNC):
    return client.get(f"{path}{'?' + query if query else ''}", headers=headers)


def export_manifest(client, path="/fhir/r4/$export", query="") -> tuple[dict, str]:
    response = kick_off(client, path, query)
    assert response.status_code == 202, response.content
    status_url = response["Content-Location"]
    status = client.get(path_of(status_url))
    assert status.status_code == 200, status.content
    return status.json(), status_url


def download(client, entry: dict) -> list[dict]:
    response = client.get(path_of(entry["url"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n")
    return [json.loads(line) for line in body.splitlines()]


# ------------------------------------------------------------------ end to end
def test_kick_off_status_manifest_and_every_file_validates(api_for, clinician, clinic):
    client = api_for(clinician)
    manifest, status_url = export_manifest(client)
    assert "/fhir/r4/bulk/" in status_url
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/r4/$export")
    assert datetime.fromisoformat(manifest["transactionTime"]).tzinfo is not None
    assert manifest["error"] == []
    types = [entry["type"] for entry in manifest["output"]]
    assert {"Patient", "Observation", "Procedure", "MedicationAdministration"} <= set(types)
    assert {"Appointment", "Questionnaire"} <= set(types)
    assert len(types) == len(set(types)), "one file per type"
    for entry in manifest["output"]:
        resources = download(client, entry)
        assert len(resources) == entry["count"]
        model = get_fhir_model_class(entry["type"])
        for resource in resources:
            assert resource["resourceType"] == entry["type"]
            model.model_validate(resource)
    patients = download(client, next(e for e in manifest["output"] if e["type"] == "Patient"))
    assert sorted(p["id"] for p in patients) == sorted(str(p.pk) for p in clinic)
    diary = [
        o
        for o in download(client, next(e for e in manifest["output"] if e["type"] == "Observation"))
        if o["id"].startswith("diary-")
    ]
    assert len(diary) == 140


def test_kick_off_download_and_delete_are_audited(api_for, clinician, clinic):
    client = api_for(clinician)
    manifest, status_url = export_manifest(client, query="_type=Patient")
    download(client, manifest["output"][0])
    assert client.delete(path_of(status_url)).status_code == 202
    events = AuditEvent.objects.filter(object_type="interop.bulkexportjob").order_by("id")
    assert [e.action for e in events] == [
        AuditAction.EXPORT,
        AuditAction.EXPORT,
        AuditAction.DELETE,
    ]
    assert all(e.actor_id == clinician.pk for e in events)
    assert "requested" in events[0].summary and "downloaded" in events[1].summary


def test_a_clinician_exports_with_the_signed_in_session(clinician, clinic):
    client = Client()
    client.force_login(clinician)
    manifest, _ = export_manifest(client, query="_type=Patient")
    assert manifest["output"][0]["count"] == 2


def test_patient_and_group_level_exports(api_for, clinician, clinic):
    client = api_for(clinician)
    for path in ("/fhir/r4/Patient/$export", "/fhir/r4/Group/all-patients/$export"):
        manifest, _ = export_manifest(client, path)
        types = {entry["type"] for entry in manifest["output"]}
        assert "Patient" in types
        assert "Questionnaire" not in types, "not in the patient compartment"
        assert manifest["request"].endswith(path)


def test_an_unknown_group_is_a_404_outcome(api_for, clinician):
    response = kick_off(api_for(clinician), "/fhir/r4/Group/cohort-7/$export")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not BulkExportJob.objects.exists()


@pytest.mark.parametrize(
    "query, headers, words",
    [
        ("", {}, "Prefer: respond-async"),
        ("_type=Patient,Encounter", ASYNC, "Encounter"),
        ("_type=Questionnaire", ASYNC, "Questionnaire"),  # system level only
        ("_outputFormat=text/csv", ASYNC, "_outputFormat"),
        ("_since=2025-01-01", ASYNC, "_since"),
        ("_since=2025-01-01T10:00:00", ASYNC, "_since"),
        ("_typeFilter=Patient%3Factive%3Dtrue", ASYNC, "_typeFilter"),
    ],
)
def test_bad_kick_offs_are_400_outcomes(api_for, clinician, query, headers, words):
    response = kick_off(api_for(clinician), "/fhir/r4/Patient/$export", query, headers)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert words in outcome["issue"][0]["diagnostics"]
    assert not BulkExportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["application/fhir+ndjson", "application/ndjson", "ndjson"])
def test_the_ndjson_output_formats_are_accepted(api_for, clinician, fmt, patient):
    client = api_for(clinician)
    response = kick_off(client, query=f"_outputFormat={quote(fmt)}&_type=Patient")
    assert response.status_code == 202
    if "+" in fmt:  # sent unencoded, the "+" arrives as a space
        assert kick_off(client, query=f"_outputFormat={fmt}&_type=Patient").status_code == 202


def test_prefer_may_carry_other_preferences(api_for, clinician, patient):
    headers = {"Prefer": "handling=strict, respond-async"}
    assert kick_off(api_for(clinician), query="_type=Patient", headers=headers).status_code == 202


# ------------------------------------------------------------------ filters
def test_type_keeps_only_the_named_types(api_for, clinician, clinic):
    manifest, _ = export_manifest(api_for(clinician), query="_type=Condition,Patient,Procedure")
    assert [e["type"] for e in manifest["output"]] == ["Patient", "Procedure"]  # no Conditions


def test_since_keeps_what_changed_and_says_what_it_could_not_filter(api_for, clinician, clinic):
    patient, other = clinic
    old = datetime(2024, 1, 1, tzinfo=UTC)
    Patient.objects.filter(pk=other.pk).update(updated_at=old)
    DiaryDay.objects.update(updated_at=old)
    changed = DiaryDay.objects.filter(patient=patient).order_by("date")[:3]
    DiaryDay.objects.filter(pk__in=[d.pk for d in changed]).update(updated_at=timezone.now())
    Appointment.objects.update(updated_at=old)
    client = api_for(clinician)
    since = "2025-06-01T00:00:00Z"
    manifest, _ = export_manifest(
        client, query=f"_since={since.replace('+', '%2B')}&_type=Patient,Observation,Appointment"
    )
    outputs = {e["type"]: e for e in manifest["output"]}
    assert [p["id"] for p in download(client, outputs["Patient"])] == [str(patient.pk)]
    diary = [o for o in download(client, outputs["Observation"]) if o["id"].startswith("diary-")]
    assert sorted(o["id"] for o in diary) == sorted(f"diary-{d.pk}" for d in changed)
    assert "Appointment" not in outputs
    assert manifest["extension"]["sinceNotApplied"] == ["Observation"]
    whole, _ = export_manifest(client, query="_since=2025-06-01T00:00:00%2B02:00&_type=Condition")
    assert whole["extension"]["sinceNotApplied"] == ["Condition"]


# ------------------------------------------------------------------ who
@pytest.mark.parametrize("role_fixture", ["admin_user", "patient_user", "nurse", "frontdesk"])
def test_only_clinicians_may_export(request, api_for, role_fixture, clinic):
    user = request.getfixturevalue(role_fixture)
    for path in ("/fhir/r4/$export", "/fhir/r4/Patient/$export"):
        response = kick_off(api_for(user), path)
        assert response.status_code == 403
        assert response.json()["resourceType"] == "OperationOutcome"
    assert not BulkExportJob.objects.exists()


def test_anonymous_is_401(client):
    response = kick_off(client)
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_another_clinician_cannot_reach_someone_elses_export(api_for, clinician, make_user, clinic):
    owner = api_for(clinician)
    manifest, status_url = export_manifest(owner, query="_type=Patient")
    file_path = path_of(manifest["output"][0]["url"])
    stranger = api_for(make_user("t_clinician2", "clinician"))
    assert stranger.get(path_of(status_url)).status_code == 404
    assert stranger.get(file_path).status_code == 404
    assert stranger.delete(path_of(status_url)).status_code == 404
    assert owner.get(file_path).status_code == 200, "still there for its owner"


def test_an_admin_cannot_read_a_clinicians_export(api_for, clinician, admin_user, clinic):
    manifest, status_url = export_manifest(api_for(clinician), query="_type=Patient")
    admin = api_for(admin_user)
    assert admin.get(path_of(status_url)).status_code == 403
    assert admin.get(path_of(manifest["output"][0]["url"])).status_code == 403


def test_a_file_not_in_the_manifest_is_404(api_for, clinician, clinic):
    client = api_for(clinician)
    manifest, status_url = export_manifest(client, query="_type=Patient")
    for name in ("Condition.ndjson", "..%2F..%2Fsecret_key", "Patient.ndjson.bak"):
        assert client.get(path_of(status_url) + "/" + name).status_code == 404


# ------------------------------------------------------------------ status, expiry, cancel
def test_status_is_202_with_progress_while_the_worker_has_not_finished(
    api_for, clinician, clinic, monkeypatch
):
    monkeypatch.setattr(tasks, "bulk_export_enqueue", lambda job: None)
    client = api_for(clinician)
    status_url = kick_off(client)["Content-Location"]
    response = client.get(path_of(status_url))
    assert response.status_code == 202
    assert response["X-Progress"]
    assert int(response["Retry-After"]) > 0
    job = BulkExportJob.objects.get()
    assert bulk.bulk_export_run(job_id=str(job.pk)) == BulkExportStatus.COMPLETED
    assert client.get(path_of(status_url)).status_code == 200


def test_a_failed_export_is_a_500_outcome_and_leaves_no_files(
    api_for, clinician, clinic, monkeypatch, bulk_dir
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_patient_resources", broken)
    client = api_for(clinician)
    status = client.get(path_of(kick_off(client)["Content-Location"]))
    assert status.status_code == 500
    outcome = status.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "disk full" not in json.dumps(outcome)
    assert not any(bulk_dir.rglob("*.ndjson"))


def test_files_expire_after_the_ttl_and_the_sweep_deletes_them(
    api_for, clinician, clinic, settings, bulk_dir
):
    settings.CADENCE_BULK_EXPORT_TTL_HOURS = 24
    client = api_for(clinician)
    manifest, status_url = export_manifest(client, query="_type=Patient")
    job = BulkExportJob.objects.get()
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    assert any(bulk_dir.rglob("*.ndjson"))
    BulkExportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for url in (status_url, manifest["output"][0]["url"]):
        response = client.get(path_of(url))
        assert response.status_code == 404
        assert "expired" in response.json()["issue"][0]["diagnostics"]
    assert bulk.bulk_export_sweep() == 1
    assert not any(bulk_dir.rglob("*.ndjson"))
    assert BulkExportJob.objects.get().status == BulkExportStatus.EXPIRED
    assert client.get(path_of(status_url)).status_code == 404


def test_the_sweep_leaves_exports_that_have_not_expired(api_for, clinician, clinic, bulk_dir):
    export_manifest(api_for(clinician), query="_type=Patient")
    assert bulk.bulk_export_sweep(now=timezone.now() + timedelta(hours=23)) == 0
    assert any(bulk_dir.rglob("*.ndjson"))
    assert bulk.bulk_export_sweep(now=timezone.now() + timedelta(hours=25)) == 1


def test_delete_cancels_and_removes_the_files(api_for, clinician, clinic, bulk_dir):
    client = api_for(clinician)
    manifest, status_url = export_manifest(client)
    assert any(bulk_dir.rglob("*.ndjson"))
    response = client.delete(path_of(status_url))
    assert response.status_code == 202
    assert not any(bulk_dir.rglob("*.ndjson"))
    assert client.get(path_of(status_url)).status_code == 404
    assert client.get(path_of(manifest["output"][0]["url"])).status_code == 404


def test_a_cancel_while_running_stops_the_worker(api_for, clinician, clinic, monkeypatch):
    monkeypatch.setattr(tasks, "bulk_export_enqueue", lambda job: None)
    monkeypatch.setattr(bulk, "PATIENT_CHUNK", 1)
    client = api_for(clinician)
    kick_off(client)
    job = BulkExportJob.objects.get()
    real = bulk._patient_resources

    def cancel_midway(patient, types, since):
        BulkExportJob.objects.filter(pk=job.pk).update(status=BulkExportStatus.CANCELLED)
        yield from real(patient, types, since)

    monkeypatch.setattr(bulk, "_patient_resources", cancel_midway)
    assert bulk.bulk_export_run(job_id=str(job.pk)) == BulkExportStatus.CANCELLED
    assert not bulk.job_dir(job).exists()
    assert BulkExportJob.objects.get().status == BulkExportStatus.CANCELLED


def test_the_task_runs_a_waiting_job_once(api_for, clinician, clinic, monkeypatch):
    monkeypatch.setattr(tasks, "bulk_export_enqueue", lambda job: None)
    kick_off(api_for(clinician), query="_type=Patient")
    job = BulkExportJob.objects.get()
    assert bulk.bulk_export_run(job_id=str(job.pk)) == BulkExportStatus.COMPLETED
    first = BulkExportJob.objects.get().finished_at
    assert bulk.bulk_export_run(job_id=str(job.pk)) == BulkExportStatus.COMPLETED
    assert BulkExportJob.objects.get().finished_at == first


# ------------------------------------------------------------------ memory
def test_a_long_diary_export_keeps_memory_flat(api_for, clinician, patient, bulk_dir):
    first = date(2023, 1, 1)
    DiaryDay.objects.bulk_create(
        DiaryDay(
            patient=patient,
            date=first + timedelta(days=n),
            headache_hours=n % 9,
            peak_severity="moderate",
            notes="a note " * 20,
        )
        for n in range(1500)
    )
    job = BulkExportJob.objects.create(
        requested_by=clinician,
        level="system",
        types=["Observation"],
        request_url="https://cadence.invalid/fhir/r4/$export",
    )
    tracemalloc.start()
    assert bulk.bulk_export_run(job_id=str(job.pk)) == BulkExportStatus.COMPLETED
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(p.stat().st_size for p in bulk_dir.rglob("*.ndjson"))
    assert size > 1_000_000
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for {size / 1e6:.1f} MB of NDJSON"


def test_since_instants_parse_with_offsets():
    assert bulk._instant("2025-06-01T00:00:00Z") == datetime(2025, 6, 1, tzinfo=UTC)


def test_the_capability_statement_announces_bulk_data(client):
    statement = client.get("/fhir/r4/metadata").json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    assert (
        "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"
        in (statement["instantiates"])
    )
    rest = statement["rest"][0]
    assert {"name": "export", "definition": bulk_capability.BULK_EXPORT_OPERATIONS["system"]} in (
        rest["operation"]
    )
    by_type = {r["type"]: r for r in rest["resource"]}
    assert "export" in [op["name"] for op in by_type["Patient"]["operation"]]
    assert [op["name"] for op in by_type["Group"]["operation"]] == ["export"]


@pytest.mark.parametrize(
    "scope, allowed",
    [
        ("export", True),
        ("full", True),
        (["export"], True),
        ("read", False),
        ("diary", False),
        ("write", False),
        ("", False),
        (None, False),
    ],
)
def test_a_token_scope_must_name_export_or_full(scope, allowed):
    assert bulk_views.scope_allows_export(scope) is allowed


def test_a_token_with_a_scope_that_does_not_allow_export_is_refused(
    api_for, clinician, patient, monkeypatch
):
    """Where tokens carry a scope (issue 21), a write-only token may not export."""
    monkeypatch.setattr(bulk_views, "_SCOPE_FIELDS", ("name",))  # stands in for the field
    token, raw = ApiToken.issue(clinician, name="write")
    client = Client()
    headers = {**ASYNC, "Authorization": f"Bearer {raw}"}
    response = client.get("/fhir/r4/$export?_type=Patient", headers=headers)
    assert response.status_code == 403
    assert "scope" in response.json()["issue"][0]["diagnostics"]
    token.name = "export"
    token.save()
    assert client.get("/fhir/r4/$export?_type=Patient", headers=headers).status_code == 202
