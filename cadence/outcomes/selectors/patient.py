"""One patient's outcomes, counted in SQL: THE answer to "what is this patient's baseline".

Per patient, ONE query over the diary (`_diary_buckets`) returns every count the patient
page needs: grouped by 28-day period (baseline and follow-up) and by week of the recent
treatment cycles, with conditional aggregates for the 28 days before each of those
sessions and the three medication-overuse periods. The counts are then mapped onto the
pure rules' result types by the rules' `*_from_counts` functions and judged by
`cadence.rules.outcomes` (response), `cadence.rules.overuse` and `cadence.rules.effect`
(wearing-off) — no Python loop over diary rows.

The baseline is the 28 days before the first *signed* session (treatments'
`session_dates`; a draft note is not a session), counted from the diary's stored day
flags. The outcome pages and API, the FHIR period Observations, the CSV export and the
candidacy page all read it from here.

Functions other apps (and the benchmark) call:
    patient_outcomes(patient, *, today=None) -> PatientOutcomes
    outcome_summary_for(patient, *, today=None) -> PatientOutcomes  (the API object, FHIR, CSV)
    candidacy_baseline(patient, *, today) -> CandidacyBaseline      (candidacy's diary facts)

Reads from the other apps' selectors, shaped for the pages and reports:
procedures_for_report (treatments), questionnaire_scores, urgent_side_effects (diary),
diagnosis_for, preventive_trials_for, payer_profile (patients), next_appointment
(scheduling).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import CharField, F, Value
from django.utils import timezone

from cadence.diary import selectors as diary_selectors
from cadence.diary.models import DiaryDay
from cadence.patients import selectors as patient_selectors
from cadence.patients.models import Patient
from cadence.rules import outcomes as rules
from cadence.rules.candidacy import FAILED_OUTCOMES, ICD10_CHRONIC_MIGRAINE_CODES
from cadence.rules.course_review import NEW_BASELINE_AFTER_LAPSE_DAYS, course_start
from cadence.rules.diary import OVERUSE_COLUMNS
from cadence.rules.effect import (
    EFFECT_CURVE_WEEKS,
    EffectCurve,
    WearingOff,
    effect_curve_from_counts,
    shorter_interval_suggestion,
    wearing_off,
)
from cadence.rules.outcomes import period_from_counts
from cadence.rules.overuse import (
    OveruseCounts,
    OveruseFlag,
    overuse_from_counts,
    overuse_windows,
)
from cadence.rules.payer import PayerProfile
from cadence.rules.questionnaires import hit6_change, midas_change
from cadence.rules.schedule import (
    TreatmentSchedule,
    TreatmentStage,
    treatment_schedule,
    treatment_stage,
)
from cadence.rules.side_effects import SIDE_EFFECT_LABELS, SideEffect
from cadence.scheduling import selectors as scheduling_selectors
from cadence.scheduling.models import AppointmentKind
from cadence.treatments import selectors as treatment_selectors

#: Effect curves are drawn for this many most recent cycles (the chart stays readable;
#: wearing-off needs only the last 2). A Cadence display choice.
CURVE_CYCLES = 6

# =======================================================================================
# Reads from the other apps (their selectors), shaped for the outcome pages and reports
# =======================================================================================


def as_date(value) -> date:
    """A date from a raw SQL value (SQLite answers dates of a UNION or CTE as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _sessions_until(patient, today: date) -> list[date]:
    """The patient's signed session dates on or before ``today``, one per day, oldest
    first (the treatments app owns them; drafts are not sessions)."""
    return sorted({d for d in treatment_selectors.session_dates(patient) if d <= today})


@dataclass(frozen=True)
class SessionLine:
    """One treatment session as reports list it."""

    performed_on: date
    total_units: float | None
    wasted_units: float | None
    lots: str
    signed_by: str


def procedures_for_report(patient) -> list[SessionLine]:
    """Each signed session with units, lots and waste (treatments' selector, 3 queries)."""
    lines = []
    for row in treatment_selectors.procedures_for_report(patient):
        total, wasted = row["total_units"], row["wasted_units"]
        lines.append(
            SessionLine(
                performed_on=row["performed_on"],
                total_units=float(total) if total is not None else None,
                wasted_units=float(wasted) if wasted is not None else None,
                lots=", ".join(str(lot) for lot in row["lots"]) or "not recorded",
                signed_by=row["clinician"] or "not recorded",
            )
        )
    return lines


@dataclass(frozen=True)
class QuestionnaireScore:
    instrument: str  # "MIDAS" or "HIT-6"
    completed_on: date
    score: int


def questionnaire_scores(patient) -> list[QuestionnaireScore]:
    """MIDAS and HIT-6 totals over time (the diary app's responses), oldest first."""
    return _questionnaires_and_urgent_reports(patient)[0]


def urgent_side_effects(patient) -> list[str]:
    """The patient's urgent side-effect reports (possible distant spread) not yet
    acknowledged, as short texts."""
    return _questionnaires_and_urgent_reports(patient)[1]


def _questionnaires_and_urgent_reports(
    patient, *, year_until: date | None = None
) -> tuple[list[QuestionnaireScore], list[str], dict[date, tuple[bool, bool]] | None]:
    """Questionnaire scores and open urgent side-effect reports in ONE query (a UNION ALL
    of the diary app's querysets; the patient page's query budget is 13). With
    ``year_until``, the same query also brings the days of the diary's year at a
    glance (the 365 days up to it; ``diary.selectors.year_day_codes``)."""
    scores = (
        diary_selectors.questionnaire_responses_for(patient=patient)
        .order_by()
        .annotate(kind=Value("questionnaire"), number=F("score"))
        .values_list("instrument", "completed_on", "kind", "number")
    )
    urgent = (
        diary_selectors.unacknowledged_urgent_reports()
        .filter(patient=patient)
        .order_by()
        .annotate(kind=Value("urgent"), number=F("id"))
        .values_list("effect", "onset_on", "kind", "number")
    )
    parts = [urgent]
    year: dict[date, tuple[bool, bool]] | None = None
    if year_until is not None:
        year = {}
        parts.append(
            diary_selectors.year_day_codes(patient=patient, today=year_until)
            .annotate(
                name=Value("", output_field=CharField()),
                kind=Value("year"),
                number=F("year_code"),
            )
            .values_list("name", "date", "kind", "number")
        )
    found: list[QuestionnaireScore] = []
    reports: list[tuple[date, int, str]] = []
    for name, on, kind, number in scores.union(*parts, all=True):
        on = as_date(on)
        if kind == "year":
            year[on] = diary_selectors.decode_year_day(number)  # type: ignore[index]
        elif kind == "urgent":
            try:
                label = SIDE_EFFECT_LABELS[SideEffect(name)]
            except ValueError:
                label = str(name).replace("_", " ")
            reports.append((on, int(number), f"{label} since {on:%d %b %Y}"))
        else:
            found.append(QuestionnaireScore(str(name), on, int(number)))
    found.sort(key=lambda s: (s.completed_on, s.instrument))
    return found, [text for _on, _id, text in sorted(reports)], year


@dataclass(frozen=True)
class DiagnosisLine:
    """The recorded chronic-migraine diagnosis as reports state it."""

    icd10_code: str
    label: str
    confirmed_by_neurologist: bool
    neurologist: str
    confirmed_on: date | None

    def __str__(self) -> str:
        text = f"{self.icd10_code} {self.label}"
        if self.confirmed_by_neurologist:
            who = self.neurologist or "a neurologist (name not recorded)"
            text += f"; confirmed by {who}"
            if self.confirmed_on:
                text += f" on {self.confirmed_on:%d %b %Y}"
        else:
            text += "; not confirmed by a neurologist"
        return text


def diagnosis_for(patient) -> DiagnosisLine | None:
    """The patient's latest recorded diagnosis (patients app), or None."""
    diagnosis = patient_selectors.latest_diagnosis(patient)
    if diagnosis is None:
        return None
    return DiagnosisLine(
        icd10_code=diagnosis.icd10_code,
        label=ICD10_CHRONIC_MIGRAINE_CODES.get(diagnosis.icd10_code, ""),
        confirmed_by_neurologist=diagnosis.confirmed_by_neurologist,
        neurologist=diagnosis.neurologist,
        confirmed_on=diagnosis.confirmed_on,
    )


@dataclass(frozen=True)
class PreventiveTrialLine:
    """One failed preventive treatment (drug, class, outcome, dates)."""

    drug: str
    drug_class: str
    outcome: str
    start: date
    end: date | None
    #: The highest daily dose (mg) and the adequacy flag payers read (adequate, too short,
    #: below the usual dose...: ``cadence.rules.preventives``).
    daily_dose_mg: float | None = None
    adequacy: str = ""
    adequacy_detail: str = ""

    def __str__(self) -> str:
        until = f"{self.end:%d %b %Y}" if self.end else "not recorded"
        return f"{self.drug} ({self.drug_class}): {self.outcome.lower()}, {self.start:%d %b %Y} to {until}"


def preventive_trials_for(patient) -> list[PreventiveTrialLine]:
    """Failed preventive trials (ineffective, not tolerated, contraindicated: the rules'
    FAILED_OUTCOMES), oldest first."""
    doses = patient_selectors.min_daily_doses_mg()
    lines = []
    for trial in patient_selectors.confirmed_preventive_trials_for(patient):
        if trial.outcome not in FAILED_OUTCOMES:
            continue
        adequacy = patient_selectors.trial_adequacy_for(trial, doses)
        lines.append(
            PreventiveTrialLine(
                drug=trial.drug,
                drug_class=trial.get_drug_class_display(),
                outcome=trial.get_outcome_display(),
                start=trial.start,
                end=trial.end,
                daily_dose_mg=float(trial.daily_dose_mg)
                if trial.daily_dose_mg is not None
                else None,
                adequacy=adequacy.adequacy.label,
                adequacy_detail=adequacy.detail,
            )
        )
    return lines


def payer_profile(patient) -> PayerProfile:
    return patient_selectors.payer_profile_for(patient)


def next_appointment(patient):
    """The patient's next booked appointment (scheduling), or None."""
    return scheduling_selectors.next_appointment_for_patient(patient)


def next_booked_treatment(patient):
    """The patient's next booked treatment session (scheduling), or None: what My
    progress shows instead of a due date, which may already have passed (issue 19)."""
    return (
        scheduling_selectors.upcoming_appointments_for_patient(patient)
        .filter(kind=AppointmentKind.TREATMENT_SESSION)
        .first()
    )


# =======================================================================================
# Per-patient outcomes
# =======================================================================================


_PERIOD_FLAGS = (
    ("headache_days", "is_headache_day"),
    ("migraine_days", "is_migraine_day"),
    ("moderate_severe_days", "is_moderate_severe_day"),
    ("acute_medication_days", "is_acute_medication_day"),
    ("triptan_days", "is_triptan_day"),
)


@dataclass
class CycleWindows:
    session_date: date
    next_session_date: date | None
    weeks: dict[int, tuple[date, date]]
    pre_session: tuple[date, date]


def _cycle_windows(sessions: Sequence[date], today: date) -> list[CycleWindows]:
    cycles = []
    first_index = max(0, len(sessions) - CURVE_CYCLES)
    for index in range(first_index, len(sessions)):
        session = sessions[index]
        following = sessions[index + 1] if index + 1 < len(sessions) else None
        weeks = {}
        for week in range(1, EFFECT_CURVE_WEEKS + 1):
            start = session + timedelta(days=7 * (week - 1))
            end = start + timedelta(days=6)
            if following is not None:
                end = min(end, following - timedelta(days=1))
            end = min(end, today)
            if start <= end:
                weeks[week] = (start, end)
        pre = (session - timedelta(days=rules.PERIOD_DAYS), session - timedelta(days=1))
        cycles.append(CycleWindows(session, following, weeks, pre))
    return cycles


@dataclass
class PatientOutcomes:
    """Everything the clinician patient page, the progress page and the reports show."""

    patient: Patient
    today: date
    profile: PayerProfile
    session_dates: list[date]
    summary: rules.OutcomeSummary
    overuse: OveruseFlag
    curves: list[EffectCurve]
    wearing_off: WearingOff
    interval_suggestion: str | None
    schedule: TreatmentSchedule
    stage: TreatmentStage
    questionnaires: list[QuestionnaireScore] = field(default_factory=list)
    urgent_side_effects: list[str] = field(default_factory=list)
    #: The first session of the current course (after the last lapse): the baseline is
    #: the 28 days before it, the follow-up periods start on it.
    course_start: date | None = None
    #: Where the baseline comes from: the diary, or a recorded historical baseline.
    baseline_source: BaselineSource | None = None
    #: The diary's year at a glance, {date: (headache day, migraine day)} of the 365
    #: days up to ``today`` (``with_year=True`` only; None otherwise).
    year_days: dict[date, tuple[bool, bool]] | None = None

    @property
    def baseline(self) -> rules.PeriodMetrics | None:
        return self.summary.baseline

    @property
    def periods(self) -> tuple[rules.PeriodMetrics, ...]:
        return self.summary.periods

    @property
    def response(self) -> rules.Response:
        return self.summary.response

    @cached_property
    def week_24_response(self) -> rules.Response:
        """The response at the 24-week review: the weeks 21-24 period (the second
        cycle's) against the baseline, not the latest period (clinic-reference.md
        section 7); what the payer packet states. Computed once (the page reads it in
        several places)."""
        return rules.week_24_response(
            self.summary.baseline, self.summary.periods, self.profile.responder_rule
        )

    @property
    def latest_period(self) -> rules.PeriodMetrics | None:
        return self.summary.response.compared_period

    @property
    def fifty_percent_line(self) -> float | None:
        baseline = self.summary.baseline
        if baseline is None or not baseline.headache_days:
            return None
        return round(baseline.headache_days * (100 - rules.RESPONDER_PERCENT) / 100, 1)

    def questionnaire_change(self, instrument: str) -> dict | None:
        """First vs latest score of an instrument, with the rules' meaningful-change test."""
        scores = [s for s in self.questionnaires if s.instrument == instrument]
        if len(scores) < 2:
            return None
        first, last = scores[0], scores[-1]
        try:
            change = (midas_change if instrument == "MIDAS" else hit6_change)(
                first.score, last.score
            )
        except ValueError:
            return None
        return {"first": first, "last": last, "change": change}

    @property
    def midas_change(self) -> dict | None:
        return self.questionnaire_change("MIDAS")

    @property
    def hit6_change(self) -> dict | None:
        return self.questionnaire_change("HIT-6")

    @property
    def alerts(self) -> list[tuple[str, str]]:
        """(kind, text) pairs, most urgent first."""
        found = [
            ("urgent", f"Urgent side effect reported: {text}") for text in self.urgent_side_effects
        ]
        if self.overuse.flagged:
            found.append(("overuse", self.overuse.detail))
        if self.wearing_off.detected:
            found.append(("wearing_off", self.wearing_off.evidence))
        return found


def _diary_buckets(
    patient, sessions: list[date], cycles: list[CycleWindows], today: date
) -> list[dict]:
    """ONE grouped query: diary counts by (28-day period, cycle week) bucket, with the
    pre-session and medication-overuse windows as conditional counts inside each bucket.

    ``period``: 0 = baseline, 1.. = follow-up periods; ``week``: ``100 * cycle + week
    index`` (0-based) for days inside a drawn cycle, -1 otherwise. Callers sum rows.

    Hand-written, parameterised SQL (SQLite and PostgreSQL): every window is an integer
    day offset ``dn`` from the first day read, computed once per row in a subquery, so
    the query is cheap to build (Django's expression compiler cost more than the query).
    """
    o_windows = overuse_windows(today)
    first_day = o_windows[0][0]
    origin = None
    if sessions:
        origin = rules.baseline_window(sessions[0])[0]
        first_day = min(first_day, origin, *(c.pre_session[0] for c in cycles))

    def offset(day: date) -> int:
        return (day - first_day).days

    names = ["n", "hh", *(short for short, _ in _PERIOD_FLAGS)]
    columns = ["COUNT(*)", "SUM(headache_hours)"]
    columns += [f"SUM(CASE WHEN {flag} THEN 1 ELSE 0 END)" for _, flag in _PERIOD_FLAGS]
    params: list[Any] = []
    windows = [
        (
            f"o{i}",
            start,
            end,
            (
                ("n", None),
                ("s", "is_overuse_class_day"),
                ("a", "is_simple_analgesic_day"),
                # ICHD-3 8.2.6: a day with any overuse class, each day once
                ("c", "(is_overuse_class_day OR is_simple_analgesic_day)"),
            ),
        )
        for i, (start, end) in enumerate(o_windows)
    ]
    windows += [
        (f"c{i}pre", c.pre_session[0], c.pre_session[1], (("_n", None), ("_h", "is_headache_day")))
        for i, c in enumerate(cycles)
    ]
    for prefix, start, end, counts in windows:
        for suffix, flag in counts:
            condition = "dn BETWEEN %s AND %s" + (f" AND {flag}" if flag else "")
            names.append(f"{prefix}_{suffix}" if prefix.startswith("o") else f"{prefix}{suffix}")
            columns.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
            params += [offset(start), offset(end)]

    if origin is not None:
        base = offset(origin)
        period_sql = f"CASE WHEN dn >= {base} THEN (dn - {base}) / {rules.PERIOD_DAYS} ELSE -1 END"
        whens = []
        for index, cycle in enumerate(cycles):
            start = offset(cycle.session_date)
            condition = f"dn >= {start}"
            if cycle.next_session_date is not None:
                condition += f" AND dn < {offset(cycle.next_session_date)}"
            whens.append(f"WHEN {condition} THEN (dn - {start}) / 7 + {100 * index}")
        week_sql = f"CASE {' '.join(whens)} ELSE -1 END" if whens else "-1"
    else:
        period_sql = week_sql = "-1"

    if connection.vendor == "postgresql":
        day_number = "(d.date - %s)"
    else:
        day_number = "CAST(julianday(d.date) - julianday(%s) AS INTEGER)"
    table = connection.ops.quote_name(DiaryDay._meta.db_table)
    fields = ", ".join(
        [
            "headache_hours",
            *(flag for _, flag in _PERIOD_FLAGS),
            *OVERUSE_COLUMNS,
        ]
    )
    sql = (
        f"SELECT period, week, {', '.join(columns)} FROM ("
        f"SELECT {fields}, dn, {period_sql} AS period, {week_sql} AS week FROM ("
        f"SELECT {fields.replace('headache_hours', 'd.headache_hours')}, {day_number} AS dn FROM {table} d "
        "WHERE d.patient_id = %s AND d.date >= %s AND d.date <= %s) days) buckets "
        "GROUP BY period, week"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first_day, patient.pk, first_day, today])
        rows = cursor.fetchall()
    keys = ["period", "week", *names]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _sum(rows: list[dict], key: str, where=lambda row: True) -> float:
    return sum((row[key] or 0) for row in rows if where(row))


def _period(rows: list[dict], index: int, start: date, end: date, *, as_of: date):
    """Period ``index`` of ``_diary_buckets`` (0 = baseline) as the rules' PeriodMetrics."""
    in_period = [row for row in rows if row["period"] == index]
    counts = rules.PeriodCounts(
        **{short: int(_sum(in_period, short)) for short, _ in _PERIOD_FLAGS},
        headache_hours=float(_sum(in_period, "hh")),
    )
    return period_from_counts(start, end, int(_sum(in_period, "n")), counts, as_of=as_of)


def _overuse(rows: list[dict], until: date) -> OveruseFlag:
    """The medication-overuse flag over the 3 periods ending on ``until`` (the overuse
    windows ``_diary_buckets`` counted for that day)."""
    return overuse_from_counts(
        [
            OveruseCounts(
                start,
                end,
                int(_sum(rows, f"o{i}_n")),
                int(_sum(rows, f"o{i}_s")),
                int(_sum(rows, f"o{i}_a")),
                int(_sum(rows, f"o{i}_c")),
            )
            for i, (start, end) in enumerate(overuse_windows(until))
        ],
        until,
    )


def new_baseline_lapse_days() -> int:
    """More than this many days between two sessions start a new course with a new
    baseline: ``cadence.rules.course_review.NEW_BASELINE_AFTER_LAPSE_DAYS`` (180, a
    clinic default), or the ``CADENCE_NEW_BASELINE_LAPSE_DAYS`` setting."""
    return int(getattr(settings, "CADENCE_NEW_BASELINE_LAPSE_DAYS", NEW_BASELINE_AFTER_LAPSE_DAYS))


@dataclass(frozen=True)
class BaselineSource:
    """Where the baseline comes from: ``diary`` (the 28 days before the course's first
    session), or ``historical`` (recorded for a patient transferring in: source, date)."""

    kind: str
    source: str = ""
    recorded_on: date | None = None

    def __str__(self) -> str:
        if self.kind == "historical":
            return (
                f"historical baseline from {self.source}, recorded {self.recorded_on:%d %b %Y}"
                if self.recorded_on
                else f"historical baseline from {self.source}"
            )
        return "diary: the 28 days before the course's first session"


BASELINE_FROM_DIARY = BaselineSource("diary")


def needs_historical_baseline(diary: rules.PeriodMetrics, *, first_course: bool) -> bool:
    """Whether a recorded historical baseline replaces the diary baseline: the diary
    baseline has too few recorded days and this is the patient's first course here."""
    return first_course and not diary.sufficient


def _baseline_or_historical(
    patient, diary: rules.PeriodMetrics, *, first_course: bool
) -> tuple[rules.PeriodMetrics, BaselineSource]:
    """The diary baseline, or, when it has too few recorded days and this is the
    patient's first course here, the recorded historical baseline in its place (a patient
    who transferred in after sessions elsewhere). One query, only when it is needed."""
    if not needs_historical_baseline(diary, first_course=first_course):
        return diary, BASELINE_FROM_DIARY
    return baseline_or_historical_record(
        diary, patient_selectors.historical_baseline_for(patient), first_course=first_course
    )


def baseline_or_historical_record(
    diary: rules.PeriodMetrics, record, *, first_course: bool
) -> tuple[rules.PeriodMetrics, BaselineSource]:
    """THE choice of baseline, given the patient's latest recorded historical baseline
    (``record``, a ``patients.models.HistoricalBaseline`` or None): the diary baseline,
    or the historical one when ``needs_historical_baseline``. The patient page (through
    ``_baseline_or_historical``) and the clinic report (``selectors.clinic``, which reads
    the records of many patients at once) both decide with it."""
    if record is None or not needs_historical_baseline(diary, first_course=first_course):
        return diary, BASELINE_FROM_DIARY
    headache = float(record.headache_days)
    migraine = float(record.migraine_days) if record.migraine_days is not None else None
    period = rules.PeriodMetrics(
        start=diary.start,
        end=diary.end,
        days_recorded=rules.PERIOD_DAYS,
        headache_days=headache,
        migraine_days=migraine,
        moderate_severe_days=None,
        acute_medication_days=None,
        triptan_days=None,
        headache_hours=None,
        coverage=1.0,
        complete=True,
        scaled=False,
        raw=rules.PeriodCounts(
            headache_days=int(record.headache_days),
            migraine_days=int(record.migraine_days or 0),
        ),
    )
    return period, BaselineSource("historical", record.source, record.recorded_on)


def patient_outcomes(
    patient, *, today: date | None = None, with_alerts: bool = True, with_year: bool = False
) -> PatientOutcomes:
    """The patient's outcomes on ``today`` (clinic date by default).

    Queries: payer profile and session dates (1 each), the diary counts (1, grouped by
    period and cycle week), questionnaires and open urgent side effects (1, a UNION ALL;
    ``with_alerts=False`` skips it). ``with_year=True`` adds the diary's year at a
    glance (``year_days``) to that UNION ALL (or, without alerts, one query).
    """
    today = today or timezone.localdate()
    profile = payer_profile(patient)
    sessions = _sessions_until(patient, today)
    cycles = _cycle_windows(sessions, today) if sessions else []
    start = course_start(sessions, new_baseline_lapse_days())
    rows = _diary_buckets(patient, [start] if start else [], cycles, today)
    baseline_source = BASELINE_FROM_DIARY
    year_until = today if with_year else None
    if with_alerts:
        questionnaires, urgent, year = _questionnaires_and_urgent_reports(
            patient, year_until=year_until
        )
    else:
        questionnaires, urgent = [], []
        year = diary_selectors.year_days(patient=patient, today=today) if with_year else None

    overuse = _overuse(rows, today)
    if start is not None:
        baseline, baseline_source = _baseline_or_historical(
            patient,
            _period(rows, 0, *rules.baseline_window(start), as_of=today),
            first_course=start == sessions[0],
        )
        periods = tuple(
            _period(rows, i + 1, p_start, p_end, as_of=today)
            for i, (p_start, p_end) in enumerate(rules.follow_up_windows(start, today))
        )
        summary = rules.OutcomeSummary(
            baseline=baseline,
            periods=periods,
            response=rules.response(baseline, periods, profile.responder_rule),
        )
    else:
        summary = rules.OutcomeSummary(
            baseline=None, periods=(), response=rules.response(None, (), profile.responder_rule)
        )

    curves = []
    for i, cycle in enumerate(cycles):
        weeks = {}
        for week in cycle.weeks:
            bucket = [row for row in rows if row["week"] == 100 * i + week - 1]
            weeks[week] = (int(_sum(bucket, "n")), int(_sum(bucket, "headache_days")))
        pre = (int(_sum(rows, f"c{i}pre_n")), int(_sum(rows, f"c{i}pre_h")))
        curves.append(
            effect_curve_from_counts(cycle.session_date, cycle.next_session_date, today, weeks, pre)
        )
    worn = wearing_off(curves)
    return PatientOutcomes(
        patient=patient,
        today=today,
        profile=profile,
        session_dates=sessions,
        summary=summary,
        overuse=overuse,
        curves=curves,
        wearing_off=worn,
        interval_suggestion=shorter_interval_suggestion(
            worn.detected, profile.shortened_interval_days
        ),
        schedule=treatment_schedule(sessions, today=today, profile=profile),
        stage=treatment_stage(sessions, today),
        questionnaires=questionnaires,
        urgent_side_effects=urgent,
        course_start=start,
        baseline_source=baseline_source,
        year_days=year,
    )


def outcome_summary_for(patient, *, today: date | None = None) -> PatientOutcomes:
    """The API's outcomes object (baseline, periods, response) plus overuse and
    wearing-off; alias of ``patient_outcomes`` without the alert look-ups."""
    return patient_outcomes(patient, today=today, with_alerts=False)


# =======================================================================================
# The baseline candidacy judges
# =======================================================================================


@dataclass(frozen=True)
class CandidacyBaseline:
    """The diary facts candidacy reads: the baseline period and the medication-overuse
    check over the 3 periods ending on its last day.

    With a signed session the baseline is the outcomes baseline itself (the 28 days
    before the first signed session); before any, it is provisional: the 28 days before
    ``today``."""

    period: rules.PeriodMetrics
    overuse: OveruseFlag
    provisional: bool

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def days_recorded(self) -> int:
        return self.period.days_recorded

    @property
    def headache_days(self) -> float | None:
        return self.period.headache_days

    @property
    def migraine_days(self) -> float | None:
        return self.period.migraine_days

    @property
    def sufficient(self) -> bool:
        return self.period.sufficient

    @property
    def medication_overuse(self) -> bool | None:
        """True when flagged; False when all 3 periods have enough recorded days and the
        threshold is not met in each; None (unknown) otherwise."""
        if self.overuse.flagged:
            return True
        if all(p.days_recorded >= rules.MIN_RECORDED_DAYS for p in self.overuse.periods):
            return False
        return None

    @property
    def medication_overuse_detail(self) -> str:
        return self.overuse.detail


def candidacy_baseline(patient, *, today: date) -> CandidacyBaseline:
    """The baseline and the overuse check candidacy judges, from the same counts (the
    same query and arithmetic) as ``patient_outcomes``' baseline. Two queries: session
    dates, diary counts."""
    sessions = _sessions_until(patient, today)
    anchor = course_start(sessions, new_baseline_lapse_days()) or today
    start, end = rules.baseline_window(anchor)
    rows = _diary_buckets(patient, [anchor], [], end)
    period, _source = _baseline_or_historical(
        patient,
        _period(rows, 0, start, end, as_of=today),
        first_course=not sessions or anchor == sessions[0],
    )
    return CandidacyBaseline(
        period=period,
        overuse=_overuse(rows, end),
        provisional=not sessions,
    )
