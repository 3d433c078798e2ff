"""Demo seed step for the diary app: each demo patient's daily diary follows their story
(baseline chronic migraine, then the response after each session), plus MIDAS/HIT-6
responses and a few side-effect reports. All synthetic; classified by the rules package.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.diary.services import DiaryEntry, diary_day_fields
from cadence.rules.diary import AcuteDrugClass, AcuteMedicationTaken, PeakSeverity
from cadence.rules.questionnaires import Hit6Answer, score_hit6, score_midas
from cadence.rules.side_effects import needs_clinic_alert
from cadence.treatments.models import Procedure

WORK_UP_DIARY_DAYS = 42  # "work-up patients just have a baseline diary for the last ~6 weeks"
MEAN_GAP_DAYS = 2.5  # unrecorded days come in short runs, not one at a time
MIGRAINE_SHARE = 0.8  # most headache days of chronic migraine are migraine days

TRIPTANS = ["Sumatriptan 50 mg", "Rizatriptan 10 mg", "Zolmitriptan 2.5 mg", "Eletriptan 40 mg"]
ANALGESICS = ["Ibuprofen 400 mg", "Paracetamol 1 g", "Naproxen 500 mg", "Aspirin 900 mg"]

# Headache frequency relative to baseline in each week after a session, by response.
_TARGET = {"responder": 0.3, "partial": 0.6, "non_responder": 0.95, "wearing_off": 0.35}


def _multiplier(response: str, days_since: int | None) -> float:
    """Headache days relative to baseline, `days_since` the latest session."""
    if days_since is None:
        return 1.0
    target = _TARGET.get(response, 1.0)
    week = days_since // 7 + 1
    if days_since < 10:  # relief starts within about a week, full from ~week 2
        return 1 - (1 - target) * days_since / 10
    if response == "wearing_off":
        if week <= 8:
            return target
        if week <= 12:  # headaches climb back in weeks 9-12
            return target + (0.9 - target) * (days_since - 56) / 28
        return 0.9
    if week > 13:  # overdue: the effect wanes
        return min(1.0, target + 0.04 * (week - 13))
    return target


def _headache_entry(rng, *, migraine: bool, triptan: str, analgesic: str) -> DiaryEntry:
    medicines: list[AcuteMedicationTaken] = []
    if migraine:
        if rng.random() < 0.6:
            medicines.append(
                AcuteMedicationTaken(triptan, AcuteDrugClass.triptan, rng.random() < 0.7)
            )
        if rng.random() < 0.35:
            medicines.append(
                AcuteMedicationTaken(analgesic, AcuteDrugClass.simple_analgesic, rng.random() < 0.3)
            )
        photo = rng.random() < 0.7
        return DiaryEntry(
            headache_hours=float(rng.choice([6, 8, 10, 12, 16, 24])),
            peak_severity=rng.choice(
                [PeakSeverity.moderate, PeakSeverity.severe, PeakSeverity.severe]
            ).value,
            unilateral=rng.random() < 0.6,
            pulsating=rng.random() < 0.7,
            worse_with_activity=rng.random() < 0.6,
            nausea=rng.random() < 0.6,
            vomiting=rng.random() < 0.15,
            photophobia=photo,
            phonophobia=photo and rng.random() < 0.8,
            aura=rng.random() < 0.12,
            missed_activity=rng.random() < 0.4,
            acute_medications=tuple(medicines),
        )
    if rng.random() < 0.5:
        medicines.append(
            AcuteMedicationTaken(analgesic, AcuteDrugClass.simple_analgesic, rng.random() < 0.6)
        )
    return DiaryEntry(
        headache_hours=float(rng.choice([4, 5, 6, 8])),
        peak_severity=rng.choice(
            [PeakSeverity.mild, PeakSeverity.mild, PeakSeverity.moderate]
        ).value,
        acute_medications=tuple(medicines),
    )


def _diary_rows(ctx, story) -> list[DiaryDay]:
    rng = ctx.rng
    start = (
        story.diary_start
        if story.session_dates
        else max(story.diary_start, ctx.today - timedelta(days=WORK_UP_DIARY_DAYS))
    )
    sessions = sorted(story.session_dates)
    triptan, analgesic = rng.choice(TRIPTANS), rng.choice(ANALGESICS)
    base_rate = story.baseline_headache_days / 28
    missing_share = 1 - story.diary_adherence
    leave_gap = 1 / MEAN_GAP_DAYS
    enter_gap = min(0.9, missing_share / (MEAN_GAP_DAYS * max(story.diary_adherence, 0.05)))
    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows: list[DiaryDay] = []
    in_gap = False
    on = start
    while on <= ctx.today:
        in_gap = (rng.random() >= leave_gap) if in_gap else (rng.random() < enter_gap)
        if in_gap:
            on += timedelta(days=1)
            continue
        index = bisect.bisect_right(sessions, on) - 1
        days_since = (on - sessions[index]).days if index >= 0 else None
        probability = min(0.95, base_rate * _multiplier(story.response, days_since))
        if rng.random() < probability:
            entry = _headache_entry(
                rng, migraine=rng.random() < MIGRAINE_SHARE, triptan=triptan, analgesic=analgesic
            )
        elif rng.random() < 0.1:  # a short, mild headache: not a headache day
            entry = DiaryEntry(
                headache_hours=float(rng.choice([1, 2, 3])), peak_severity=PeakSeverity.mild.value
            )
        else:
            entry = DiaryEntry()
        rows.append(
            DiaryDay(
                patient=story.patient,
                date=on,
                entered_by=story.login,
                created_at=min(now, datetime.combine(on, time(21, rng.randint(0, 59)), tzinfo=tz)),
                **diary_day_fields(entry),
            )
        )
        on += timedelta(days=1)
    return rows


def _midas_answers(rng, total: int) -> list[int]:
    weights = [rng.uniform(0.5, 1.5) for _ in range(5)]
    scale = total / sum(weights)
    return [min(90, max(0, round(w * scale))) for w in weights]


def _hit6_answers(rng, level: float) -> list[str]:
    options = list(Hit6Answer)
    return [
        options[max(0, min(4, round(level + rng.choice([-1, 0, 0, 1]))))].value for _ in range(6)
    ]


def _questionnaires(ctx, story) -> list[QuestionnaireResponse]:
    rng = ctx.rng
    if not story.session_dates:
        return []
    relative = _TARGET.get(story.response, 1.0)
    when = [(story.session_dates[0] - timedelta(days=3), 1.0)] + [
        (session - timedelta(days=2), relative) for session in story.session_dates[1:][-3:]
    ]
    baseline_midas = rng.randint(28, 70)
    baseline_hit6 = rng.uniform(3.2, 4.0)
    responses = []
    for completed_on, factor in when:
        midas_answers = _midas_answers(rng, round(baseline_midas * factor * rng.uniform(0.9, 1.1)))
        midas = score_midas(midas_answers)
        hit6_answers = _hit6_answers(rng, 1 + (baseline_hit6 - 1) * factor)
        hit6 = score_hit6(hit6_answers)
        responses.append(
            QuestionnaireResponse(
                patient=story.patient,
                instrument="MIDAS",
                completed_on=completed_on,
                answers=midas_answers,
                score=midas.score,
                grade=midas.grade,
                entered_by=story.login,
            )
        )
        responses.append(
            QuestionnaireResponse(
                patient=story.patient,
                instrument="HIT-6",
                completed_on=completed_on,
                answers=hit6_answers,
                score=hit6.score,
                band=hit6.band,
                entered_by=story.login,
            )
        )
    return responses


def _side_effect(story, procedures, *, effect, severity, onset_on, **extra) -> SideEffectReport:
    dates = procedures.get(story.patient.pk, [])
    earlier = [(on, pk) for on, pk in dates if on <= onset_on]
    return SideEffectReport(
        patient=story.patient,
        procedure_id=max(earlier)[1] if earlier else None,
        effect=effect,
        severity=severity,
        onset_on=onset_on,
        urgent=needs_clinic_alert(effect, severity),
        reported_by=story.login,
        created_at=min(
            timezone.now(),
            datetime.combine(onset_on, time(19, 0), tzinfo=timezone.get_current_timezone()),
        ),
        **extra,
    )


def seed(ctx) -> None:
    """Diary days, questionnaires and side-effect reports for every demo patient."""
    rng = ctx.rng
    days: list[DiaryDay] = []
    questionnaires: list[QuestionnaireResponse] = []
    for story in ctx.patients:
        days.extend(_diary_rows(ctx, story))
        questionnaires.extend(_questionnaires(ctx, story))
    DiaryDay.objects.bulk_create(days, batch_size=2000)
    QuestionnaireResponse.objects.bulk_create(questionnaires, batch_size=1000)

    procedures: dict[int, list[tuple[date, int]]] = {}
    for patient_id, performed_on, pk in Procedure.objects.filter(
        patient__in=[s.patient for s in ctx.patients]
    ).values_list("patient_id", "performed_on", "pk"):
        procedures.setdefault(patient_id, []).append((performed_on, pk))

    reports: list[SideEffectReport] = []
    nurse = ctx.staff.get("nurse")
    treated = [s for s in ctx.patients if s.session_dates]
    for story in treated:
        session = rng.choice(story.session_dates)
        if rng.random() < 0.25:
            onset = min(ctx.today, session + timedelta(days=rng.randint(1, 3)))
            reports.append(
                _side_effect(story, procedures, effect="neck_pain", severity="mild", onset_on=onset)
            )
        if rng.random() < 0.1:
            onset = min(ctx.today, session + timedelta(days=rng.randint(5, 10)))
            reports.append(
                _side_effect(
                    story, procedures, effect="eyelid_ptosis", severity="moderate", onset_on=onset
                )
            )
    if treated:
        # One urgent report still waiting (the demo's alert), one acknowledged long ago.
        recent = max(treated, key=lambda s: max(s.session_dates))
        onset = min(ctx.today, max(recent.session_dates) + timedelta(days=6))
        reports.append(
            _side_effect(
                recent, procedures, effect="double_vision", severity="moderate", onset_on=onset
            )
        )
        old = treated[-1]
        onset = min(ctx.today, min(old.session_dates) + timedelta(days=4))
        reports.append(
            _side_effect(
                old,
                procedures,
                effect="difficulty_swallowing",
                severity="mild",
                onset_on=onset,
                acknowledged_by=nurse,
                acknowledged_at=min(
                    timezone.now(),
                    datetime.combine(
                        onset + timedelta(days=1),
                        time(8, 30),
                        tzinfo=timezone.get_current_timezone(),
                    ),
                ),
            )
        )
    SideEffectReport.objects.bulk_create(reports)
