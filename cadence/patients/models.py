from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cadence.rules.candidacy import ICD10_CHRONIC_MIGRAINE_CODES
from cadence.rules.payer import PayerProfile as PayerRules
from cadence.rules.payer import ResponderRule, StoppingRules


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class PayerProfile(models.Model):
    """The payer-dependent rule settings (clinic-reference.md: "where clinics or payers
    differ, the rule is a setting"). Patients without a profile get the default one."""

    name = models.CharField(max_length=100, unique=True)
    min_preventive_classes = models.PositiveSmallIntegerField(
        help_text="Oral preventive classes that must have failed before treatment."
    )
    min_interval_days = models.PositiveSmallIntegerField(
        help_text="Fewest days between two sessions."
    )
    responder_rule = models.CharField(
        max_length=16,
        choices=[(rule.value, rule.value.replace("_", " ")) for rule in ResponderRule],
    )
    shortened_interval_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Shorter interval allowed for documented wearing-off (blank: not allowed).",
    )
    review_weeks = models.PositiveSmallIntegerField(
        help_text="Response review after the first session."
    )
    stopping_rules = models.CharField(
        max_length=16,
        choices=[
            (StoppingRules.us_responder.value, "US payers: the responder rule"),
            (StoppingRules.nice_ta260.value, "NHS England: NICE TA260 stopping rules"),
        ],
        default=StoppingRules.us_responder.value,
        help_text="The rule set of the 24-week course review.",
    )
    requires_member_id = models.BooleanField(
        "requires member ID",
        default=False,
        help_text="Tick when this payer asks for the patient's member ID on its packets.",
    )
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_payer_profile",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_rules(self) -> PayerRules:
        return PayerRules(
            name=self.name,
            min_preventive_classes=self.min_preventive_classes,
            min_interval_days=self.min_interval_days,
            responder_rule=ResponderRule(self.responder_rule),
            shortened_interval_days=self.shortened_interval_days,
            review_weeks=self.review_weeks,
            stopping_rules=StoppingRules(self.stopping_rules),
        )


class Patient(models.Model):
    """A person the clinic treats or assesses. Demographics here; clinical history in the
    related records of each app (diary, treatments, ...)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # The referrer, to whom the progress letter is addressed (issue 19). The name is the
    # field records always had (older records may hold name and practice in it).
    referring_clinician = models.CharField(
        "referrer's name",
        max_length=200,
        blank=True,
        help_text="The referring clinician's name, as the letter is addressed: Dr Mara Quill.",
    )
    referrer_practice = models.CharField(
        "referrer's practice",
        max_length=200,
        blank=True,
        help_text="The practice or hospital of the referring clinician.",
    )
    referrer_address = models.TextField(
        "referrer's address",
        max_length=500,
        blank=True,
        help_text="The postal address of the referrer, one line per line of the envelope.",
    )
    payer_member_id = models.CharField(
        "payer member ID",
        max_length=64,
        blank=True,
        help_text="The patient's member ID with their payer (printed on the payer packet).",
    )
    payer_profile = models.ForeignKey(
        PayerProfile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patients",
        help_text="Blank: the clinic's default payer profile.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def referrer_address_lines(self) -> list[str]:
        return [line.strip() for line in self.referrer_address.splitlines() if line.strip()]

    def age_on(self, on) -> int:
        years = on.year - self.date_of_birth.year
        if (on.month, on.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class Answer(models.TextChoices):
    """A screening answer: unknown until someone asks."""

    UNKNOWN = "unknown", "Not asked yet"
    YES = "yes", "Yes"
    NO = "no", "No"


def answer_as_bool(value: str) -> bool | None:
    return {Answer.YES: True, Answer.NO: False}.get(value)


class MedicalHistory(models.Model):
    """The clinical history taken at work-up: headache pattern, history, medicines and the
    contraindication/warning checklist (clinic-reference.md section 1)."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="medical_history"
    )
    headache_days_per_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="From the history, when there is no baseline diary."
    )
    migraine_days_per_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Of those days, how many had migraine features."
    )
    months_with_pattern = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many months the pattern has lasted."
    )
    medical_history = models.TextField(blank=True)
    current_medicines = models.TextField(blank=True)
    preventive_history_taken = models.BooleanField(
        default=False,
        help_text="Tick when the preventive history was taken, even if nothing was tried.",
    )
    infection_at_site = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    hypersensitivity = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    neuromuscular_disease = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    aminoglycosides = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    swallowing_or_breathing_difficulty = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    pregnant_or_breastfeeding = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    # The clinician's assessment; until answered, candidacy judges it from the baseline
    # diary (outcomes' overuse check).
    medication_overuse = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "medical histories"

    def __str__(self) -> str:
        return f"History of patient {self.patient_id}"


CHECKLIST_FIELDS = (
    ("infection_at_site", "Infection at a proposed injection site"),
    ("hypersensitivity", "Known hypersensitivity to a botulinum toxin or excipient"),
    (
        "neuromuscular_disease",
        "Neuromuscular disease (myasthenia gravis, Lambert-Eaton, ALS, motor neuropathy)",
    ),
    (
        "aminoglycosides",
        "Takes aminoglycosides or other agents affecting neuromuscular transmission",
    ),
    ("swallowing_or_breathing_difficulty", "Swallowing or breathing difficulty"),
    ("pregnant_or_breastfeeding", "Pregnant or breastfeeding"),
    (
        "medication_overuse",
        "Medication-overuse headache suspected (acute medicines taken on too many days)",
    ),
)


class Diagnosis(models.Model):
    """A chronic-migraine diagnosis (ICD-10-CM G43.7 family) and who confirmed it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diagnoses")
    icd10_code = models.CharField(
        max_length=10,
        choices=[(code, f"{code} {label}") for code, label in ICD10_CHRONIC_MIGRAINE_CODES.items()],
    )
    confirmed_by_neurologist = models.BooleanField(default=True)
    neurologist = models.CharField(
        max_length=200, blank=True, help_text="The neurologist who confirmed it."
    )
    confirmed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-recorded_at", "-id"]
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.icd10_code} ({self.patient_id})"


class PreventiveClass(models.TextChoices):
    ANTIEPILEPTIC = "antiepileptic", "Antiepileptic (topiramate, valproate)"
    BETA_BLOCKER = "beta_blocker", "Beta-blocker (propranolol, metoprolol, timolol)"
    TRICYCLIC = "tricyclic", "Tricyclic (amitriptyline, nortriptyline)"
    SNRI = "snri", "SNRI (venlafaxine, duloxetine)"
    ARB_ACE_INHIBITOR = "arb_ace_inhibitor", "ARB/ACE inhibitor (candesartan, lisinopril)"
    CALCIUM_CHANNEL_BLOCKER = (
        "calcium_channel_blocker",
        "Calcium-channel blocker (flunarizine, verapamil)",
    )
    CGRP_ANTIBODY = "cgrp_antibody", "CGRP antibody"
    GEPANT = "gepant", "Gepant"
    OTHER = "other", "Other"


class TrialOutcome(models.TextChoices):
    INEFFECTIVE = "ineffective", "Ineffective"
    NOT_TOLERATED = "not_tolerated", "Not tolerated"
    CONTRAINDICATED = "contraindicated", "Contraindicated"
    EFFECTIVE = "effective", "Effective"
    ONGOING = "ongoing", "Ongoing"


class PreventiveTrial(models.Model):
    """One preventive medicine the patient tried, and how it went."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="preventive_trials")
    drug = models.CharField(max_length=100)
    drug_class = models.CharField(max_length=32, choices=PreventiveClass.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    dose = models.CharField(max_length=100, blank=True, help_text="e.g. 100 mg daily")
    daily_dose_mg = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The highest daily dose reached, in mg (payers check it was a usual dose).",
    )
    duration_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many weeks it was taken, when the dates do not say (e.g. from a "
        "referral letter).",
    )
    outcome = models.CharField(max_length=16, choices=TrialOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: Entered by the patient (issue 18: "a preventive medicine I take"); it counts for
    #: candidacy only once a clinician has confirmed it (``confirmed_at``).
    reported_by_patient = models.BooleanField(
        default=False, help_text="Entered by the patient, to be confirmed by the clinic."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a clinician confirmed a patient-reported medicine."
    )

    class Meta:
        ordering = ["patient_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                name="preventive_trial_end_after_start",
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.drug} ({self.get_outcome_display()})"

    @property
    def awaiting_confirmation(self) -> bool:
        """Entered by the patient and not yet confirmed by a clinician."""
        return self.reported_by_patient and self.confirmed_at is None


class HistoricalBaseline(models.Model):
    """The baseline a patient transferring in brings: headache and migraine days per 28
    days before their first treatment elsewhere, where it comes from and when it was
    recorded. The outcomes baseline uses it in place of none (``cadence.outcomes``)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="historical_baselines"
    )
    headache_days = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(28))],
        help_text="Headache days per 28 days before the first treatment.",
    )
    migraine_days = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(28))],
        help_text="Migraine days per 28 days (may exceed headache days: aura days).",
    )
    source = models.CharField(
        max_length=200, help_text="Where it comes from, e.g. the referring clinic's letter."
    )
    recorded_on = models.DateField(help_text="The date the source recorded it.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="historical_baseline_days_in_28",
                condition=models.Q(headache_days__gte=0, headache_days__lte=28)
                & (
                    models.Q(migraine_days__isnull=True)
                    | models.Q(migraine_days__gte=0, migraine_days__lte=28)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Historical baseline of patient {self.patient_id}"


class DecisionChoice(models.TextChoices):
    """The API contract's decision codes (version 1.1); the first and the third include
    onabotulinumtoxinA (``cadence.rules.gate.BOTOX_DECISIONS``)."""

    BOTOX = "botox", "OnabotulinumtoxinA (Botox)"
    SURGERY_EVALUATION = "surgery_evaluation", "Migraine-surgery evaluation"
    BOTOX_AND_SURGERY_EVALUATION = (
        "botox_and_surgery_evaluation",
        "OnabotulinumtoxinA and migraine-surgery evaluation",
    )
    ALTERNATIVE = "alternative", "An alternative treatment"
    NOT_NOW = "not_now", "Not now"


class CandidacyDecision(models.Model):
    """A clinician's decision after the work-up. The latest one applies."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="candidacy_decisions"
    )
    decision = models.CharField(max_length=32, choices=DecisionChoice.choices)
    note = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True,
        help_text="Needed to decide for onabotulinumtoxinA while candidacy is not met or for a "
        "patient under 18 (off-label): the decision is then outside protocol.",
    )
    outside_protocol = models.BooleanField(
        default=False, help_text="Decided on an override of the gate (clinic-reference.md 7)."
    )
    eligible_when_decided = models.BooleanField(null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.patient_id})"
