"""The lifecycle of a clinical note, shared by the procedure note (this app) and the
nerve-block note (surgery): a draft is signed (locked from then on: changes become
amendments) or voided with a reason; a signed note is amended, never voided.

Each step locks the note's row, checks its status (with the same whole-sentence
refusals for every kind of note), saves only the fields it changes and writes its audit
entry, all in one transaction. What differs between notes (the snapshot kept at signing,
the amendable fields, the audit wording) is passed in by the app's service.

``load_patient`` names the audit's patient by the loaded patient (one more query, as the
procedure note always did) rather than by its id."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cadence.accounts.validation import refusal
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.rules.gate import clean_reason

REFUSED = "refused"
DRAFT = "draft"
SIGNED = "signed"
VOIDED = "voided"


def _patient(note, load_patient: bool) -> dict:
    return {"patient": note.patient} if load_patient else {"patient_id": note.patient_id}


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


@transaction.atomic
def sign_note(
    model,
    pk,
    *,
    signed_by,
    snapshot: Callable,
    summary: Callable,
    request=None,
    load_patient: bool = False,
):
    """Sign a draft note: its ``status``, ``signed_at``, ``signed_by`` and ``signed_note``
    (``snapshot(note)``, the note as signed) are saved; ``summary(note)`` is the audit's."""
    note = _locked(model, pk)
    if note.status == SIGNED:
        raise refusal(
            "status", "This note is already signed; change it with an amendment.", code=REFUSED
        )
    if note.status == VOIDED:
        raise refusal("status", "This note was voided: it can't be signed.", code=REFUSED)
    note.status = SIGNED
    note.signed_at = timezone.now()
    note.signed_by = signed_by
    note.signed_note = snapshot(note)
    note.save(update_fields=["status", "signed_at", "signed_by", "signed_note"])
    audit_record(
        actor=signed_by,
        action=AuditAction.CHANGE,
        **_patient(note, load_patient),
        obj=note,
        request=request,
        summary=summary(note),
    )
    return note


@transaction.atomic
def void_draft(
    model,
    pk,
    *,
    voided_by,
    reason: str,
    summary: str,
    request=None,
    record_voided_by: bool = False,
    details: Callable[[str], dict] | None = None,
    load_patient: bool = False,
):
    """Void a draft note with a reason: kept, shown as voided, counted nowhere. The audit
    reads ``"<summary>: <reason>"``; ``details(reason)``, when given, is its details."""
    note = _locked(model, pk)
    if note.status != DRAFT:
        raise refusal(
            "status",
            "Only a draft note can be voided; a signed note is changed with an amendment.",
            code=REFUSED,
        )
    why = clean_reason(reason)
    if why is None:
        raise refusal("reason", "Give the reason for voiding the draft note.", code=REFUSED)
    note.status = VOIDED
    note.voided_at = timezone.now()
    fields = ["status", "voided_at"]
    if record_voided_by:
        note.voided_by = voided_by
        fields.append("voided_by")
    note.void_reason = why
    note.save(update_fields=[*fields, "void_reason"])
    audit_record(
        actor=voided_by,
        action=AuditAction.CHANGE,
        **_patient(note, load_patient),
        obj=note,
        request=request,
        summary=f"{summary}: {why[:200]}",
        **({"details": details(why)} if details is not None else {}),
    )
    return note


@transaction.atomic
def amend_signed(
    model,
    pk,
    *,
    amended_by,
    reason: str,
    apply_changes: Callable,
    amendment_model,
    note_field: str,
    summary: str,
    request=None,
    load_patient: bool = False,
):
    """Amend a signed note; the signed original and earlier amendments never change.

    ``apply_changes(note)`` checks the new values (refusing as its app does), sets them
    on the note and returns ``(changes, update_fields)``, ``changes`` being each field's
    before/after. The amendment (``amendment_model``, pointing at the note by
    ``note_field``) records who, why and the changes; the audit reads
    ``"<summary> (<fields>)"``."""
    note = _locked(model, pk)
    if note.status != SIGNED:
        raise refusal("status", "Only a signed note is amended; sign it first.", code=REFUSED)
    reason = (reason or "").strip()
    if not reason:
        raise refusal("reason", "Give the reason for the amendment.", code=REFUSED)
    changes, update_fields = apply_changes(note)
    if not changes:
        raise refusal("reason", "Nothing was changed: the amendment would be empty.", code=REFUSED)
    note.save(update_fields=update_fields)
    amendment = amendment_model.objects.create(
        **{note_field: note}, amended_by=amended_by, reason=reason, changes=changes
    )
    audit_record(
        actor=amended_by,
        action=AuditAction.CHANGE,
        **_patient(note, load_patient),
        obj=note,
        request=request,
        summary=f"{summary} ({', '.join(changes)})",
        details={"reason": reason[:200], "fields": sorted(changes)},
    )
    return amendment
