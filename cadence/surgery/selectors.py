"""Reads of the surgery app: the pain sketch, diagnostic injections and blocks, the
site-level response, PAINS, the operation and its outcomes, all from the diary and the
record (clinical rules in ``cadence.rules.surgery``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import DateField, F, FilteredRelation, Q
from django.db.models.functions import Cast
from django.http import Http404

from cadence.candidacy.selectors import candidacy_for
from cadence.diary.models import DiaryDay
from cadence.outcomes.selectors.patient import (
    PreventiveTrialLine,
    diagnosis_for,
    patient_outcomes,
    preventive_trials_for,
    procedures_for_report,
)
from cadence.rules.outcomes import PERIOD_DAYS, exact_count, exact_per_period, response_status
from cadence.rules.pain_regions import PAIN_REGION_LABELS, PainRegion, pain_map
from cadence.rules.surgery import (
    SURGERY_FOLLOW_UP_MONTHS,
    SURGERY_SUCCESS_PERCENT,
    TRIGGER_SITES,
    Attack,
    MhiResult,
    Pains,
    SiteDay,
    SiteResponse,
    SketchShare,
    TriggerSite,
    mhi_from_attacks,
    operation_windows,
    pains,
    percent_fewer,
    site_response,
    sketch_shares,
    surgery_change,
)
from cadence.surgery.models import (
    DiagnosticTarget,
    NerveBlock,
    NoteStatus,
    SurgicalOperation,
    SurgicalWorkup,
)
from cadence.treatments.models import Procedure, ProcedureStatus, TreatmentPlan


def trigger_sites() -> list[dict]:
    """The trigger sites as the API lists them."""
    return [
        {
            "code": code.value,
            "numeral": spec.numeral,
            "name": spec.name,
            "nerves": list(spec.nerves),
            "regions": sorted(r.value for r in spec.regions),
            "muscles": sorted(m.value for m in spec.muscles),
            "injectable": spec.injectable,
        }
        for code, spec in TRIGGER_SITES.items()
    ]


# --- the diary, as the rules read it ----------------------------------------------------
def site_days(patient, start: date, end: date) -> list[SiteDay]:
    rows = DiaryDay.objects.filter(patient=patient, date__range=(start, end)).values_list(
        "date", "is_headache_day", "pain_regions"
    )
    return [
        SiteDay(on, bool(headache), None if regions is None else frozenset(regions))
        for on, headache, regions in rows
    ]


@dataclass(frozen=True)
class Sketch:
    start: date
    end: date
    days_recorded: int  # located days: no headache, or a headache with its regions
    headache_days: int
    unlocated_days: int
    shares: dict[TriggerSite, SketchShare]
    regions: dict[PainRegion, int]

    def rows(self) -> list[dict]:
        rows = []
        for code, share in self.shares.items():
            spec = TRIGGER_SITES[code]
            rows.append(
                {
                    "trigger_site": code.value,
                    "label": spec.label,
                    "headache_days": share.headache_days,
                    "located_days": share.located_days,
                    "share": share.share,
                    "percent": None if share.share is None else round(float(share.share) * 100),
                }
            )
        return rows


def sketch_for(patient, *, today: date) -> Sketch:
    """The pain sketch: the last 28 days (to today) of the diary."""
    start = today - timedelta(days=PERIOD_DAYS - 1)
    days = site_days(patient, start, today)
    unlocated = sum(1 for d in days if d.is_headache_day and not d.pain_regions)
    return Sketch(
        start=start,
        end=today,
        days_recorded=len(days) - unlocated,
        headache_days=sum(1 for d in days if d.is_headache_day),
        unlocated_days=unlocated,
        shares=sketch_shares(days),
        regions=pain_map(d.pain_regions for d in days if d.is_headache_day),
    )


def region_labels() -> dict[str, str]:
    return {r.value: label for r, label in PAIN_REGION_LABELS.items()}


# --- diagnostic injections and blocks ---------------------------------------------------
@dataclass(frozen=True)
class DiagnosticInjection:
    trigger_site: TriggerSite
    side: str
    injected_on: date
    kind: str  # "botox" (a targeted plan's signed session) or "nerve_block"
    what: str


def diagnostic_injections(patient) -> list[DiagnosticInjection]:
    """Signed sessions of plans marked diagnostic, and signed diagnostic nerve blocks,
    oldest first."""
    found: list[DiagnosticInjection] = []
    targets = DiagnosticTarget.objects.filter(plan__patient=patient)
    sessions: dict[int, list[date]] = {}
    for plan_id, on in Procedure.objects.filter(
        patient=patient, plan_id__in=targets.values("plan_id"), status=ProcedureStatus.SIGNED
    ).values_list("plan_id", "performed_on"):
        sessions.setdefault(plan_id, []).append(on)
    for target in targets:
        for on in sessions.get(target.plan_id, []):
            found.append(
                DiagnosticInjection(
                    TriggerSite(target.trigger_site),
                    target.side,
                    on,
                    "botox",
                    f"targeted Botox (plan {target.plan_id})",
                )
            )
    for block in NerveBlock.objects.filter(
        patient=patient, diagnostic=True, status=NoteStatus.SIGNED
    ):
        found.append(
            DiagnosticInjection(
                TriggerSite(block.trigger_site),
                block.side,
                block.performed_on,
                "nerve_block",
                f"{block.nerve} block ({block.agent}, {block.volume_ml} mL)",
            )
        )
    return sorted(found, key=lambda d: (d.injected_on, d.kind))


@dataclass(frozen=True)
class SiteLine:
    injection: DiagnosticInjection
    response: SiteResponse


def site_responses(patient, *, today: date) -> list[SiteLine]:
    """For each trigger site and side, the response to its latest diagnostic injection or
    block (site I first)."""
    latest: dict[tuple[TriggerSite, str], DiagnosticInjection] = {}
    for injection in diagnostic_injections(patient):
        latest[(injection.trigger_site, injection.side)] = injection
    if not latest:
        return []
    first = min(i.injected_on for i in latest.values()) - timedelta(days=PERIOD_DAYS)
    last = max(i.injected_on for i in latest.values()) + timedelta(days=PERIOD_DAYS)
    days = site_days(patient, first, last)
    order = list(TriggerSite)
    lines = []
    for (site, side), injection in sorted(
        latest.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])
    ):
        response = site_response(
            days,
            trigger_site=site,
            side=side,
            injected_on=injection.injected_on,
            as_of=today,
            responder_percent=settings.CADENCE_SURGERY_SITE_RESPONSE_PERCENT,
        )
        lines.append(SiteLine(injection, response))
    return lines


# --- PAINS ---------------------------------------------------------------------------------
def latest_workup(patient) -> SurgicalWorkup | None:
    return SurgicalWorkup.objects.filter(patient=patient).order_by("-recorded_on", "-id").first()


@dataclass(frozen=True)
class SurgeryEvaluation:
    patient: object
    today: date
    sketch: Sketch
    sites: list[SiteLine]
    workup: SurgicalWorkup | None
    pains: Pains
    candidate_site: TriggerSite | None = None
    extra: dict = field(default_factory=dict)


def _site_under_evaluation(workup, sites: list[SiteLine], sketch: Sketch) -> TriggerSite | None:
    if workup is not None and workup.trigger_site:
        return TriggerSite(workup.trigger_site)
    for line in sites:
        if line.response.responded:
            return line.response.trigger_site
    ranked = [
        s for s in sketch.shares.values() if s.share and TRIGGER_SITES[s.trigger_site].injectable
    ]
    if ranked:
        return max(ranked, key=lambda s: s.share).trigger_site
    return None


def evaluation_for(patient, *, today: date) -> SurgeryEvaluation:
    """Everything the evaluation page, the packet and the API show."""
    sketch = sketch_for(patient, today=today)
    sites = site_responses(patient, today=today)
    workup = latest_workup(patient)
    site = _site_under_evaluation(workup, sites, sketch)
    neurologist = next(
        (
            c
            for c in candidacy_for(patient, today=today).result.criteria
            if c.code == "neurologist_diagnosis"
        ),
        None,
    )
    result = pains(
        trigger_site=site,
        pain_point=workup.pain_point if workup and workup.trigger_site == (site or "") else None,
        pain_point_site=workup.trigger_site if workup else None,
        symptoms=workup.appropriate_symptoms
        if workup and workup.trigger_site == (site or "")
        else None,
        symptoms_detail=workup.symptoms if workup else "",
        responses=[line.response for line in sites],
        neurologist=(neurologist.met, neurologist.detail)
        if neurologist
        else (None, "unknown: no diagnosis recorded"),
        sketch=sketch.shares,
        sketch_days_recorded=sketch.days_recorded,
        sketch_min_share=Fraction(settings.CADENCE_SURGERY_SKETCH_MIN_PERCENT, 100),
    )
    return SurgeryEvaluation(patient, today, sketch, sites, workup, result, site)


def site_line_as_dict(line: SiteLine) -> dict:
    r = line.response
    return {
        "trigger_site": r.trigger_site.value,
        "side": r.side,
        "injected_on": r.injected_on,
        "kind": line.injection.kind,
        "what": line.injection.what,
        "days_before": r.before.shown,
        "days_after": r.after.shown,
        "recorded_days_before": r.before.days_recorded,
        "recorded_days_after": r.after.days_recorded,
        "percent_fewer": None if r.percent_fewer is None else round(float(r.percent_fewer), 1),
        "responded": r.responded,
        "detail": r.reason,
    }


def evaluation_as_dict(evaluation: SurgeryEvaluation) -> dict:
    return {
        "trigger_site": evaluation.pains.trigger_site.value
        if evaluation.pains.trigger_site
        else None,
        "candidate": evaluation.pains.candidate,
        "criteria": [
            {"code": c.code, "met": c.met, "detail": c.detail} for c in evaluation.pains.criteria
        ],
        "sites": [site_line_as_dict(line) for line in evaluation.sites],
        "sketch": {
            "start": evaluation.sketch.start,
            "end": evaluation.sketch.end,
            "days_recorded": evaluation.sketch.days_recorded,
            "shares": [
                {k: v for k, v in row.items() if k != "share"} for row in evaluation.sketch.rows()
            ],
        },
    }


# --- nerve blocks ---------------------------------------------------------------------------
def nerve_blocks_for(patient):
    return NerveBlock.objects.filter(patient=patient).order_by("-performed_on", "-id")


def nerve_block_for(patient, block_id) -> NerveBlock:
    try:
        return NerveBlock.objects.prefetch_related("amendments").get(
            patient=patient, pk=int(block_id)
        )
    except (NerveBlock.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such nerve block.") from None


def diagnostic_plans(patient) -> list[dict]:
    """The patient's targeted plans with their diagnostic targets."""
    plans = TreatmentPlan.objects.filter(patient=patient, template="custom").prefetch_related(
        "diagnostic_targets", "sites__site"
    )
    return [
        {
            "plan": plan,
            "sites": [ps.site.code for ps in plan.sites.all()],
            "targets": list(plan.diagnostic_targets.all()),
        }
        for plan in plans
    ]


def plan_for_patient(patient, plan_id) -> TreatmentPlan:
    try:
        return TreatmentPlan.objects.get(patient=patient, pk=int(plan_id))
    except (TreatmentPlan.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such plan.") from None


# --- the operation and its outcomes -------------------------------------------------------
def operations_for(patient):
    return SurgicalOperation.objects.filter(patient=patient).order_by("-performed_on", "-id")


def _attacks(rows) -> list[Attack]:
    attacks = []
    for on, headache, hours, severity, listed in rows:
        if listed:
            for item in listed:
                try:
                    start = datetime.fromisoformat(str(item.get("started_at")))
                    end_raw = item.get("ended_at")
                    end = datetime.fromisoformat(str(end_raw)) if end_raw else None
                except (TypeError, ValueError, AttributeError):
                    continue
                start, end = start.replace(tzinfo=None), end.replace(tzinfo=None) if end else None
                attacks.append(Attack(start, end, str(item.get("peak_severity") or severity)))
        elif headache:
            start = datetime.combine(on, time())
            attacks.append(Attack(start, start + timedelta(hours=float(hours)), severity))
    return attacks


@dataclass(frozen=True)
class OutcomeWindow:
    months: int | None  # None: the pre-operative baseline
    start: date
    end: date
    ended: bool
    days_recorded: int
    headache_days: Fraction | None
    mhi: MhiResult
    headache_change: Fraction | None = None  # percent fewer than the baseline
    mhi_change: Fraction | None = None
    success: bool | None = None

    @property
    def label(self) -> str:
        return "Before the operation" if self.months is None else f"{self.months} months"

    @property
    def headache_days_shown(self):
        return None if self.headache_days is None else round(float(self.headache_days), 1)

    @property
    def headache_change_shown(self):
        return None if self.headache_change is None else round(float(self.headache_change), 1)

    @property
    def mhi_change_shown(self):
        return None if self.mhi_change is None else round(float(self.mhi_change), 1)


DIARY_OUTCOME_COLUMNS = ("date", "is_headache_day", "headache_hours", "peak_severity", "attacks")


def _window(rows, months, start: date, end: date, today: date) -> OutcomeWindow:
    """One window from the patient's diary rows (``DIARY_OUTCOME_COLUMNS``) that fall in it."""
    rows = [r for r in rows if start <= r[0] <= end]
    recorded = len(rows)
    headache = sum(1 for r in rows if r[1])
    result = mhi_from_attacks(
        _attacks(rows),
        days_recorded=recorded,
        period_end=datetime.combine(end + timedelta(days=1), time()),
    )
    return OutcomeWindow(
        months, start, end, today > end, recorded, exact_per_period(headache, recorded), result
    )


def outcomes_from_rows(performed_on: date, rows, *, today: date) -> list[OutcomeWindow]:
    """The one owner of the response after surgery: the baseline (28 days before the
    operation) and the 3, 6 and 12 month windows from the patient's diary ``rows``, each
    against the baseline: headache days and MHI, percent fewer; "success" at
    ``SURGERY_SUCCESS_PERCENT`` fewer headache days, decided on exact values. The
    patient's page, the API, the clinic page and the clinic report all come here."""
    windows = operation_windows(performed_on)
    baseline = _window(rows, None, *windows[None], today)
    result = [baseline]
    for months, (start, end) in windows.items():
        if months is None:
            continue
        w = _window(rows, months, start, end, today)
        change = surgery_change(
            ended=w.ended,
            baseline_headache_days=baseline.headache_days,
            headache_days=w.headache_days,
            baseline_mhi=baseline.mhi.value,
            mhi_value=w.mhi.value,
        )
        result.append(
            OutcomeWindow(
                w.months,
                w.start,
                w.end,
                w.ended,
                w.days_recorded,
                w.headache_days,
                w.mhi,
                change.headache_change,
                change.mhi_change,
                change.success,
            )
        )
    return result


def _outcome_span(performed_on: date) -> tuple[date, date]:
    windows = operation_windows(performed_on).values()
    return min(w[0] for w in windows), max(w[1] for w in windows)


def surgery_outcomes(operation: SurgicalOperation, *, today: date) -> list[OutcomeWindow]:
    """The operation's windows (``outcomes_from_rows``), from one read of the diary."""
    rows = list(
        DiaryDay.objects.filter(
            patient_id=operation.patient_id, date__range=_outcome_span(operation.performed_on)
        ).values_list(*DIARY_OUTCOME_COLUMNS)
    )
    return outcomes_from_rows(operation.performed_on, rows, today=today)


#: Days after the operation its last window can reach (12 months end before the day
#: 12 months on, at most 366 days later); the clinic read takes the diary this far.
OUTCOME_SPAN_AFTER_DAYS = 366


def clinic_operation_outcomes(*, today: date) -> list[tuple[SurgicalOperation, list]]:
    """Every operation of the clinic with its windows (``outcomes_from_rows``), in one
    query whatever their number: each operation joined to its patient's diary days from
    28 days before it to ``OUTCOME_SPAN_AFTER_DAYS`` after (the dashboard's budget)."""
    around = FilteredRelation(
        "patient__diary_days",
        condition=Q(
            patient__diary_days__date__gte=Cast(
                F("performed_on") - timedelta(days=PERIOD_DAYS), DateField()
            ),
            patient__diary_days__date__lte=Cast(
                F("performed_on") + timedelta(days=OUTCOME_SPAN_AFTER_DAYS), DateField()
            ),
        ),
    )
    columns = [f"around__{c}" for c in DIARY_OUTCOME_COLUMNS]
    found: dict[int, tuple[SurgicalOperation, list]] = {}
    for pk, patient_id, performed_on, sites, *row in (
        SurgicalOperation.objects.alias(around=around)
        .order_by("performed_on", "id")
        .values_list("id", "patient_id", "performed_on", "sites", *columns)
    ):
        if pk not in found:
            operation = SurgicalOperation(
                pk=pk, patient_id=patient_id, performed_on=performed_on, sites=sites
            )
            found[pk] = (operation, [])
        if row[0] is not None:
            found[pk][1].append(tuple(row))
    return [
        (op, outcomes_from_rows(op.performed_on, rows, today=today)) for op, rows in found.values()
    ]


def outcome_window_as_dict(w: OutcomeWindow) -> dict:
    return {
        "months": w.months,
        "start": w.start,
        "end": w.end,
        "ended": w.ended,
        "days_recorded": w.days_recorded,
        "headache_days": w.headache_days_shown,
        "mhi": w.mhi.shown,
        "mhi_detail": w.mhi.detail,
        "headache_days_percent_fewer": w.headache_change_shown,
        "mhi_percent_fewer": w.mhi_change_shown,
        "success": w.success,
    }


# --- the packet -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CourseLine:
    """One Botox session with the response of its cycle: the last complete 28-day period
    before the next session (or to today), against the course's baseline."""

    performed_on: date
    total_units: float | None
    headache_days: float | None
    percent_fewer: float | None
    status: str


STATUS_WORDS = {
    "responder": "responder",
    "partial": "partial response",
    "non_responder": "no response",
    "insufficient_data": "not measurable",
}


def botox_history(patient, *, today: date) -> tuple[list[CourseLine], object]:
    """Each signed Botox session with its cycle's response (exact values, as outcomes
    decide), and the outcome summary (baseline, periods)."""
    outcome = patient_outcomes(patient, today=today, with_alerts=False)
    summary = outcome.summary
    sessions = procedures_for_report(patient)
    dates = [s.performed_on for s in sessions]
    lines = []
    baseline = exact_count(summary.baseline) if summary.baseline is not None else None
    for i, session in enumerate(sessions):
        until = dates[i + 1] if i + 1 < len(dates) else today + timedelta(days=1)
        periods = [
            p
            for p in summary.periods
            if p.start >= session.performed_on
            and p.end < until
            and p.complete
            and p.headache_days is not None
        ]
        if not periods or baseline is None:
            lines.append(
                CourseLine(session.performed_on, session.total_units, None, None, "not measurable")
            )
            continue
        last = periods[-1]
        follow = exact_count(last)
        status = response_status(baseline, follow)
        fewer = None if not baseline else round(float(percent_fewer(baseline, follow)), 1)
        lines.append(
            CourseLine(
                session.performed_on,
                session.total_units,
                last.headache_days,
                fewer,
                STATUS_WORDS.get(str(status), str(status)),
            )
        )
    return lines, summary


def medication_history(patient) -> list[PreventiveTrialLine]:
    return preventive_trials_for(patient)


def diagnosis(patient):
    return diagnosis_for(patient)


@dataclass(frozen=True)
class ClinicSurgeryLine:
    months: int
    operations: int  # operations whose window has ended
    patients: int  # patients with at least one of them
    measured: int  # ... with enough diary before and after
    successes: int  # ... with at least SURGERY_SUCCESS_PERCENT fewer headache days
    mhi_measured: int = 0  # ... whose MHI could be compared with the baseline
    mhi_change: Fraction | None = None  # mean percent fewer MHI than before (exact)

    @property
    def success_percent(self) -> float | None:
        return None if not self.measured else round(100 * self.successes / self.measured, 1)

    @property
    def mhi_change_shown(self) -> float | None:
        return None if self.mhi_change is None else round(float(self.mhi_change), 1)


@dataclass(frozen=True)
class ClinicSurgeryReport:
    """Outcomes after surgery across the clinic: the operations by trigger site and, at
    3, 6 and 12 months, the follow-up, the share of successes and the MHI change."""

    operation_count: int
    patient_count: int
    by_site: list[dict]  # {"trigger_site", "label", "operations"}, sites I-VI in order
    lines: list[ClinicSurgeryLine]
    success_percent_threshold: int = SURGERY_SUCCESS_PERCENT


def clinic_surgery_report(*, today: date) -> ClinicSurgeryReport:
    """The clinic's operations and their outcomes (``outcomes_from_rows``: the same
    windows and the same success as each patient's page), in two queries."""
    every = clinic_operation_outcomes(today=today)
    site_counts: dict[str, int] = {}
    for operation, _ in every:
        for code in {s.get("trigger_site") for s in operation.sites or []}:
            site_counts[code] = site_counts.get(code, 0) + 1
    by_site = [
        {"trigger_site": code.value, "label": spec.label, "operations": site_counts[code.value]}
        for code, spec in TRIGGER_SITES.items()
        if site_counts.get(code.value)
    ]
    lines = []
    for months in SURGERY_FOLLOW_UP_MONTHS:
        ended = [
            (op, w) for op, windows in every for w in windows if w.months == months and w.ended
        ]
        measured = [w for _, w in ended if w.success is not None]
        mhi = [w.mhi_change for _, w in ended if w.mhi_change is not None]
        lines.append(
            ClinicSurgeryLine(
                months=months,
                operations=len(ended),
                patients=len({op.patient_id for op, _ in ended}),
                measured=len(measured),
                successes=sum(1 for w in measured if w.success),
                mhi_measured=len(mhi),
                mhi_change=sum(mhi, Fraction(0)) / len(mhi) if mhi else None,
            )
        )
    return ClinicSurgeryReport(
        operation_count=len(every),
        patient_count=len({op.patient_id for op, _ in every}),
        by_site=by_site,
        lines=lines,
    )


def clinic_surgery_outcomes(*, today: date) -> list[ClinicSurgeryLine]:
    """Across the clinic: at 3, 6 and 12 months, how many operations could be measured
    and how many were a success (at least 50% fewer headache days than before)."""
    return clinic_surgery_report(today=today).lines
