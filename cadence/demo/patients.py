"""Demo seed step for the patients app: payer profiles, diagnoses, histories, checklists,
preventive trials and candidacy decisions, following each demo patient's story."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cadence.patients.models import (
    Answer,
    CandidacyDecision,
    DecisionChoice,
    Diagnosis,
    MedicalHistory,
    Patient,
    PayerProfile,
    PreventiveTrial,
    TrialOutcome,
)

NEUROLOGISTS = [
    "Dr Helena Marsh (neurology)",
    "Dr Kwame Asante (neurology)",
    "Dr Lucia Ferrante (neurology)",
]
REFERRERS = [
    "Dr Ben Ortiz, Maple Family Practice",
    "Dr Anna Sato, Riverside Clinic",
    "Self-referral",
]
ORAL_DRUGS = [
    ("topiramate", "antiepileptic", "100 mg daily"),
    ("propranolol", "beta_blocker", "80 mg twice daily"),
    ("amitriptyline", "tricyclic", "25 mg at night"),
    ("venlafaxine", "snri", "150 mg daily"),
    ("candesartan", "arb_ace_inhibitor", "16 mg daily"),
    ("flunarizine", "calcium_channel_blocker", "10 mg at night"),
]
FAILED = [TrialOutcome.INEFFECTIVE, TrialOutcome.INEFFECTIVE, TrialOutcome.NOT_TOLERATED]
CHECKLIST = (
    "infection_at_site",
    "hypersensitivity",
    "neuromuscular_disease",
    "aminoglycosides",
    "swallowing_or_breathing_difficulty",
    "pregnant_or_breastfeeding",
)


def seed(ctx) -> None:
    strict, _ = PayerProfile.objects.get_or_create(
        name="Northstar Health (3 classes)",
        defaults={
            "min_preventive_classes": 3,
            "min_interval_days": 84,
            "responder_rule": "percent_50",
            "review_weeks": 24,
        },
    )
    wearing_off, _ = PayerProfile.objects.get_or_create(
        name="Lakeside Mutual (wearing-off 10 weeks)",
        defaults={
            "min_preventive_classes": 2,
            "min_interval_days": 84,
            "responder_rule": "fewer_7_days",
            "shortened_interval_days": 70,
            "review_weeks": 24,
        },
    )
    rng = ctx.rng
    clinicians = ctx.clinicians()
    tz = timezone.get_current_timezone()
    histories, diagnoses, trials, decisions, changed = [], [], [], [], []
    for index, story in enumerate(ctx.patients):
        patient = story.patient
        slot = index % 60
        anchor = story.session_dates[0] if story.session_dates else ctx.today
        work_up = not story.session_dates
        patient.referring_clinician = REFERRERS[index % len(REFERRERS)]
        if story.response == "wearing_off":
            patient.payer_profile = wearing_off
        elif index % 9 == 5:
            patient.payer_profile = strict
        changed.append(patient)

        history_taken = not (work_up and slot == 7)
        headache_days = story.baseline_headache_days
        histories.append(
            MedicalHistory(
                patient=patient,
                headache_days_per_month=headache_days if history_taken else None,
                migraine_days_per_month=max(8, headache_days - rng.randint(4, 9))
                if history_taken
                else None,
                months_with_pattern=rng.randint(6, 60) if history_taken else None,
                medical_history="Migraine since adolescence; chronic pattern for several years."
                if history_taken
                else "",
                current_medicines="Sumatriptan 50 mg as needed; ibuprofen 400 mg as needed."
                if history_taken
                else "",
                preventive_history_taken=history_taken,
                updated_by=clinicians[0],
                **{name: (Answer.NO if history_taken else Answer.UNKNOWN) for name in CHECKLIST},
            )
        )
        if history_taken and slot == 2:  # flags to show on the candidacy page
            histories[-1].pregnant_or_breastfeeding = Answer.UNKNOWN
            histories[-1].aminoglycosides = Answer.YES
        if not (work_up and slot in (6, 7)):
            diagnoses.append(
                Diagnosis(
                    patient=patient,
                    icd10_code=rng.choice(["G43.709", "G43.709", "G43.719", "G43.711"]),
                    neurologist=NEUROLOGISTS[index % len(NEUROLOGISTS)],
                    confirmed_by_neurologist=True,
                    confirmed_on=anchor - timedelta(days=rng.randint(40, 200)),
                    recorded_by=clinicians[0],
                )
            )
        if history_taken:
            count = rng.randint(2, 4)
            if patient.payer_profile_id == strict.pk:
                count = 3
            if work_up and slot == 4:  # candidacy shows "not met": one class only
                count = 1
            if work_up and slot == 5:  # "not met" against the stricter 3-class payer
                patient.payer_profile, count = strict, 2
            start = anchor - timedelta(days=rng.randint(500, 900))
            for drug, drug_class, dose in rng.sample(ORAL_DRUGS, count):
                outcome = rng.choice(FAILED)
                months = (
                    rng.randint(2, 6) if outcome == TrialOutcome.INEFFECTIVE else rng.randint(0, 1)
                )
                end = start + timedelta(days=30 * months + rng.randint(5, 20))
                trials.append(
                    PreventiveTrial(
                        patient=patient,
                        drug=drug,
                        drug_class=drug_class,
                        dose=dose,
                        start=start,
                        end=end,
                        outcome=outcome,
                        recorded_by=clinicians[0],
                    )
                )
                start = end + timedelta(days=rng.randint(20, 60))
        if story.session_dates:
            decided_on = anchor - timedelta(days=rng.randint(7, 21))
            decisions.append(
                CandidacyDecision(
                    patient=patient,
                    decision=DecisionChoice.BOTOX,
                    note="Meets criteria; consented to PREEMPT.",
                    eligible_when_decided=True,
                    decided_by=clinicians[index % len(clinicians)],
                    decided_at=datetime.combine(decided_on, time(11, 0), tzinfo=tz),
                )
            )
    Patient.objects.bulk_update(changed, ["referring_clinician", "payer_profile"])
    MedicalHistory.objects.bulk_create(histories)
    Diagnosis.objects.bulk_create(diagnoses)
    PreventiveTrial.objects.bulk_create(trials)
    CandidacyDecision.objects.bulk_create(decisions)
