"""Writes of the diary app: diary days, questionnaire responses, side-effect reports.

Each service runs in one transaction and writes its audit entry in it. Clinical rules
(day classification, scoring, urgency) come from `cadence.rules`; nothing here decides a
clinical question itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from cadence.accounts.roles import CLINICAL_ROLES
from cadence.accounts.validation import check_date, refusal, refusals
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.diary.models import (
    DiaryDay,
    DiaryPreference,
    QuestionnaireResponse,
    SideEffectReport,
)
from cadence.diary.signals import urgent_side_effect_reported
from cadence.patients.models import Patient
from cadence.rules.attacks import (
    MAX_ATTACK_DAYS,
    Attack,
    attack_problems,
    day_from_attacks,
    days_touched,
)
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
from cadence.rules.pain_regions import PainRegion
from cadence.rules.questionnaires import (
    Hit6Result,
    Instrument,
    QuestionnaireError,
    score_questionnaire,
)
from cadence.rules.side_effects import Severity, SideEffect, needs_clinic_alert
from cadence.rules.triggers import OTHER_TRIGGERS_MAX_LENGTH, Trigger
from cadence.treatments.models import Procedure

logger = logging.getLogger(__name__)

#: Longest free-text note on a diary day or side-effect report.
NOTES_MAX_LENGTH = 2000
#: Longest medicine name.
MEDICINE_NAME_MAX_LENGTH = 100


#: The code of the diary's refusals (input the diary refuses, naming the field).
INVALID = "invalid"
#: A refusal because of the state of things (the API answers 409).
CONFLICT = "conflict"


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
    aura_without_headache: bool = False
    # Diary, version 1.1: None means not recorded.
    pain_regions: tuple[str, ...] | None = None
    triggers: tuple[str, ...] | None = None
    other_triggers: str = ""
    attacks: tuple[Attack, ...] | None = None
    menstruating: bool | None = None
    #: Version 1.1 fields the writer left out (an older client): the stored values stay
    #: as they are (``VERSION_1_1_FIELDS``; an explicit None or () clears instead).
    unchanged: frozenset[str] = frozenset()

    def facts(self, *, on: date | None = None, now: datetime | None = None) -> DiaryDayFacts:
        """The rules' view of the day; with ``on`` and attacks, the hours and peak come
        from the attacks that touched the day (``rules.attacks.day_from_attacks``)."""
        hours, peak = self.headache_hours, self.peak_severity
        if self.attacks and on is not None and _is_number(hours) and _is_severity(peak):
            hours, peak = day_from_attacks(
                on,
                self.attacks,
                recorded_hours=hours,
                recorded_peak=peak,
                now=now or local_now(),
            )
        return DiaryDayFacts(
            headache_hours=hours,
            peak_severity=peak,  # type: ignore[arg-type]
            unilateral=self.unilateral,
            pulsating=self.pulsating,
            worse_with_activity=self.worse_with_activity,
            nausea=self.nausea,
            vomiting=self.vomiting,
            photophobia=self.photophobia,
            phonophobia=self.phonophobia,
            aura=self.aura,
            acute_medications=self.acute_medications,
            aura_without_headache=self.aura_without_headache,
        )


NO_HEADACHE_ENTRY = DiaryEntry()
#: The fields a diary day gained in version 1.1 of the contract. A writer that omits
#: one leaves its stored value unchanged (an older client does not know them).
VERSION_1_1_FIELDS = ("pain_regions", "triggers", "other_triggers", "attacks", "menstruating")
#: At most this many attacks on one diary day.
MAX_ATTACKS_PER_DAY = 20


def local_now() -> datetime:
    """Now as a local wall-clock date-time (naive), the way attacks are recorded."""
    return timezone.localtime().replace(tzinfo=None, microsecond=0)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 24


def _is_severity(value) -> bool:
    return value in set(PeakSeverity)


def attack_json(attack: Attack) -> dict[str, object]:
    return {
        "started_at": attack.started_at.isoformat(timespec="minutes"),
        "ended_at": None
        if attack.ended_at is None
        else attack.ended_at.isoformat(timespec="minutes"),
        "peak_severity": PeakSeverity(attack.peak_severity).value,
    }


def attacks_from_json(stored) -> tuple[Attack, ...]:
    """The stored attacks of a day as ``rules.attacks.Attack`` values."""
    return tuple(
        Attack(
            started_at=datetime.fromisoformat(item["started_at"]),
            ended_at=None if not item.get("ended_at") else datetime.fromisoformat(item["ended_at"]),
            peak_severity=PeakSeverity(item.get("peak_severity") or "none"),
        )
        for item in stored or ()
    )


_REGION_CODES = frozenset(r.value for r in PainRegion)
_TRIGGER_CODES = frozenset(t.value for t in Trigger)


def _version_1_1_problems(
    *, on: date, entry: DiaryEntry, now: datetime | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    regions = _REGION_CODES
    for index, code in enumerate(entry.pain_regions or ()):
        if code not in regions:
            problems.append((f"pain_regions[{index}]", f"{code!r} is not a pain region code."))
    known = _TRIGGER_CODES
    for index, code in enumerate(entry.triggers or ()):
        if code not in known:
            problems.append(
                (f"triggers[{index}]", f"{code!r} is not a trigger code (see /diary/triggers).")
            )
    if len(entry.other_triggers) > OTHER_TRIGGERS_MAX_LENGTH:
        problems.append(
            (
                "other_triggers",
                f"Other triggers can be at most {OTHER_TRIGGERS_MAX_LENGTH} characters.",
            )
        )
    attacks = entry.attacks or ()
    now = now or local_now()
    if len(attacks) > MAX_ATTACKS_PER_DAY:
        problems.append(("attacks", f"A day can have at most {MAX_ATTACKS_PER_DAY} attacks."))
    for index, attack in enumerate(attacks):
        found = attack_problems(attack, now)
        problems.extend((f"attacks[{index}].{name}", message) for name, message in found)
        if not found and on not in days_touched(attack, now):
            problems.append(
                (
                    f"attacks[{index}].started_at",
                    f"This attack did not touch {on.isoformat()}: record it on the days it lasted.",
                )
            )
    return problems


def diary_entry_problems(*, on: date, entry: DiaryEntry, today: date) -> list[tuple[str, str]]:
    """Everything wrong with a diary day before it is stored (empty when valid)."""
    problems: list[tuple[str, str]] = []
    if on > today:
        problems.append(("date", "A diary day can't be in the future."))
    if entry.pain_regions or entry.triggers or entry.other_triggers or entry.attacks:
        # The hot path (a day without version 1.1 answers) skips these checks.
        now = local_now() if entry.attacks else None
        problems.extend(_version_1_1_problems(on=on, entry=entry, now=now))
        facts = entry.facts(on=on, now=now) if not problems else entry.facts()
    else:
        facts = entry.facts()
    problems.extend(diary_day_problems(facts))
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


def _codes(values: tuple[str, ...] | None) -> list[str] | None:
    """Stored codes: in the order given, each once; None stays None (not recorded)."""
    return None if values is None else list(dict.fromkeys(values))


def diary_day_fields(
    entry: DiaryEntry, *, on: date | None = None, now: datetime | None = None
) -> dict[str, object]:
    """The stored columns of a day: the raw answers plus the derived classification.
    With attacks (and ``on``), the hours and peak are those of ``rules.attacks``."""
    facts = entry.facts(on=on, now=now)
    classification = classify_day(facts)
    overuse = overuse_day_flags(m.drug_class for m in entry.acute_medications)
    return {
        "headache_hours": float(facts.headache_hours),
        "peak_severity": str(PeakSeverity(facts.peak_severity).value),
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
        "aura_without_headache": bool(entry.aura_without_headache),
        "pain_regions": _codes(entry.pain_regions),
        "triggers": _codes(entry.triggers),
        "other_triggers": entry.other_triggers.strip(),
        "attacks": None
        if entry.attacks is None
        else [attack_json(a) for a in sorted(entry.attacks, key=lambda a: a.started_at)],
        "menstruating": entry.menstruating,
        **{name: getattr(classification, name) for name in CLASSIFICATION_COLUMNS},
        **{name: getattr(overuse, name) for name in OVERUSE_COLUMNS},
    }


@cache
def _day_sql(vendor: str, columns: tuple[str, ...], kept: tuple[str, ...] = ()) -> dict[str, str]:
    """The prebuilt statements of the write path (compiling the ORM queries cost more
    CPU than running them): replace the patient's day returning its id and the ``kept``
    columns (PostgreSQL and SQLite >= 3.35), or, where UPDATE can't return,
    lock-and-read them then update."""
    qn = connection.ops.quote_name
    table = qn(DiaryDay._meta.db_table)
    assignments = ", ".join(f"{qn(column)} = %s" for column in columns)
    the_day = f"{qn('patient_id')} = %s AND {qn('date')} = %s"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    read = ", ".join(qn(column) for column in ("id", *kept))
    return {
        "replace_returning": f"UPDATE {table} SET {assignments} WHERE {the_day} RETURNING {read}",
        "locked_id": f"SELECT {read} FROM {table} WHERE {the_day}{lock}",
        "replace_by_id": f"UPDATE {table} SET {assignments} WHERE {qn('id')} = %s",
    }


#: The field types whose `get_db_prep_save` gives back a value of this Python type
#: unchanged on every backend (text, floats, booleans): the write binds such values as
#: they are, and prepares every other value (JSON, date-times, integers, which psycopg 3
#: wraps, the user, a value of an unexpected type) by its model field.
_PLAIN_TYPES = (
    (models.CharField, str),
    (models.TextField, str),
    (models.FloatField, float),
    (models.BooleanField, bool),
)


def _plain_type(field) -> type | None:
    for field_class, python_type in _PLAIN_TYPES:
        if isinstance(field, field_class) and not field.is_relation:
            return python_type
    return None


@cache
def _day_fields(names: tuple[str, ...]) -> tuple[tuple, tuple]:
    """The DiaryDay fields of ``names`` and, for each, the Python type its values are
    bound as they are (None: always prepared by the field)."""
    fields = tuple(DiaryDay._meta.get_field(name) for name in names)
    return fields, tuple(_plain_type(field) for field in fields)


def _update_returns_rows() -> bool:
    """UPDATE ... RETURNING: PostgreSQL, and SQLite from 3.35 (as INSERT ... RETURNING)."""
    return connection.features.can_return_columns_from_insert


def _day_replace(
    *, patient_pk: int, on: date, values: dict[str, object], kept: tuple[str, ...] = ()
) -> tuple[int, dict[str, object]] | None:
    """Replace the stored columns in ``values`` of the patient's day (at most one row:
    the one-row-per-day constraint); the day's id with the stored values of the
    ``kept`` fields (those left as they are), or None when there is no such day yet.
    The row stays locked until the transaction ends. Each value is prepared by its model
    field exactly as QuerySet.update would (JSON, datetimes, foreign keys), except text,
    floats and booleans, which their fields give back unchanged (`_PLAIN_TYPES`);
    `values` holds updated_at (no auto_now runs here)."""
    fields, plain_types = _day_fields(tuple(values))
    params = [
        value
        if plain_type is not None and (type(value) is plain_type or (value is None and field.null))
        else field.get_db_prep_save(
            getattr(value, "pk", value) if field.is_relation else value, connection
        )
        for field, plain_type, value in zip(fields, plain_types, values.values(), strict=True)
    ]
    kept_fields = [DiaryDay._meta.get_field(name) for name in kept]
    sql = _day_sql(
        connection.vendor,
        tuple(field.column for field in fields),
        tuple(field.column for field in kept_fields),
    )
    the_day = [patient_pk, connection.ops.adapt_datefield_value(on)]
    with connection.cursor() as cursor:
        if _update_returns_rows():
            cursor.execute(sql["replace_returning"], [*params, *the_day])
            row = cursor.fetchone()
        else:
            cursor.execute(sql["locked_id"], the_day)
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(sql["replace_by_id"], [*params, row[0]])
    if row is None:
        return None
    return row[0], {
        field.name: _from_db(field, value)
        for field, value in zip(kept_fields, row[1:], strict=True)
    }


def _from_db(field, value):
    """A value read by raw SQL as the model field gives it (JSON decoded)."""
    from_db = getattr(field, "from_db_value", None)
    return value if from_db is None else from_db(value, None, connection)


def _day_replace_keeping(
    *, patient_pk: int, on: date, entry: DiaryEntry, values: dict[str, object]
) -> tuple[int, dict[str, object]] | None:
    """``_day_replace`` for an entry that leaves some version 1.1 fields unchanged: the
    kept values are read back by the same UPDATE; when the day's stored attacks were
    kept, the day is classified again with them (a second UPDATE, only for such days)."""
    kept = tuple(name for name in VERSION_1_1_FIELDS if name in entry.unchanged)
    found = _day_replace(patient_pk=patient_pk, on=on, values=values, kept=kept)
    if found is None or not found[1].get("attacks"):
        return found
    day_pk, stored = found
    with_attacks = replace(entry, attacks=attacks_from_json(stored["attacks"]))
    values.update(
        {
            name: value
            for name, value in diary_day_fields(with_attacks, on=on).items()
            if name not in kept
        }
    )
    _day_replace(patient_pk=patient_pk, on=on, values=values)
    return day_pk, stored


#: DiaryDay's fields in the order Model.__init__ takes them positionally.
_DAY_FIELDS = tuple(DiaryDay._meta.concrete_fields)
_DAY_PATIENT = DiaryDay._meta.get_field("patient")
_DAY_ENTERED_BY = DiaryDay._meta.get_field("entered_by")


def _replaced_day(day_pk: int, *, patient, on: date, values: dict[str, object]) -> DiaryDay:
    """The day just replaced, as an instance holding ``values`` (by field name; a field
    not among them takes its default, as with keyword arguments), not read back. Built
    with positional arguments: keywords cost a lookup per field."""
    known = {**values, "id": day_pk, "patient": patient.pk, "date": on}
    entered_by = known.get("entered_by")
    if entered_by is not None:
        known["entered_by"] = entered_by.pk
    day = DiaryDay(
        *(
            known[field.name] if field.name in known else field.get_default()
            for field in _DAY_FIELDS
        )
    )
    _DAY_PATIENT.set_cached_value(day, patient)
    if entered_by is not None:
        _DAY_ENTERED_BY.set_cached_value(day, entered_by)
    return day


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
    check_date("date", on, born_on=patient.date_of_birth)  # issue 21: before birth, 0001
    problems = diary_entry_problems(on=on, entry=entry, today=timezone.localdate())
    if problems:
        raise _refused(problems)
    values = {
        name: value
        for name, value in diary_day_fields(entry, on=on).items()
        if name not in entry.unchanged
    }
    values["entered_by"] = actor if getattr(actor, "is_authenticated", False) else None
    values["entered_on_behalf"] = getattr(actor, "role", None) in CLINICAL_ROLES
    values["updated_at"] = timezone.now()
    with transaction.atomic():
        # The common case, a day recorded before: one UPDATE replaces it (no read
        # first, no model instance built, no read-back).
        found = _day_replace_keeping(patient_pk=patient.pk, on=on, entry=entry, values=values)
        created = found is None
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
                found = _day_replace_keeping(
                    patient_pk=patient.pk, on=on, entry=entry, values=values
                )
                if found is None:  # it was removed again meanwhile
                    raise
        if found is not None:
            day_pk, kept_values = found
            day = _replaced_day(day_pk, patient=patient, on=on, values={**values, **kept_values})
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


def questionnaire_answered_on(*, patient, instrument: str, completed_on: date):
    """The patient's response of ``instrument`` already recorded for ``completed_on``
    (the latest, if several were stored before same-day replacement), or None."""
    return (
        QuestionnaireResponse.objects.filter(
            patient=patient, instrument=instrument, completed_on=completed_on
        )
        .order_by("-id")
        .first()
    )


def same_day_question(response: QuestionnaireResponse, *, today: date | None = None) -> str:
    """The question asked before a same-day answer replaces ``response`` (issue 19)."""
    today = today or timezone.localdate()
    when = (
        "today"
        if response.completed_on == today
        else f"on {response.completed_on.day} {response.completed_on:%B %Y}"
    )
    return (
        f"You already answered {response.instrument} {when} (score {response.score}). Replace it?"
    )


def questionnaire_record(
    *,
    patient,
    instrument: str,
    completed_on: date,
    answers: Sequence[object],
    actor,
    unscored_answers: dict | None = None,
    replace_same_day: bool = False,
    request=None,
) -> QuestionnaireResponse:
    """Score and store a MIDAS or HIT-6 response. Raises ``ValidationError`` naming the
    field (``instrument``, ``completed_on``, ``answers[i]``) when the input is invalid.

    One response per instrument and day (issue 19): when one is already recorded for
    ``completed_on`` it is refused (``CONFLICT``, naming ``replace``) unless
    ``replace_same_day``, which updates that response in place (audited as a change)."""
    check_date("completed_on", completed_on, born_on=patient.date_of_birth)
    if completed_on > timezone.localdate():
        raise refusal(
            "completed_on", "A questionnaire can't be completed in the future.", code=INVALID
        )
    try:
        result = score_questionnaire(instrument, list(answers))
    except QuestionnaireError as error:
        raise refusal(error.field, error.message, code=INVALID) from None
    is_hit6 = isinstance(result, Hit6Result)
    instrument = Instrument(instrument).value
    values = {
        "answers": list(answers),
        "unscored_answers": unscored_answers or {},
        "score": result.score,
        "grade": "" if is_hit6 else result.grade,
        "band": result.band if is_hit6 else "",
        "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    with transaction.atomic():
        # The patient's row is the lock: two same-day answers sent at once are not both
        # stored as new responses.
        list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))
        earlier = questionnaire_answered_on(
            patient=patient, instrument=instrument, completed_on=completed_on
        )
        if earlier is not None and not replace_same_day:
            raise refusal(
                "replace",
                f"{instrument} was already answered for {completed_on.isoformat()} "
                f"(score {earlier.score}); send it again with replace set to true to "
                "replace that answer.",
                code=CONFLICT,
            )
        if earlier is not None:
            old_score = earlier.score
            for name, value in values.items():
                setattr(earlier, name, value)
            earlier.save(update_fields=list(values))
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=(
                    f"{instrument} questionnaire of {completed_on.isoformat()} replaced "
                    f"(score {old_score} to {earlier.score})"
                ),
                patient=patient,
                obj=earlier,
                request=request,
            )
            return earlier
        response = QuestionnaireResponse.objects.create(
            patient=patient, instrument=instrument, completed_on=completed_on, **values
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
    before the onset date. Urgent reports (``rules.side_effects.needs_clinic_alert``: an
    urgent effect, or a common one reported severe) are flagged ``urgent``, stay on the
    clinic's alerts until acknowledged, and, once stored, send
    ``urgent_side_effect_reported`` (the on-call e-mail and text go out from it)."""
    check_date("onset_on", onset_on, born_on=patient.date_of_birth)
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
        if report.urgent:
            transaction.on_commit(lambda: _announce_urgent(report.pk))
    return report


def _announce_urgent(report_id: int) -> None:
    """Tell the apps above (on-call alerts) about a stored urgent report. A receiver that
    fails must not undo the patient's report: it is logged, and the alert sweep sends
    what was missed."""
    for receiver, result in urgent_side_effect_reported.send_robust(
        sender=SideEffectReport, report_id=report_id
    ):
        if isinstance(result, Exception):
            logger.error("Urgent side-effect report %s: %s failed: %r", report_id, receiver, result)


def side_effect_acknowledge(
    *, report: SideEffectReport, actor, note: str = "", require_note: bool = False, request=None
) -> SideEffectReport:
    """Mark an urgent report as seen by a clinician or nurse (it leaves the alerts), with
    what was done for the patient (``note``, kept on the report and in the audit entry;
    the staff alert page asks for it: ``require_note``). Acknowledging twice keeps the
    first acknowledgement."""
    note = (note or "").strip()
    if require_note and not note:
        raise refusal(
            "note",
            "Write what was done for the patient (for example: called, advised to go to the "
            "emergency department).",
            code=INVALID,
        )
    if len(note) > NOTES_MAX_LENGTH:
        raise refusal(
            "note", f"The note can be at most {NOTES_MAX_LENGTH} characters.", code=INVALID
        )
    with transaction.atomic():
        locked = SideEffectReport.objects.select_for_update().get(pk=report.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_by = actor
            locked.acknowledged_at = timezone.now()
            locked.acknowledgement_note = note
            locked.save(
                update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"]
            )
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=f"Side-effect alert acknowledged: {locked.label}",
                patient_id=locked.patient_id,
                obj=locked,
                request=request,
                details={"note": note} if note else None,
            )
    return locked


def side_effect_alert_escalate(*, report_id: int, now) -> bool:
    """Mark an urgent report escalated: still unacknowledged, so the on-call alert is sent
    again (once). Returns False when it was acknowledged or escalated meanwhile (nothing
    to do). Called by the alert sweep (no person acts: the audit entry has no actor)."""
    with transaction.atomic():
        marked = SideEffectReport.objects.filter(
            pk=report_id, urgent=True, acknowledged_at__isnull=True, escalated_at__isnull=True
        ).update(escalated_at=now)
        if not marked:
            return False
        report = SideEffectReport.objects.get(pk=report_id)
        audit_record(
            actor=None,
            action=AuditAction.CHANGE,
            summary=f"Side-effect alert escalated: unacknowledged since {report.created_at:%H:%M}",
            patient_id=report.patient_id,
            obj=report,
        )
    return True


# ---------------------------------------------------------------- attacks (quick-log)
def diary_entry_of(day: DiaryDay | None) -> DiaryEntry:
    """A stored day as the entry that would store it again (an empty day for None)."""
    if day is None:
        return DiaryEntry()
    return DiaryEntry(
        headache_hours=day.headache_hours,
        peak_severity=day.peak_severity,
        unilateral=day.unilateral,
        pulsating=day.pulsating,
        worse_with_activity=day.worse_with_activity,
        nausea=day.nausea,
        vomiting=day.vomiting,
        photophobia=day.photophobia,
        phonophobia=day.phonophobia,
        aura=day.aura,
        missed_activity=day.missed_activity,
        acute_medications=tuple(
            AcuteMedicationTaken(
                name=m.get("name", ""),
                drug_class=m.get("drug_class", "other"),
                relieved=bool(m.get("relieved")),
            )
            for m in day.acute_medications or ()
        ),
        notes=day.notes,
        aura_without_headache=day.aura_without_headache,
        pain_regions=None if day.pain_regions is None else tuple(day.pain_regions),
        triggers=None if day.triggers is None else tuple(day.triggers),
        other_triggers=day.other_triggers,
        attacks=None if day.attacks is None else attacks_from_json(day.attacks),
        menstruating=day.menstruating,
    )


def open_attack(*, patient, now: datetime | None = None) -> Attack | None:
    """The patient's attack still going on (started, not yet ended), if any: the latest
    one started within the longest attack Cadence accepts."""
    now = now or local_now()
    since = now.date() - timedelta(days=MAX_ATTACK_DAYS)
    latest: Attack | None = None
    for stored in (
        DiaryDay.objects.filter(patient=patient, date__gte=since, attacks__isnull=False)
        .order_by("date")
        .values_list("attacks", flat=True)
    ):
        for attack in attacks_from_json(stored):
            if attack.ended_at is None and (
                latest is None or attack.started_at > latest.started_at
            ):
                latest = attack
    return latest


def recorded_attack(*, patient, started_at: datetime) -> Attack | None:
    """The attack stored with this start (on the day it started), if any."""
    started_at = started_at.replace(second=0, microsecond=0)
    stored = (
        DiaryDay.objects.filter(patient=patient, date=started_at.date())
        .values_list("attacks", flat=True)
        .first()
    )
    for attack in attacks_from_json(stored):
        if attack.started_at == started_at:
            return attack
    return None


def attack_start(*, patient, actor, at: datetime | None = None, request=None) -> Attack:
    """ "Headache started": record an attack going on from ``at`` (default now, local
    time) on its day. Refused while another attack is still going on. Sending the same
    start again (a phone resending what it queued offline) stores nothing more: the
    attack already recorded with that start is answered."""
    now = local_now()
    at = (at or now).replace(second=0, microsecond=0)
    with transaction.atomic():
        going = open_attack(patient=patient, now=now)
        if going is not None and going.started_at == at:
            return going
        if going is None:
            already = recorded_attack(patient=patient, started_at=at)
            if already is not None:  # started and ended since: the resend changes nothing
                return already
        if going is not None:
            raise refusal(
                "started_at",
                f"An attack is already going on since {going.started_at:%A %-d %B, %H:%M}; "
                "end it first.",
                code=CONFLICT,
            )
        attack = Attack(started_at=at)
        problems = attack_problems(attack, now)
        if problems:
            raise _refused(problems)
        on = at.date()
        entry = diary_entry_of(DiaryDay.objects.filter(patient=patient, date=on).first())
        entry = replace(entry, attacks=(*(entry.attacks or ()), attack))
        diary_day_record(patient=patient, on=on, entry=entry, actor=actor, request=request)
    return attack


def attack_end(
    *,
    patient,
    actor,
    ended_at: datetime | None = None,
    peak_severity: str = PeakSeverity.none.value,
    medicines: Sequence[AcuteMedicationTaken] = (),
    started_at: datetime | None = None,
    request=None,
) -> Attack:
    """ "Headache ended": complete the attack going on, with its worst pain and the
    medicines taken for it. The attack is kept on every day it touched, and each of
    those days is classified again from its attacks; the medicines count on the day the
    attack started (for overuse, one acute-medicine day).

    ``started_at`` names the attack being ended (a phone that queued the end offline
    sends it): an attack with that start that has already ended is answered as it is,
    so a resent end stores nothing twice."""
    now = local_now()
    ended_at = (ended_at or now).replace(second=0, microsecond=0)
    try:
        peak = PeakSeverity(peak_severity)
    except ValueError:
        raise refusal(
            "peak_severity", "Choose the worst pain: none, mild, moderate or severe.", code=INVALID
        ) from None
    with transaction.atomic():
        going = open_attack(patient=patient, now=now)
        if started_at is not None:
            started_at = started_at.replace(second=0, microsecond=0)
            if going is None or going.started_at != started_at:
                already = recorded_attack(patient=patient, started_at=started_at)
                if already is not None and already.ended_at is not None:
                    return already
                raise refusal(
                    "started_at",
                    f"No attack started at {started_at:%A %-d %B, %H:%M} is going on to end.",
                    code=INVALID,
                )
        if going is None:
            raise refusal("ended_at", "No attack is going on to end.", code=INVALID)
        ended = Attack(started_at=going.started_at, ended_at=ended_at, peak_severity=peak)
        problems = attack_problems(ended, now)
        if problems:
            raise _refused(problems)
        touched = days_touched(ended, now)
        stored = {
            day.date: day
            for day in DiaryDay.objects.select_for_update().filter(
                patient=patient, date__in=touched
            )
        }
        for on in touched:
            entry = diary_entry_of(stored.get(on))
            others = tuple(a for a in entry.attacks or () if a.started_at != ended.started_at)
            changes: dict[str, object] = {"attacks": (*others, ended)}
            if on == ended.started_at.date() and medicines:
                changes["acute_medications"] = (*entry.acute_medications, *medicines)
            diary_day_record(
                patient=patient,
                on=on,
                entry=replace(entry, **changes),
                actor=actor,
                request=request,
            )
    return ended


def diary_preference_set(*, patient, tracks_cycle: bool, actor, request=None) -> DiaryPreference:
    """The patient's choice to record period days (or to stop)."""
    with transaction.atomic():
        preference, _created = DiaryPreference.objects.update_or_create(
            patient=patient, defaults={"tracks_cycle": bool(tracks_cycle)}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary="Diary: period days "
            + ("recorded from now on" if tracks_cycle else "no longer recorded"),
            patient=patient,
            obj=preference,
            request=request,
        )
    return preference
