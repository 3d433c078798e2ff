"""The audit log: filtered by patient name as well as number; roles and objects in
words, not column names; no shell command on the page."""

from __future__ import annotations

import pytest

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.patients.models import MedicalHistory

pytestmark = pytest.mark.django_db


def test_the_audit_log_filters_by_patient_name_and_uses_words(
    client, admin_user, frontdesk, make_patient
):
    hazel = make_patient(first_name="Hazel", last_name="Quimby")
    other = make_patient(first_name="Otto", last_name="Brandt")
    history = MedicalHistory.objects.create(patient=hazel)
    audit_record(
        actor=frontdesk,
        action=AuditAction.VIEW,
        summary="Looked at Hazel",
        patient=hazel,
        obj=history,
    )
    audit_record(actor=frontdesk, action=AuditAction.VIEW, summary="Looked at Otto", patient=other)
    client.force_login(admin_user)

    html = client.get("/audit/", {"patient_name": "hazel quim"}).content.decode()
    assert "Looked at Hazel" in html and "Looked at Otto" not in html
    assert "Medical history" in html and "patients.medicalhistory" not in html
    assert "Front desk" in html and ">frontdesk<" not in html
    assert "manage.py" not in html
    assert 'name="patient_name"' in html and "Patient number" in html

    by_number = client.get("/audit/", {"patient": other.pk}).content.decode()
    assert "Looked at Otto" in by_number and "Looked at Hazel" not in by_number
    nobody = client.get("/audit/", {"patient_name": "Zzyzx"}).content.decode()
    assert "Looked at" not in nobody


def test_no_template_tells_a_user_to_run_a_shell_command():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders = [
        str(path.relative_to(root))
        for folder in (root / "templates", root / "cadence")
        for path in folder.rglob("*.html")
        if "manage.py" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
