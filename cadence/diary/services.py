"""Writes of the diary app: diary days, questionnaire responses, side-effect reports.

Each service runs in one transaction and writes its audit entry in it. Clinical rules
(day classification, scoring, urgency) come from `cadence.rules`; nothing here decides a
clinical question itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cadence.accounts.roles import CLINICAL_ROLES
from cadence.accounts.validation import refusal, refusals
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.rules.diary import (
    CLASSIFICATION_COLUMNS,
    OVERUSE_COLUMNS,
    AcuteMedicationTaken,
    DiaryDayFacts,
    PeakSeverity,
    classify_day,
    diary_day_problems,
)
from cadence.rules.overuse import overuse_day_flags
from cadence.rules.questionnaires import (
    Hit6Result,
    Instrument,
    QuestionnaireError,
    score_questionnaire,
)
from cadence.rules.side_effects import Severity, SideEffect, needs_clinic_alert
from cadence.treatments.models import Procedure

#: Longest free-text note on a diary day or side-effect report.
NOTES_MAX_LENGTH = 2000
#: Longest medicine name.
MEDICINE_NAME_MAX_LENGTH = 100


#: The code of the diary's refusals (input the diary refuses, naming the field).
INVALID = "invalid"


def _refused(problems: Sequence[tuple[str, str]]) -> ValidationError:
    """The (field, message) problems as one refusal."""
    return refusals((field, message, INVALID) for field, message in problems)


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """What a patient records for one day (the API's "A diary day")."""

    headache_hours: float = 0
    peak_severity: str = PeakSeverity.none.value
    unilateral: bool = False
    pulsating: bool = False
    worse_with_activity: bool = False
    nausea: bool = False
    vomiting: bool = False
    photophobia: bool = False
    phonophobia: bool = False
    aura: bool = False
    missed_activity: bool = False
    acute_medications: tuple[AcuteMedicationTaken, ...] = field(default_factory=tuple)
    notes: str = ""

    def facts(self) -> DiaryDayFacts:
        return DiaryDayFacts(
            headache_hours=self.headache_hours,
            peak_severity=self.peak_severity,  # type: ignore[arg-type]
            unilateral=self.unilateral,
            pulsating=self.pulsating,
            worse_with_activity=self.worse_with_activity,
            nausea=self.nausea,
            vomiting=self.vomiting,
            photophobia=self.photophobia,
            phonophobia=self.phonophobia,
            aura=self.aura,
            acute_medications=self.acute_medications,
        )


NO_HEADACHE_ENTRY = DiaryEntry()


def diary_entry_problems(*, on: date, entry: DiaryEntry, today: date) -> list[tuple[str, str]]:
    """Everything wrong with a diary day before it is stored (empty when valid)."""
    problems: list[tuple[str, str]] = []
    if on > today:
        problems.append(("date", "A diary day can't be in the future."))
    problems.extend(diary_day_problems(entry.facts()))
    if len(entry.notes) > NOTES_MAX_LENGTH:
        problems.append(("notes", f"Notes can be at most {NOTES_MAX_LENGTH} characters."))
    for index, medicine in enumerate(entry.acute_medications):
        if isinstance(medicine.name, str) and len(medicine.name) > MEDICINE_NAME_MAX_LENGTH:
            problems.append(
                (
                    f"acute_medications[{index}].name",
                    f"A medicine name can be at most {MEDICINE_NAME_MAX_LENGTH} characters.",
                )
            )
    return problems


def diary_day_fields(entry: DiaryEntry) -> dict[str, object]:
    """The stored columns of a day: the raw answers plus the derived classification."""
    facts = entry.facts()
    classification = classify_day(facts)
    overuse = overuse_day_flags(m.drug_class for m in entry.acute_medications)
    return {
        "headache_hours": float(entry.headache_hours),
        "peak_severity": str(PeakSeverity(entry.peak_severity).value),
        "unilateral": bool(entry.unilateral),
        "pulsating": bool(entry.pulsating),
        "worse_with_activity": bool(entry.worse_with_activity),
        "nausea": bool(entry.nausea),
        "vomiting": bool(entry.vomiting),
        "photophobia": bool(entry.photophobia),
        "phonophobia": bool(entry.phonophobia),
        "aura": bool(entry.aura),
        "missed_activity": bool(entry.missed_activity),
        "acute_medications": [
            {"name": m.name.strip(), "drug_class": str(m.drug_class), "relieved": bool(m.relieved)}
            for m in entry.acute_medications
        ],
        "notes": entry.notes.strip(),
        **{name: getattr(classification, name) for name in CLASSIFICATION_COLUMNS},
        **{name: getattr(overuse, name) for name in OVERUSE_COLUMNS},
    }


@cache
def _day_sql(vendor: str, columns: tuple[str, ...]) -> dict[str, str]:
    """The prebuilt statements of the write path (compiling the ORM queries cost more
    CPU than running them): replace the patient's day returning its id (PostgreSQL and
    SQLite >= 3.35), or, where UPDATE can't return, lock-and-read the id then update."""
    qn = connection.ops.quote_name
    table = qn(DiaryDay._meta.db_table)
    assignments = ", ".join(f"{qn(column)} = %s" for column in columns)
    the_day = f"{qn('patient_id')} = %s AND {qn('date')} = %s"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return {
        "replace_returning": f"UPDATE {table} SET {assignments} WHERE {the_day} RETURNING {qn('id')}",
        "locked_id": f"SELECT {qn('id')} FROM {table} WHERE {the_day}{lock}",
        "replace_by_id": f"UPDATE {table} SET {assignments} WHERE {qn('id')} = %s",
    }


def _update_returns_rows() -> bool:
    """UPDATE ... RETURNING: PostgreSQL, and SQLite from 3.35 (as INSERT ... RETURNING)."""
    return connection.features.can_return_columns_from_insert


def _day_replace(*, patient_pk: int, on: date, values: dict[str, object]) -> int | None:
    """Replace every stored column of the patient's day (at most one row: the
    one-row-per-day constraint); the day's id, or None when there is no such day yet.
    The row stays locked until the transaction ends. Each value is prepared by its model
    field exactly as QuerySet.update would (JSON, datetimes, foreign keys); `values`
    holds updated_at (no auto_now runs here)."""
    fields = [DiaryDay._meta.get_field(name) for name in values]
    params = [
        field.get_db_prep_save(
            getattr(value, "pk", value) if field.is_relation else value, connection
        )
        for field, value in zip(fields, values.values(), strict=True)
    ]
    sql = _day_sql(connection.vendor, tuple(field.column for field in fields))
    the_day = [patient_pk, connection.ops.adapt_datefield_value(on)]
    with connection.cursor() as cursor:
        if _update_returns_rows():
            cursor.execute(sql["replace_returning"], [*params, *the_day])
            row = cursor.fetchone()
            return row[0] if row else None
        cursor.execute(sql["locked_id"], the_day)
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(sql["replace_by_id"], [*params, row[0]])
        return row[0]


def diary_day_record(
    *, patient, on: date, entry: DiaryEntry, actor, request=None
) -> tuple[DiaryDay, bool]:
    """Store one diary day (create it, or replace the day already recorded).

    Returns ``(day, created)``; ``day`` carries the values just stored (it is not read
    back). Idempotent: repeating the same request stores the same single row. Concurrent
    writers of the same day leave one row: an existing row is replaced by an UPDATE
    (which locks it), and an insert that loses the race to the one-row-per-day
    constraint turns into a replacement. Raises ``ValidationError``
    (nothing stored) for a future date or invalid answers.
    """
    problems = diary_entry_problems(on=on, entry=entry, today=timezone.localdate())
    if problems:
        raise _refused(problems)
    values = diary_day_fields(entry)
    values["entered_by"] = actor if getattr(actor, "is_authenticated", False) else None
    values["entered_on_behalf"] = getattr(actor, "role", None) in CLINICAL_ROLES
    values["updated_at"] = timezone.now()
    with transaction.atomic():
        # The common case, a day recorded before: one UPDATE replaces it (no read
        # first, no model instance built, no read-back).
        day_pk = _day_replace(patient_pk=patient.pk, on=on, values=values)
        created = day_pk is None
        if created:
            try:
                with transaction.atomic():
                    day = DiaryDay(
                        patient=patient, date=on, created_at=values["updated_at"], **values
                    )
                    day.save(force_insert=True)
            except IntegrityError:
                # Another request created the day a moment ago (its insert committed
                # first; the constraint made ours wait for it): replace it instead.
                created = False
                day_pk = _day_replace(patient_pk=patient.pk, on=on, values=values)
                if day_pk is None:  # it was removed again meanwhile
                    raise
        if not created:
            day = DiaryDay(pk=day_pk, patient=patient, date=on, **values)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.CHANGE,
            summary=f"Diary day {on.isoformat()} {'recorded' if created else 'replaced'}"
            + (" on the patient's behalf" if values["entered_on_behalf"] else ""),
            patient=patient,
            obj=day,
            request=request,
        )
    return day, created


def questionnaire_record(
    *,
    patient,
    instrument: str,
    completed_on: date,
    answers: Sequence[object],
    actor,
    unscored_answers: dict | None = None,
    request=None,
) -> QuestionnaireResponse:
    """Score and store a MIDAS or HIT-6 response. Raises ``ValidationError`` naming the
    field (``instrument``, ``completed_on``, ``answers[i]``) when the input is invalid."""
    if completed_on > timezone.localdate():
        raise refusal(
            "completed_on", "A questionnaire can't be completed in the future.", code=INVALID
        )
    try:
        result = score_questionnaire(instrument, list(answers))
    except QuestionnaireError as error:
        raise refusal(error.field, error.message, code=INVALID) from None
    is_hit6 = isinstance(result, Hit6Result)
    with transaction.atomic():
        response = QuestionnaireResponse.objects.create(
            patient=patient,
            instrument=Instrument(instrument).value,
            completed_on=completed_on,
            answers=list(answers),
            unscored_answers=unscored_answers or {},
            score=result.score,
            grade="" if is_hit6 else result.grade,
            band=result.band if is_hit6 else "",
            entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"{response.instrument} questionnaire of {completed_on.isoformat()} recorded",
            patient=patient,
            obj=response,
            request=request,
        )
    return response


def side_effect_report(
    *,
    patient,
    effect: str,
    severity: str,
    onset_on: date,
    actor,
    notes: str = "",
    request=None,
) -> SideEffectReport:
    """Store a side-effect report linked to the patient's most recent procedure on or
    before the onset date. Urgent effects (``rules.side_effects.needs_clinic_alert``) are
    flagged ``urgent`` and stay on the clinic's alerts until acknowledged."""
    problems: list[tuple[str, str]] = []
    try:
        effect = SideEffect(effect).value
    except ValueError:
        problems.append(("effect", "Choose a side effect from the list."))
    try:
        severity = Severity(severity).value
    except ValueError:
        problems.append(("severity", "Severity must be mild, moderate or severe."))
    if onset_on > timezone.localdate():
        problems.append(("onset_on", "The onset date can't be in the future."))
    if len(notes) > NOTES_MAX_LENGTH:
        problems.append(("notes", f"Notes can be at most {NOTES_MAX_LENGTH} characters."))
    if problems:
        raise _refused(problems)
    with transaction.atomic():
        procedure = (
            Procedure.objects.filter(patient=patient, performed_on__lte=onset_on)
            .order_by("-performed_on", "-id")
            .first()
        )
        report = SideEffectReport.objects.create(
            patient=patient,
            procedure=procedure,
            effect=effect,
            severity=severity,
            onset_on=onset_on,
            notes=notes.strip(),
            urgent=needs_clinic_alert(effect, severity),
            reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Side effect reported: {report.label}"
            + (" (URGENT)" if report.urgent else ""),
            patient=patient,
            obj=report,
            request=request,
        )
    return report


def side_effect_acknowledge(*, report: SideEffectReport, actor, request=None) -> SideEffectReport:
    """Mark an urgent report as seen by a clinician or nurse (it leaves the alerts).
    Acknowledging twice keeps the first acknowledgement."""
    with transaction.atomic():
        locked = SideEffectReport.objects.select_for_update().get(pk=report.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_by = actor
            locked.acknowledged_at = timezone.now()
            locked.save(update_fields=["acknowledged_by", "acknowledged_at"])
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=f"Side-effect alert acknowledged: {locked.label}",
                patient_id=locked.patient_id,
                obj=locked,
                request=request,
            )
    return locked
