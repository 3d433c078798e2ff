"""Reports and exports read from a PostgreSQL replica when one is configured
(config/db_routers.py; docs/performance.md, "How Cadence scales past one machine")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.db.utils import ConnectionDoesNotExist
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cadence.accounts.models import ApiToken, User
from cadence.audit.models import AuditChainHead, AuditEvent
from cadence.diary.models import DiaryDay
from cadence.outcomes.selectors import clinic
from cadence.patients.models import Patient
from cadence.treatments.models import Procedure
from config import db_routers
from config.db_routers import ReplicaReadsMiddleware, ReplicaRouter, replica_reads

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set (the router checks the alias exists)."""
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)


def test_reads_stay_on_the_primary_outside_report_requests(with_replica):
    router = ReplicaRouter()
    for model in (Patient, DiaryDay, Procedure, User, AuditEvent):
        assert router.db_for_read(model) is None


def test_clinical_reads_of_a_report_go_to_the_replica(with_replica):
    router = ReplicaRouter()
    with replica_reads():
        for model in (Patient, DiaryDay, Procedure):
            assert router.db_for_read(model) == "replica"
        # Who the user is, the audit chain and sessions: always the primary.
        for model in (User, ApiToken, AuditEvent, AuditChainHead, Session):
            assert router.db_for_read(model) is None
        # Every write: the primary.
        for model in (Patient, DiaryDay, AuditEvent):
            assert router.db_for_write(model) is None
    assert router.db_for_read(Patient) is None  # the context ends with the block


def test_without_a_replica_nothing_is_routed():
    router = ReplicaRouter()
    assert "replica" not in connections.databases
    with replica_reads():
        assert router.db_for_read(Patient) is None


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "diary") is False
    assert router.allow_migrate("default", "diary") is True


@override_settings(CADENCE_REPLICA_READ_PATHS=["/outcomes/dashboard/", "/fhir/r4/"])
@pytest.mark.parametrize(
    ("method", "path", "routed"),
    [
        ("get", "/outcomes/dashboard/", "replica"),
        # the dashboard's outcome cards (the clinic report, loaded by htmx)
        ("get", "/outcomes/dashboard/outcomes/", "replica"),
        ("get", "/fhir/r4/export/outcomes.csv", "replica"),
        ("head", "/fhir/r4/Patient/12/$everything", "replica"),
        # A POST reads what it is about to change: the primary.
        ("post", "/fhir/r4/", None),
        ("post", "/outcomes/dashboard/", None),
        # Any other page: the primary.
        ("get", "/outcomes/patients/12/", None),
        ("get", "/schedule/worklists/", None),
    ],
)
def test_the_middleware_routes_only_report_and_export_reads(with_replica, method, path, routed):
    seen = {}

    def view(request):
        seen["db"] = ReplicaRouter().db_for_read(Procedure)
        return HttpResponse("ok")

    middleware = ReplicaReadsMiddleware(view)
    middleware(getattr(RequestFactory(), method)(path))
    assert seen["db"] == routed
    assert ReplicaRouter().db_for_read(Procedure) is None  # nothing leaks past the request


def test_the_clinic_reports_hand_written_sql_follows_the_router(monkeypatch):
    assert clinic._reader() is connections["default"]
    monkeypatch.setattr(clinic.router, "db_for_read", lambda model, **hints: "replica")
    # Routed to the replica: with none configured here, asking for it proves the route.
    with pytest.raises(ConnectionDoesNotExist):
        clinic._reader()


def test_database_replica_url_adds_the_replica_router_and_middleware():
    code = (
        "import json, config.settings as s; print(json.dumps({"
        "'replica': s.DATABASES['replica']['HOST'], 'routers': s.DATABASE_ROUTERS,"
        "'middleware': 'config.db_routers.ReplicaReadsMiddleware' in s.MIDDLEWARE,"
        "'mirror': s.DATABASES['replica']['TEST'], 'paths': s.CADENCE_REPLICA_READ_PATHS}))"
    )
    env = {
        **os.environ,
        "DATABASE_REPLICA_URL": "postgres://cadence@replica.internal:5432/cadence",
        "DATABASE_URL": "postgres://cadence@primary.internal:5432/cadence",
    }
    env.pop("CADENCE_REPLICA_READ_PATHS", None)
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    settings = json.loads(completed.stdout.strip().splitlines()[-1])
    assert settings == {
        "replica": "replica.internal",
        "routers": ["config.db_routers.ReplicaRouter"],
        "middleware": True,
        "mirror": {"MIRROR": "default"},
        "paths": ["/outcomes/dashboard/", "/fhir/r4/"],
    }
