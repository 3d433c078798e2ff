"""The audit trail: append-only, chained by HMAC, verified by `manage.py verify_audit`,
protected by database triggers; the admin's audit log and a patient's "who viewed"."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cadence.audit.guard import triggers_present
from cadence.audit.models import AppendOnlyError, AuditAction, AuditEvent
from cadence.audit.services import audit_record, verify_chain

pytestmark = pytest.mark.django_db


def verify() -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue()


def verify_failure() -> tuple[str, str]:
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return str(raised.value), err.getvalue()


def some_entries(actor, patient, n=4):
    return [
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            summary=f"Viewed record {i}",
            patient=patient,
            details={"on": date(2026, 1, i + 1), "n": i},
        )
        for i in range(n)
    ]


def drop_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")


def test_an_intact_trail_verifies(clinician, patient):
    some_entries(clinician, patient)
    assert "intact: 4 entries" in verify()


def test_it_records_who_which_patient_what_when_and_from_where(rf, clinician, patient, settings):
    settings.CADENCE_TRUSTED_PROXIES = ["10.0.0.2"]
    request = rf.get("/x", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    event = audit_record(
        actor=clinician, action=AuditAction.VIEW, summary="Viewed", patient=patient, request=request
    )
    event.refresh_from_db()
    assert (event.actor_username, event.actor_role, event.patient_id_ref) == (
        clinician.username,
        "clinician",
        patient.pk,
    )
    assert (
        event.ip_address == "203.0.113.9"
    )  # the address the trusted proxy saw, not the spoofable left part
    assert abs((timezone.now() - event.occurred_at).total_seconds()) < 60


def test_it_refuses_an_unknown_action(clinician):
    with pytest.raises(ValueError):
        audit_record(actor=clinician, action="peek", summary="x")


def test_the_model_refuses_edits_and_deletes(clinician, patient):
    event = some_entries(clinician, patient, 1)[0]
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_triggers_refuse_update_and_delete(clinician, patient):
    some_entries(clinician, patient, 2)
    assert triggers_present(connection)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(summary="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(summary__startswith="Viewed record").count() == 2


def test_verify_audit_detects_an_edited_entry_even_with_the_triggers_dropped(clinician, patient):
    entries = some_entries(clinician, patient)
    drop_triggers()
    AuditEvent.objects.filter(pk=entries[1].pk).update(summary="Nothing to see")
    message, errors = verify_failure()
    assert str(entries[1].pk) in message
    assert f"entry {entries[1].pk}: contents do not match" in errors


def test_verify_audit_detects_a_rehashed_edit_without_the_key(clinician, patient):
    """Recomputing a plain SHA-256 over the edited entry does not help: the chain is an
    HMAC keyed outside the database."""
    import hashlib

    entries = some_entries(clinician, patient)
    drop_triggers()
    victim = AuditEvent.objects.get(pk=entries[2].pk)
    victim.summary = "Nothing to see"
    forged = hashlib.sha256(victim.canonical().encode()).hexdigest()
    AuditEvent.objects.filter(pk=victim.pk).update(summary=victim.summary, entry_hash=forged)
    message, _ = verify_failure()
    assert str(victim.pk) in message


def test_verify_audit_detects_a_deleted_entry(clinician, patient):
    entries = some_entries(clinician, patient)
    drop_triggers()
    AuditEvent.objects.filter(pk=entries[1].pk).delete()
    message, errors = verify_failure()
    assert str(entries[2].pk) in message  # where the broken link shows
    assert "previous-hash link broken" in errors


def test_verify_audit_detects_removal_of_the_newest_entries(clinician, patient):
    entries = some_entries(clinician, patient)
    drop_triggers()
    AuditEvent.objects.filter(pk=entries[-1].pk).delete()
    _, errors = verify_failure()
    assert "newest entries were removed" in errors


def test_entries_with_dates_and_odd_details_still_verify(clinician, patient):
    audit_record(
        actor=clinician,
        action="export",
        summary="x" * 500,
        patient_id=str(patient.pk),
        details={3: {1, 2} and [1, 2], "when": timezone.now(), "d": date(2026, 2, 1)},
    )
    assert verify_chain() == []


# ------------------------------------------------------------------ audit log pages
def test_admin_sees_the_audit_log_filtered_by_patient_user_and_date(
    client, admin_user, clinician, nurse, patient, other_patient
):
    audit_record(actor=clinician, action="view", summary="Opened record", patient=patient)
    audit_record(actor=nurse, action="view", summary="Opened other record", patient=other_patient)
    client.force_login(admin_user)
    page = client.get("/audit/", {"patient": patient.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Opened record" in body and "Opened other record" not in body
    body = client.get("/audit/", {"user": nurse.username}).content.decode()
    assert "Opened other record" in body and "Opened record<" not in body
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = client.get("/audit/", {"date_from": tomorrow.isoformat()}).content.decode()
    assert "No audit entries match." in body


def test_the_audit_log_is_paginated(
    client, admin_user, clinician, patient, django_assert_max_num_queries
):
    for i in range(30):
        audit_record(actor=clinician, action="view", summary=f"Look {i}", patient=patient)
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        body = client.get("/audit/").content.decode()
    assert "Page 1 of 2" in body
    assert "Look 29" in body and "Look 0<" not in body


def test_the_csv_export_is_filtered_audited_and_formula_safe(
    client, admin_user, clinician, patient
):
    audit_record(actor=clinician, action="view", summary='=HYPERLINK("http://x")', patient=patient)
    client.force_login(admin_user)
    response = client.get("/audit/export.csv", {"patient": patient.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text
    assert AuditEvent.objects.filter(
        action="export", actor=admin_user, patient_id_ref=patient.pk
    ).exists()


@pytest.mark.parametrize("role", ["clinician", "nurse", "frontdesk", "patient"])
def test_only_admins_see_the_audit_log(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_a_patient_sees_who_viewed_their_record_and_nothing_else(
    client, patient_user, patient, clinician, other_patient, nurse
):
    audit_record(actor=clinician, action="view", summary="Viewed the diary", patient=patient)
    audit_record(actor=nurse, action="view", summary="Viewed another diary", patient=other_patient)
    client.force_login(patient_user)
    body = client.get("/audit/my-record/").content.decode()
    assert "Cleo Clinician (Clinician)" in body
    assert "Viewed the diary" in body
    assert "another diary" not in body and "Nico" not in body


def test_who_viewed_my_record_is_for_patients(client, clinician):
    client.force_login(clinician)
    assert client.get("/audit/my-record/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_still_works_with_the_triggers(clinician, patient):
    """Transactional tests end with `flush`; the audit triggers must not refuse it (the
    teardown of this test fails if they do), and the guard is back on afterwards."""
    audit_record(actor=clinician, action=AuditAction.VIEW, summary="Viewed", patient=patient)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    audit_record(actor=None, action=AuditAction.SECURITY, summary="after flush")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
