"""A large synthetic clinic for the performance benchmarks: `seed_demo --patients N --days D`.

The story clinic of `cadence.demo.clinic` is built row by row through its seed steps
and suits 60 patients. This module loads thousands of patients with years of daily
diaries in minutes: every patient records every day of the last ``days`` days, and has a
signed PREEMPT session about every 12 weeks after a baseline month.

How it stays fast
-----------------
* Each diary day is one of a few **day templates** (`DAY_TEMPLATES`): a headache-free day,
  a tension-type day, a migraine treated with a triptan, ... Each template is classified
  **once** with `cadence.rules.diary.classify_day` (and its medication-overuse flags with
  `cadence.rules.overuse.overuse_day_flags`), so the stored classification columns are
  exactly what the diary services would store for the same answers.
* Rows go in with bulk inserts inside one transaction: PostgreSQL's ``COPY ... FROM
  STDIN`` (psycopg 3 ``cursor.copy()``) from pre-rendered text, SQLite's ``executemany``
  in big batches with ``synchronous=OFF`` for the load (restored afterwards).
* Patients and sessions (about 5% of the rows) use Django's ``bulk_create``.

All names and data are synthetic and deterministic given ``seed``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.demo.story import (
    DEMO_CLINICIAN_CREDENTIALS,
    FIRST_NAMES,
    LAST_NAMES,
    demo_npi,
)
from cadence.diary.models import DiaryDay
from cadence.patients.models import Patient, Sex
from cadence.rules.diary import (
    AcuteDrugClass,
    AcuteMedicationTaken,
    DiaryDayFacts,
    PeakSeverity,
    classify_day,
)
from cadence.rules.overuse import overuse_day_flags
from cadence.rules.schedule import RETREATMENT_INTERVAL_DAYS
from cadence.rules.sites import PREEMPT_TOTAL_UNITS
from cadence.rules.vials import suggest_vials, waste
from cadence.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    TreatmentRhythm,
)
from cadence.scheduling.rhythm import rebuild_treatment_rhythms
from cadence.treatments.models import Procedure, ProcedureStatus

#: The clinician who signs the scale clinic's sessions (created when missing).
SCALE_CLINICIAN_USERNAME = "scale-clinician"
#: The scale clinician's synthetic NPI comes after the demo clinicians' (story.STAFF).
SCALE_CLINICIAN_NPI_INDEX = 9
#: Rows per executemany batch (SQLite) and per COPY write (PostgreSQL).
DIARY_BATCH_ROWS = 50_000
#: Objects per bulk_create batch (patients, sessions).
BULK_CREATE_BATCH = 2_000
#: Days of diary before the first session (the baseline month plus a few days).
BASELINE_DAYS = (28, 60)
#: Extra days a session may come after the 12-week mark (a booking's usual slippage).
SESSION_SLIPPAGE_DAYS = 6


@dataclass(frozen=True)
class DayTemplate:
    """One kind of diary day: the raw answers a patient gives for it."""

    name: str
    headache_hours: float = 0
    peak_severity: PeakSeverity = PeakSeverity.none
    unilateral: bool = False
    pulsating: bool = False
    worse_with_activity: bool = False
    nausea: bool = False
    vomiting: bool = False
    photophobia: bool = False
    phonophobia: bool = False
    aura: bool = False
    missed_activity: bool = False
    acute_medications: tuple[AcuteMedicationTaken, ...] = ()

    def facts(self) -> DiaryDayFacts:
        return DiaryDayFacts(
            headache_hours=self.headache_hours,
            peak_severity=self.peak_severity,
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


def _medicine(name: str, drug_class: AcuteDrugClass, relieved: bool) -> AcuteMedicationTaken:
    return AcuteMedicationTaken(name=name, drug_class=drug_class, relieved=relieved)


SUMATRIPTAN = "sumatriptan 50 mg"
DAY_TEMPLATES: tuple[DayTemplate, ...] = (
    DayTemplate("no_headache"),
    DayTemplate("short_mild", headache_hours=2, peak_severity=PeakSeverity.mild),
    DayTemplate(
        "tension_type", headache_hours=6, peak_severity=PeakSeverity.mild, photophobia=True
    ),
    DayTemplate(
        "tension_type_with_analgesic",
        headache_hours=5,
        peak_severity=PeakSeverity.moderate,
        acute_medications=(_medicine("ibuprofen 400 mg", AcuteDrugClass.simple_analgesic, True),),
    ),
    DayTemplate(
        "migraine_untreated",
        headache_hours=10,
        peak_severity=PeakSeverity.severe,
        unilateral=True,
        pulsating=True,
        worse_with_activity=True,
        nausea=True,
        photophobia=True,
        phonophobia=True,
        missed_activity=True,
    ),
    DayTemplate(
        "migraine_triptan_relieved",
        headache_hours=3,
        peak_severity=PeakSeverity.moderate,
        unilateral=True,
        pulsating=True,
        nausea=True,
        acute_medications=(_medicine(SUMATRIPTAN, AcuteDrugClass.triptan, True),),
    ),
    DayTemplate(
        "migraine_triptan_not_relieved",
        headache_hours=14,
        peak_severity=PeakSeverity.severe,
        pulsating=True,
        worse_with_activity=True,
        vomiting=True,
        missed_activity=True,
        acute_medications=(
            _medicine(SUMATRIPTAN, AcuteDrugClass.triptan, False),
            _medicine("metoclopramide 10 mg", AcuteDrugClass.antiemetic, False),
        ),
    ),
    DayTemplate(
        "probable_migraine",
        headache_hours=5,
        peak_severity=PeakSeverity.moderate,
        unilateral=True,
        pulsating=True,
    ),
    DayTemplate("aura_short", headache_hours=1, peak_severity=PeakSeverity.mild, aura=True),
    DayTemplate(
        "migraine_combination_analgesic",
        headache_hours=8,
        peak_severity=PeakSeverity.severe,
        unilateral=True,
        worse_with_activity=True,
        photophobia=True,
        phonophobia=True,
        acute_medications=(
            _medicine("aspirin/paracetamol/caffeine", AcuteDrugClass.combination_analgesic, True),
        ),
    ),
    DayTemplate(
        "aborted_by_gepant",
        headache_hours=0,
        peak_severity=PeakSeverity.moderate,
        acute_medications=(_medicine("rimegepant 75 mg", AcuteDrugClass.gepant, True),),
    ),
)
TEMPLATE_INDEX = {template.name: index for index, template in enumerate(DAY_TEMPLATES)}

# How often each template occurs (per 100 days) in each phase of a patient's story. The
# baseline is a chronic-migraine month (about 17 headache days in 28); after treatment a
# responder has about half as many, a partial responder about a third fewer.
PHASE_WEIGHTS: dict[str, dict[str, int]] = {
    "baseline": {
        "no_headache": 33,
        "short_mild": 5,
        "tension_type": 10,
        "tension_type_with_analgesic": 10,
        "migraine_untreated": 13,
        "migraine_triptan_relieved": 12,
        "migraine_triptan_not_relieved": 5,
        "probable_migraine": 5,
        "aura_short": 2,
        "migraine_combination_analgesic": 3,
        "aborted_by_gepant": 2,
    },
    "responder": {
        "no_headache": 66,
        "short_mild": 7,
        "tension_type": 6,
        "tension_type_with_analgesic": 5,
        "migraine_untreated": 4,
        "migraine_triptan_relieved": 6,
        "migraine_triptan_not_relieved": 1,
        "probable_migraine": 2,
        "aura_short": 1,
        "migraine_combination_analgesic": 1,
        "aborted_by_gepant": 1,
    },
    "partial": {
        "no_headache": 50,
        "short_mild": 6,
        "tension_type": 8,
        "tension_type_with_analgesic": 8,
        "migraine_untreated": 8,
        "migraine_triptan_relieved": 10,
        "migraine_triptan_not_relieved": 3,
        "probable_migraine": 3,
        "aura_short": 1,
        "migraine_combination_analgesic": 2,
        "aborted_by_gepant": 1,
    },
}
PHASE_WEIGHTS["non_responder"] = PHASE_WEIGHTS["baseline"]
#: Share of patients in each response group, in the order patients are made.
RESPONSE_CYCLE = ("responder", "responder", "partial", "non_responder")


def _phase_table(weights: dict[str, int]) -> tuple[int, ...]:
    table: list[int] = []
    for name, count in weights.items():
        table.extend([TEMPLATE_INDEX[name]] * count)
    return tuple(table)


PHASE_TABLES = {phase: _phase_table(weights) for phase, weights in PHASE_WEIGHTS.items()}


def template_columns(template: DayTemplate) -> dict[str, Any]:
    """The stored columns of a day of this template: its raw answers plus the derived
    classification from `classify_day` and the medication-overuse flags."""
    facts = template.facts()
    classification = classify_day(facts)
    overuse = overuse_day_flags(m.drug_class for m in template.acute_medications)
    columns: dict[str, Any] = {
        "headache_hours": float(template.headache_hours),
        "peak_severity": str(template.peak_severity.value),
        "unilateral": template.unilateral,
        "pulsating": template.pulsating,
        "worse_with_activity": template.worse_with_activity,
        "nausea": template.nausea,
        "vomiting": template.vomiting,
        "photophobia": template.photophobia,
        "phonophobia": template.phonophobia,
        "aura": template.aura,
        "missed_activity": template.missed_activity,
        "acute_medications": [
            {"name": m.name, "drug_class": str(m.drug_class.value), "relieved": m.relieved}
            for m in template.acute_medications
        ],
        "notes": "",
    }
    columns.update(dataclasses.asdict(classification))
    columns.update(dataclasses.asdict(overuse))
    return columns


@dataclass
class ScalePatientPlan:
    """One patient's story in the scale clinic: response group and session dates."""

    patient_id: int
    response: str
    session_dates: list[date]


@dataclass
class ScaleResult:
    patients: int = 0
    diary_rows: int = 0
    procedures: int = 0
    appointments: int = 0
    seconds: float = 0.0
    diary_seconds: float = 0.0
    vendor: str = ""
    patient_ids: list[int] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        """Diary rows per second of the whole load (patients and sessions included)."""
        return self.diary_rows / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "patients": self.patients,
            "diary_rows": self.diary_rows,
            "procedures": self.procedures,
            "appointments": self.appointments,
            "seconds": round(self.seconds, 3),
            "diary_seconds": round(self.diary_seconds, 3),
            "rows_per_second": round(self.rows_per_second),
            "first_patient_id": self.patient_ids[0] if self.patient_ids else None,
        }


def session_dates_for(
    rng: random.Random, *, start: date, today: date, max_sessions: int | None = None
) -> list[date]:
    """Sessions about every 12 weeks after a baseline month of diary (none if too short)."""
    first = start + timedelta(days=rng.randint(*BASELINE_DAYS))
    dates: list[date] = []
    on = first
    while on <= today and (max_sessions is None or len(dates) < max_sessions):
        dates.append(on)
        on = on + timedelta(days=RETREATMENT_INTERVAL_DAYS + rng.randint(0, SESSION_SLIPPAGE_DAYS))
    return dates


def _unsaved_scale_clinician(number: int) -> User:
    """The scale clinic's clinician `number` (1: `scale-clinician`, with the synthetic NPI
    the letters print; then `scale-clinician-2`, ...), not saved yet."""
    username = SCALE_CLINICIAN_USERNAME if number == 1 else f"{SCALE_CLINICIAN_USERNAME}-{number}"
    user = User(
        username=username,
        role=Role.CLINICIAN,
        first_name="Scale",
        last_name="Clinician" if number == 1 else f"Clinician {number}",
        email=f"{username}@cadence.invalid",
        credentials=DEMO_CLINICIAN_CREDENTIALS,
        npi=demo_npi(SCALE_CLINICIAN_NPI_INDEX) if number == 1 else "",
    )
    user.set_unusable_password()
    return user


def scale_clinician() -> User:
    user = User.objects.filter(username=SCALE_CLINICIAN_USERNAME).first()
    if user is None:
        user = _unsaved_scale_clinician(1)
        user.save()
    return user


def _make_patients(rng: random.Random, count: int, today: date, offset: int) -> list[Patient]:
    now = timezone.now()
    patients = []
    for index in range(offset, offset + count):
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        patients.append(
            Patient(
                first_name=first_name,
                last_name=last_name,
                date_of_birth=today
                - timedelta(days=rng.randint(22, 68) * 365 + rng.randint(0, 364)),
                sex=rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.OTHER]),
                email=f"scale.{index}@example.invalid",
                created_at=now,
            )
        )
    return Patient.objects.bulk_create(patients, batch_size=BULK_CREATE_BATCH)


def _prep(model_field, value: Any) -> Any:
    prepared = model_field.get_db_prep_save(value, connection)
    return _sqlite_value(prepared) if connection.vendor == "sqlite" else prepared


def _make_procedures(plans: Sequence[ScalePatientPlan], clinician: User, today: date) -> int:
    """INSERT the signed sessions with one executemany. Every session is the same PREEMPT
    session on another date, so the columns are prepared once per distinct date (Django's
    bulk_create would prepare each value of each row and, on SQLite, split the insert into
    statements of 999 parameters)."""
    tz = timezone.get_current_timezone()
    drawn = Decimal(sum(suggest_vials(PREEMPT_TOTAL_UNITS)))
    wasted = waste(drawn, PREEMPT_TOTAL_UNITS)

    def session(patient_id: int, on: date) -> Procedure:
        performed_at = datetime.combine(on, clock_time(10, 0), tzinfo=tz)
        return Procedure(
            patient_id=patient_id,
            performed_on=on,
            performed_at=performed_at,
            clinician=clinician,
            total_units=PREEMPT_TOTAL_UNITS,
            drawn_units=drawn,
            wasted_units=wasted,
            status=ProcedureStatus.SIGNED,
            signed_at=performed_at + timedelta(minutes=30),
            signed_by=clinician,
            consent_obtained=True,
            created_at=performed_at,
        )

    fields = [f for f in Procedure._meta.concrete_fields if not f.primary_key]
    dated = {"performed_on", "performed_at", "signed_at", "created_at"}
    prototype = session(0, today)
    constant = {f.attname: _prep(f, f.pre_save(prototype, True)) for f in fields}
    by_date: dict[date, dict[str, Any]] = {}
    rows = []
    for plan in plans:
        for on in plan.session_dates:
            if on not in by_date:
                instance = session(plan.patient_id, on)
                by_date[on] = {
                    f.attname: _prep(f, getattr(instance, f.attname))
                    for f in fields
                    if f.attname in dated
                }
            values = {**constant, **by_date[on], "patient_id": plan.patient_id}
            rows.append(tuple(values[f.attname] for f in fields))
    if rows:
        table = connection.ops.quote_name(Procedure._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: executemany costs a round trip per row on PostgreSQL.
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    return len(rows)


class DiaryRowWriter:
    """Writes diary rows (patient, date, template) with the fastest bulk path of the
    database. The column list comes from the DiaryDay model, so a column added later
    is filled with its default (or NULL), never silently dropped."""

    def __init__(self, *, now: datetime, table: str | None = None):
        self.vendor = connection.vendor
        self.table = table or DiaryDay._meta.db_table
        self.now = now
        self.fields = [f for f in DiaryDay._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in self.fields]
        known_constant = {
            "entered_by": None,
            "entered_on_behalf": False,
            "created_at": now,
            "updated_at": now,
        }
        self.template_suffixes: list[tuple] = []
        self.template_texts: list[str] = []
        template_values = [template_columns(t) for t in DAY_TEMPLATES]
        head = [f.name for f in self.fields[:2]]
        if head != ["patient", "date"]:
            # Keep patient and date first: reorder the field list.
            self.fields.sort(key=lambda f: {"patient": 0, "date": 1}.get(f.name, 2))
            self.columns = [f.column for f in self.fields]
        for values in template_values:
            row: list[Any] = []
            for model_field in self.fields[2:]:
                if model_field.name in values:
                    value = values[model_field.name]
                elif model_field.name in known_constant:
                    value = known_constant[model_field.name]
                elif model_field.has_default():
                    value = model_field.get_default()
                elif model_field.null:
                    value = None
                elif model_field.blank and model_field.empty_strings_allowed:
                    value = ""  # an optional text the scale clinic's patients leave empty
                else:
                    raise ImproperlyConfigured(
                        f"Scale seeding does not know how to fill DiaryDay.{model_field.name}; "
                        "give the field a default or add it to cadence.demo.scale."
                    )
                row.append(value)
            if self.vendor == "postgresql":
                self.template_texts.append("\t".join(_copy_text(v) for v in row))
            else:
                # sqlite3 binds ints several times faster than bools (no adapter lookup).
                self.template_suffixes.append(
                    tuple(
                        _sqlite_value(f.get_db_prep_save(v, connection))
                        for f, v in zip(self.fields[2:], row, strict=True)
                    )
                )

    def write(self, rows: Iterator[tuple[int, str, int]], count: int, progress) -> None:
        if self.vendor == "postgresql":
            self._copy(rows, count, progress)
        else:
            self._executemany(rows, count, progress)

    def _copy(self, rows, count, progress) -> None:
        table = connection.ops.quote_name(self.table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        texts = self.template_texts
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            buffer = io.StringIO()
            pending = 0
            for patient_id, iso_day, template in rows:
                buffer.write(f"{patient_id}\t{iso_day}\t{texts[template]}\n")
                pending += 1
                if pending == DIARY_BATCH_ROWS:
                    copy.write(buffer.getvalue())
                    progress.update(pending)
                    buffer = io.StringIO()
                    pending = 0
            if pending:
                copy.write(buffer.getvalue())
                progress.update(pending)

    def _executemany(self, rows, count, progress) -> None:
        table = connection.ops.quote_name(self.table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        suffixes = self.template_suffixes
        batch: list[tuple] = []
        with connection.cursor() as cursor:
            for patient_id, iso_day, template in rows:
                batch.append((patient_id, iso_day, *suffixes[template]))
                if len(batch) == DIARY_BATCH_ROWS:
                    cursor.executemany(sql, batch)
                    progress.update(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                progress.update(len(batch))


def _sqlite_value(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _copy_text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def diary_rows(
    plans: Sequence[ScalePatientPlan], days: Sequence[str], day_dates: Sequence[date], seed: int
) -> Iterator[tuple[int, str, int]]:
    """(patient_id, ISO date, template index) for every patient and day, in index order."""
    rng = random.Random(seed)
    random_value = rng.random
    baseline_table = PHASE_TABLES["baseline"]
    for plan in plans:
        first_session = plan.session_dates[0] if plan.session_dates else None
        treated_table = PHASE_TABLES[plan.response]
        size_baseline = len(baseline_table)
        size_treated = len(treated_table)
        patient_id = plan.patient_id
        for iso_day, on in zip(days, day_dates, strict=True):
            if first_session is None or on < first_session:
                yield patient_id, iso_day, baseline_table[int(random_value() * size_baseline)]
            else:
                yield patient_id, iso_day, treated_table[int(random_value() * size_treated)]


class NoProgress:
    """A progress bar that shows nothing (the bench and quiet runs)."""

    def update(self, _n: int) -> None:
        pass

    def close(self) -> None:
        pass


def sqlite_pragmas(fast: bool) -> None:
    """SQLite only: trade durability for speed during a bulk load (fast=True), then back."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return  # (SQLite refuses to change the safety level inside a transaction)
    with connection.cursor() as cursor:
        if fast:
            # Safe for a one-off load of synthetic data: a crash mid-load loses the load.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache
            cursor.execute("PRAGMA temp_store=MEMORY")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-2000")


#: The scale clinic's appointments (``appointments=True``): 15-minute slots from 08:00,
#: this many a day per clinician (clinicians are added as a day's slots fill up, so that
#: nobody is double-booked).
APPOINTMENT_SLOTS_PER_DAY = 32
APPOINTMENT_MINUTES = 15
#: Each follow-up (the course review) lies within this many days before today.
FOLLOW_UP_SPREAD_DAYS = 120


def _scale_clinicians(count: int) -> list[User]:
    """The scale clinic's clinicians: `scale-clinician`, then `scale-clinician-2`, ..."""
    first = scale_clinician()
    wanted = [_unsaved_scale_clinician(n) for n in range(2, count + 1)]
    names = [user.username for user in wanted]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [user for user in wanted if user.username not in existing], batch_size=BULK_CREATE_BATCH
    )
    saved = {u.username: u for u in User.objects.filter(username__in=names)}
    return [first, *(saved[name] for name in names)]


def _appointments_per_day(since: date) -> dict[date, int]:
    """{day: appointments already starting that day} from ``since`` (a clinic grown in
    steps: the next step's slots come after the last step's)."""
    start = datetime.combine(since, clock_time(0, 0), tzinfo=timezone.get_current_timezone())
    days = (
        Appointment.objects.filter(starts_at__gte=start)
        .annotate(day=TruncDate("starts_at"))
        .values("day")
        .annotate(count=Count("id"))
    )
    return {row["day"]: row["count"] for row in days}


def _make_appointments(
    plans: Sequence[ScalePatientPlan], today: date, *, worklist_patients: int
) -> int:
    """A well-run clinic's diary: every patient has their next session booked (on the
    due date, or in the coming week when that has passed) and had their course review
    (an attended follow-up in the last FOLLOW_UP_SPREAD_DAYS days), except
    ``worklist_patients`` of them, spread evenly, who have neither: the worklists then
    hold the same patients however many others the clinic has."""
    left_out = set()
    if worklist_patients and plans:
        step = max(1, len(plans) // worklist_patients)
        left_out = {plans[i].patient_id for i in range(0, len(plans), step)}
    taken = _appointments_per_day(today - timedelta(days=FOLLOW_UP_SPREAD_DAYS + 1))
    wanted = []
    for index, plan in enumerate(plans):
        if plan.patient_id in left_out or not plan.session_dates:
            continue
        due = plan.session_dates[-1] + timedelta(days=RETREATMENT_INTERVAL_DAYS)
        session_day = due if due > today else today + timedelta(days=1 + index % 7)
        review_day = today - timedelta(days=1 + index % FOLLOW_UP_SPREAD_DAYS)
        for day, kind, status in (
            (session_day, AppointmentKind.TREATMENT_SESSION, AppointmentStatus.BOOKED),
            (review_day, AppointmentKind.FOLLOW_UP, AppointmentStatus.ATTENDED),
        ):
            slot = taken.get(day, 0)
            taken[day] = slot + 1
            wanted.append((plan.patient_id, day, slot, kind, status))
    if not wanted:
        return 0
    clinicians = _scale_clinicians(max(taken.values()) // APPOINTMENT_SLOTS_PER_DAY + 1)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows = []
    for patient_id, day, slot, kind, status in wanted:
        minutes = (slot % APPOINTMENT_SLOTS_PER_DAY) * APPOINTMENT_MINUTES
        starts_at = datetime.combine(day, clock_time(8, 0), tzinfo=tz) + timedelta(minutes=minutes)
        rows.append(
            Appointment(
                patient_id=patient_id,
                clinician=clinicians[slot // APPOINTMENT_SLOTS_PER_DAY],
                kind=kind,
                status=status,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=APPOINTMENT_MINUTES),
                created_at=now,
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=BULK_CREATE_BATCH)
    return len(rows)


def seed_scale_clinic(
    *,
    patients: int,
    days: int,
    today: date | None = None,
    seed: int = 2026,
    max_sessions: int | None = None,
    progress: bool = False,
    appointments: bool = False,
    worklist_patients: int = 0,
) -> ScaleResult:
    """Load ``patients`` synthetic patients, each with a diary for every one of the last
    ``days`` days (ending ``today``) and a signed session about every 12 weeks after a
    baseline month. Returns what was loaded and how fast. With ``appointments``, every
    patient but ``worklist_patients`` of them also has their next session booked and
    their course review done (`_make_appointments`)."""
    if patients < 1 or days < 1:
        raise ValueError("patients and days must be at least 1")
    today = today or timezone.localdate()
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    start = today - timedelta(days=days - 1)
    day_dates = [start + timedelta(days=offset) for offset in range(days)]
    iso_days = [d.isoformat() for d in day_dates]
    result = ScaleResult(vendor=connection.vendor)
    connection.ensure_connection()
    sqlite_pragmas(True)
    try:
        with transaction.atomic():
            clinician = scale_clinician()
            offset = Patient.objects.count()
            created = _make_patients(rng, patients, today, offset)
            plans = [
                ScalePatientPlan(
                    patient_id=patient.pk,
                    response=RESPONSE_CYCLE[index % len(RESPONSE_CYCLE)],
                    session_dates=session_dates_for(
                        rng, start=start, today=today, max_sessions=max_sessions
                    ),
                )
                for index, patient in enumerate(created)
            ]
            result.procedures = _make_procedures(plans, clinician, today)
            if appointments:
                result.appointments = _make_appointments(
                    plans, today, worklist_patients=worklist_patients
                )
            # Inserted without save signals: the worklists' rhythm index follows here.
            rebuild_treatment_rhythms([plan.patient_id for plan in plans])
            total = patients * days
            bar = _progress_bar(total, progress)
            diary_started = time.perf_counter()
            try:
                writer = DiaryRowWriter(now=now)
                with _constraints_built_once(DiaryDay._meta.db_table, total):
                    writer.write(diary_rows(plans, iso_days, day_dates, seed), total, bar)
            finally:
                bar.close()
            result.diary_seconds = time.perf_counter() - diary_started
    finally:
        sqlite_pragmas(False)
    if connection.vendor == "postgresql":
        refresh_planner_statistics()
    result.patients = len(created)
    result.diary_rows = total
    result.patient_ids = [p.pk for p in created]
    result.seconds = time.perf_counter() - started
    return result


def refresh_planner_statistics() -> None:
    """PostgreSQL after a bulk load: fresh statistics for the tables loaded (else the
    planner takes 400,000 sessions for a hundred) and, outside a transaction, VACUUM of
    the diary so that the clinic report's index-only scans need no table reads (the
    visibility map; autovacuum would get there later)."""
    qn = connection.ops.quote_name
    tables = [DiaryDay, Procedure, Patient, Appointment, TreatmentRhythm]
    with connection.cursor() as cursor:
        for model in tables:
            table = qn(model._meta.db_table)
            if model is DiaryDay and not connection.in_atomic_block:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


@contextmanager
def _constraints_built_once(table: str, rows: int):
    """PostgreSQL: build the table's indexes and check its constraints once for the whole
    load instead of once per row (the usual bulk-load recipe).

    * Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: every copied row queues a
      trigger that looks up its patient at COMMIT (about half of the load's time).
    * Each of the table's secondary indexes (one-row-per-day, patient, entered-by) is
      updated row by row; building one afterwards is a single sort.

    Everything is dropped and added back inside the load's transaction: adding a foreign
    key or unique constraint back validates every row (one join, one sort), so nothing
    unchecked is ever committed, and other sessions never see the table without them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        if max(0, cursor.fetchone()[0]) > rows:
            # Rebuilding would cost more than it saves on a table this much bigger.
            yield
            return
        # Run the checks already queued (the sessions' patients): ALTER TABLE refuses a
        # table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition, _kind in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition, _kind in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit=" rows", unit_scale=True, desc="diary", mininterval=0.5)
