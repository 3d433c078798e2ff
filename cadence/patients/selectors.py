"""Reads of patient records, and candidacy built from the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Min, Q, QuerySet

from cadence.patients.models import (
    CandidacyDecision,
    Diagnosis,
    MedicalHistory,
    Patient,
    PayerProfile,
    PreventiveTrial,
    answer_as_bool,
)
from cadence.rules import candidacy as rules
from cadence.rules.diary import AcuteDrugClass, DayClassification
from cadence.rules.outcomes import (
    MIN_RECORDED_DAYS,
    OVERUSE_PERIODS,
    PERIOD_DAYS,
    RecordedDay,
    baseline_window,
    medication_overuse,
    period_metrics,
)
from cadence.rules.payer import DEFAULT_PAYER_PROFILE
from cadence.rules.payer import PayerProfile as PayerRules

PAGE_SIZE = 25


def default_payer_profile() -> PayerProfile | None:
    return PayerProfile.objects.filter(is_default=True).first()


def payer_profile_for(patient) -> PayerRules:
    """The payer rules that apply to this patient (minimum preventive classes, minimum
    re-treatment interval, responder rule): the patient's own payer profile, else the
    clinic's default profile, else clinic-reference.md's defaults."""
    profile = patient.payer_profile if getattr(patient, "payer_profile_id", None) else None
    if profile is None:
        profile = default_payer_profile()
    return profile.as_rules() if profile is not None else DEFAULT_PAYER_PROFILE


def patient_search(
    *, query: str = "", queryset: QuerySet[Patient] | None = None
) -> QuerySet[Patient]:
    """Patients whose name, email or phone contains each word of the query."""
    patients = queryset if queryset is not None else Patient.objects.all()
    for word in query.split():
        patients = patients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return patients.order_by("last_name", "first_name", "id")


def history_for(patient: Patient) -> MedicalHistory:
    """The patient's medical history (an unsaved empty one when none was taken yet)."""
    history = MedicalHistory.objects.filter(patient=patient).first()
    return history if history is not None else MedicalHistory(patient=patient)


def latest_diagnosis(patient: Patient) -> Diagnosis | None:
    return Diagnosis.objects.filter(patient=patient).select_related("recorded_by").first()


def latest_decision(patient: Patient) -> CandidacyDecision | None:
    return CandidacyDecision.objects.filter(patient=patient).select_related("decided_by").first()


def preventive_trials_for(patient: Patient) -> QuerySet[PreventiveTrial]:
    return PreventiveTrial.objects.filter(patient=patient).order_by("start", "id")


def first_procedure_date(patient: Patient) -> date | None:
    """The date of the patient's first treatment session, if any (treatments app)."""
    from django.apps import apps

    try:
        procedure_model = apps.get_model("treatments", "Procedure")
    except LookupError:  # pragma: no cover - the treatments app is always installed
        return None
    return procedure_model.objects.filter(patient=patient).aggregate(first=Min("performed_on"))[
        "first"
    ]


@dataclass(frozen=True)
class DiaryBaseline:
    start: date
    end: date
    days_recorded: int
    headache_days: float | None
    migraine_days: float | None
    medication_overuse: bool | None
    medication_overuse_detail: str

    @property
    def sufficient(self) -> bool:
        return self.headache_days is not None


def _recorded_days(patient: Patient, start: date, end: date) -> list[RecordedDay]:
    from cadence.diary.models import DiaryDay

    rows = DiaryDay.objects.filter(patient=patient, date__gte=start, date__lte=end).values_list(
        "date",
        "is_headache_day",
        "is_migraine_day",
        "is_probable_migraine_day",
        "is_moderate_severe_day",
        "is_acute_medication_day",
        "is_triptan_day",
        "is_treated_day",
        "headache_hours",
        "acute_medications",
    )
    days = []
    valid_classes = {c.value for c in AcuteDrugClass}
    for on, hd, md, pmd, msd, amd, td, treated, hours, medicines in rows:
        classes = frozenset(
            AcuteDrugClass(m.get("drug_class"))
            for m in (medicines or [])
            if isinstance(m, dict) and m.get("drug_class") in valid_classes
        )
        days.append(
            RecordedDay(
                on=on,
                classification=DayClassification(
                    is_headache_day=hd,
                    is_migraine_day=md,
                    is_probable_migraine_day=pmd,
                    is_moderate_severe_day=msd,
                    is_acute_medication_day=amd,
                    is_triptan_day=td,
                    is_treated_day=treated,
                ),
                headache_hours=float(hours or 0),
                acute_drug_classes=classes,
            )
        )
    return days


def diary_baseline(patient: Patient, *, today: date) -> DiaryBaseline:
    """The 28 diary days before the first procedure (or before today when there is none),
    with the medication-overuse check over the 3 periods ending on the baseline's last day."""
    anchor = first_procedure_date(patient) or today
    start, end = baseline_window(anchor)
    overuse_start = end - timedelta(days=PERIOD_DAYS * OVERUSE_PERIODS - 1)
    days = _recorded_days(patient, overuse_start, end)
    metrics = period_metrics(days, start, end)
    overuse = medication_overuse(days, end)
    if overuse.flagged:
        overuse_value: bool | None = True
    elif all(p.days_recorded >= MIN_RECORDED_DAYS for p in overuse.periods):
        overuse_value = False
    else:
        overuse_value = None
    return DiaryBaseline(
        start=start,
        end=end,
        days_recorded=metrics.days_recorded,
        headache_days=metrics.headache_days,
        migraine_days=metrics.migraine_days,
        medication_overuse=overuse_value,
        medication_overuse_detail=overuse.detail,
    )


@dataclass(frozen=True)
class Candidacy:
    result: rules.CandidacyResult
    profile: PayerRules
    baseline: DiaryBaseline
    chronic_source: rules.ChronicSource | None
    decision: CandidacyDecision | None
    age: int


def candidacy_facts(patient: Patient, *, today: date) -> tuple[rules.CandidacyFacts, DiaryBaseline]:
    """Everything the candidacy rule needs, read from the patient's record."""
    history = history_for(patient)
    baseline = diary_baseline(patient, today=today)
    if baseline.sufficient:
        source: rules.ChronicSource | None = rules.ChronicSource.diary
        headache_days, migraine_days = baseline.headache_days, baseline.migraine_days
    else:
        headache_days, migraine_days = (
            history.headache_days_per_month,
            history.migraine_days_per_month,
        )
        has_history = any(
            v is not None for v in (headache_days, migraine_days, history.months_with_pattern)
        )
        source = rules.ChronicSource.history if has_history else None
    diagnosis = latest_diagnosis(patient)
    trials = [
        rules.PreventiveTrial(
            drug=t.drug, drug_class=t.drug_class, outcome=t.outcome, start=t.start, end=t.end
        )
        for t in preventive_trials_for(patient)
    ]
    facts = rules.CandidacyFacts(
        age=patient.age_on(today),
        headache_days_per_month=headache_days,
        migraine_days_per_month=migraine_days,
        months_with_chronic_pattern=history.months_with_pattern,
        chronic_source=source,
        neurologist_confirmed=diagnosis.confirmed_by_neurologist if diagnosis else None,
        icd10_code=diagnosis.icd10_code if diagnosis else None,
        preventive_trials=trials if (trials or history.preventive_history_taken) else None,
        contraindications=rules.Contraindications(
            infection_at_site=answer_as_bool(history.infection_at_site),
            hypersensitivity=answer_as_bool(history.hypersensitivity),
        ),
        warnings=rules.Warnings(
            neuromuscular_disease=answer_as_bool(history.neuromuscular_disease),
            aminoglycosides=answer_as_bool(history.aminoglycosides),
            swallowing_or_breathing_difficulty=answer_as_bool(
                history.swallowing_or_breathing_difficulty
            ),
            pregnant_or_breastfeeding=answer_as_bool(history.pregnant_or_breastfeeding),
        ),
        medication_overuse=baseline.medication_overuse,
    )
    return facts, baseline


def candidacy_for(patient: Patient, *, today: date) -> Candidacy:
    """Evaluate candidacy (cadence.rules.candidacy) from the patient's record."""
    facts, baseline = candidacy_facts(patient, today=today)
    decision = latest_decision(patient)
    profile = payer_profile_for(patient)
    result = rules.evaluate_candidacy(
        facts, profile, age_override_reason=decision.age_override_reason if decision else None
    )
    return Candidacy(
        result=result,
        profile=profile,
        baseline=baseline,
        chronic_source=facts.chronic_source,
        decision=decision,
        age=facts.age or 0,
    )


def candidacy_as_dict(candidacy: Candidacy) -> dict:
    """The API contract's Candidacy object (plus a few explanatory extras)."""
    result = candidacy.result
    return {
        "eligible": result.eligible,
        "criteria": [{"code": c.code, "met": c.met, "detail": c.detail} for c in result.criteria],
        "flags": [{"code": f.code, "detail": f.detail} for f in result.flags],
        "alternatives": [
            {"code": a.code, "label": a.label, "detail": a.detail} for a in result.alternatives
        ],
        "unanswered_screening": list(result.unanswered_screening),
        "payer_profile": candidacy.profile.name,
        "chronic_source": str(candidacy.chronic_source) if candidacy.chronic_source else None,
    }
