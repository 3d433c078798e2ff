"""Production refuses to start without CADENCE_AUDIT_KEY, and refuses when the key does
not verify the newest audit entries (a system check, also run by config/wsgi.py)."""

from __future__ import annotations

import secrets
import subprocess

import pytest
from django.core import checks

from cadence.audit.models import (
    STARTUP_CHECKED_ENTRIES,
    AuditAction,
    AuditChainHead,
    AuditEvent,
    audit_key_verifies_the_newest_entries,
)
from cadence.audit.services import audit_record
from cadence.security.tests.helpers import BASE_DIR, PYTHON, manage, production_env


# ------------------------------------------------------------------ in process
@pytest.mark.django_db
def test_the_start_up_check_passes_with_the_right_key(settings, clinician):
    settings.PRODUCTION = True
    for i in range(STARTUP_CHECKED_ENTRIES + 3):
        audit_record(actor=clinician, action=AuditAction.VIEW, summary=f"look {i}")
    assert audit_key_verifies_the_newest_entries() == []
    assert [e for e in checks.run_checks(tags=["audit"]) if e.is_serious()] == []


@pytest.mark.django_db
def test_the_start_up_check_refuses_another_key(settings, clinician):
    settings.PRODUCTION = True
    audit_record(actor=clinician, action=AuditAction.VIEW, summary="look")
    settings.CADENCE_AUDIT_KEY = secrets.token_urlsafe(48)
    (error,) = audit_key_verifies_the_newest_entries()
    assert error.id == "audit.E001" and error.is_serious()
    assert "CADENCE_AUDIT_KEY does not verify the newest audit entries" in error.msg
    assert "does not match its hash" in error.msg


@pytest.mark.django_db
def test_the_start_up_check_refuses_a_head_set_without_the_key(settings, clinician):
    settings.PRODUCTION = True
    for i in range(3):
        audit_record(actor=clinician, action=AuditAction.VIEW, summary=f"look {i}")
    AuditChainHead.objects.filter(pk=1).update(entry_count=AuditEvent.objects.count() - 1)
    (error,) = audit_key_verifies_the_newest_entries()
    assert "the chain head's MAC does not verify" in error.msg


@pytest.mark.django_db
def test_the_start_up_check_is_for_production_only(settings, clinician):
    audit_record(actor=clinician, action=AuditAction.VIEW, summary="look")
    settings.PRODUCTION = False
    settings.CADENCE_AUDIT_KEY = "another key"
    assert audit_key_verifies_the_newest_entries() == []


# ------------------------------------------------------------------ a real start
@pytest.mark.parametrize("key", ["", "too-short", "a" * 40])
def test_production_refuses_to_start_without_an_audit_key(tmp_path, key):
    env = production_env(tmp_path, CADENCE_AUDIT_KEY=key)
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "CADENCE_ENV=production needs CADENCE_AUDIT_KEY" in result.stderr


def test_production_refuses_to_start_when_the_key_does_not_verify_the_trail(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'cadence.sqlite3'}")
    migrated = manage("migrate", "--noinput", env=env, timeout=180)
    assert migrated.returncode == 0, migrated.stderr
    record = (
        "from cadence.audit.services import audit_record; "
        "[audit_record(actor=None, action='security', summary='start') for _ in range(3)]"
    )
    assert manage("shell", "-c", record, env=env).returncode == 0
    assert manage("check", env=env).returncode == 0  # the right key

    wrong = dict(env, CADENCE_AUDIT_KEY=secrets.token_urlsafe(48))
    refused = manage("check", env=wrong)
    assert refused.returncode != 0
    assert "audit.E001" in refused.stderr
    assert "CADENCE_AUDIT_KEY does not verify the newest audit entries" in refused.stderr
    # The app servers (gunicorn imports config.wsgi) refuse too.
    served = subprocess.run(
        [PYTHON, "-c", "import config.wsgi"],
        cwd=BASE_DIR,
        env=wrong,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode != 0
    assert "CADENCE_AUDIT_KEY does not verify the newest audit entries" in served.stderr
    # Other commands run with --skip-checks; verify_audit runs anyway, to say what is wrong.
    assert manage("showmigrations", "audit", "--skip-checks", env=wrong).returncode == 0
    verified = manage("verify_audit", env=wrong)
    assert verified.returncode == 1
    assert "contents do not match its hash" in verified.stderr
