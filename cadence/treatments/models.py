"""Treatments: the injection-site catalogue, treatment plans, vial stock, procedure notes
(with injections, vials and amendments) and other botulinum-toxin treatments.

Clinical rules (plan validation, dilution, waste, billing) live in cadence.rules; these
models only store what was planned and done.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadence.rules.sites import CUMULATIVE_MAX_UNITS

#: The largest value each decimal column holds (SQLite does not enforce a decimal's digits:
#: a check constraint does, on both databases, so a stored value always reads back).
UNITS_5_1_MAX = Decimal("9999.9")
UNITS_6_1_MAX = Decimal("99999.9")
#: The most one other-indication treatment record may hold. The reference gives no dose
#: for other indications; 400 U is its limit across all indications in any 84 days, so a
#: single record above it cannot be right (conservative; the service refuses it too).
OTHER_TOXIN_MAX_UNITS = CUMULATIVE_MAX_UNITS


def units_between(field: str, low: Decimal, high: Decimal, name: str, *, low_inclusive=True):
    """A check constraint keeping `field` within [low, high] (or (low, high])."""
    above = {f"{field}__gte" if low_inclusive else f"{field}__gt": low}
    return models.CheckConstraint(
        condition=models.Q(**above) & models.Q(**{f"{field}__lte": high}), name=name
    )


class ProcedureStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    #: A draft withdrawn with a reason: kept (audited) but counted nowhere.
    VOIDED = "voided", "Voided"


#: The statuses that count as sessions for the earliest re-treatment date (section 7:
#: "drafts count as sessions for this") and for the 400 U in 84 days window.
LIVE_PROCEDURE_STATUSES = (ProcedureStatus.DRAFT, ProcedureStatus.SIGNED)


class Muscle(models.TextChoices):
    CORRUGATOR = "corrugator", "Corrugator"
    PROCERUS = "procerus", "Procerus"
    FRONTALIS = "frontalis", "Frontalis"
    TEMPORALIS = "temporalis", "Temporalis"
    OCCIPITALIS = "occipitalis", "Occipitalis"
    CERVICAL_PARASPINAL = "cervical_paraspinal", "Cervical paraspinal"
    TRAPEZIUS = "trapezius", "Trapezius"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"


class MapView(models.TextChoices):
    FRONT = "front", "Front"
    LEFT = "left", "Left side"
    RIGHT = "right", "Right side"
    BACK = "back", "Back"


class InjectionSite(models.Model):
    """One site of the catalogue (the 31 PREEMPT sites and the 8 follow-the-pain sites),
    loaded by a data migration from cadence.rules.sites. `code` is the stable identifier
    used by plans, notes and the API."""

    code = models.CharField(max_length=40, unique=True)
    muscle = models.CharField(max_length=24, choices=Muscle.choices)
    side = models.CharField(max_length=8, choices=Side.choices)
    number = models.PositiveSmallIntegerField()
    default_units = models.DecimalField(max_digits=5, decimal_places=1)
    follow_the_pain = models.BooleanField(default=False)
    label = models.CharField(max_length=80)
    view = models.CharField(max_length=8, choices=MapView.choices)
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        ordering = ["follow_the_pain", "id"]

    def __str__(self) -> str:
        return self.label


class TriggerArea(models.Model):
    """A trigger area for targeted plans (forehead, brow, temples, back of the scalp,
    neck) with the sites that treat it."""

    code = models.CharField(max_length=24, unique=True)
    label = models.CharField(max_length=60)
    sites = models.ManyToManyField(InjectionSite, related_name="trigger_areas")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class PlanTemplateChoice(models.TextChoices):
    PREEMPT = "preempt", "PREEMPT (31 sites, 155 U)"
    CUSTOM = "custom", "Targeted (custom)"


class TreatmentPlan(models.Model):
    """What the clinician plans to inject: a PREEMPT plan (with follow-the-pain
    additions) or a targeted plan, reviewed with the patient, who consents."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_plans"
    )
    template = models.CharField(max_length=8, choices=PlanTemplateChoice.choices)
    planned_for = models.DateField(default=timezone.localdate)
    total_units = models.DecimalField(max_digits=6, decimal_places=1)
    site_count = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)
    consent_given_by = models.CharField(
        max_length=120, blank=True, help_text="Who consented: the patient or their representative."
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["patient_id", "-created_at", "-id"]
        constraints = [
            units_between("total_units", Decimal(0), UNITS_6_1_MAX, "plan_total_units_stored"),
            models.CheckConstraint(
                condition=models.Q(site_count__lte=1000), name="plan_site_count_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.get_template_display()}, {self.total_units} U)"

    @property
    def has_consent(self) -> bool:
        return self.consent_recorded_at is not None


class PlanSite(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="sites")
    site = models.ForeignKey(InjectionSite, on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["plan_id", "site_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "site"], name="plan_site_once"),
            units_between(
                "units", Decimal(0), UNITS_5_1_MAX, "plan_site_units_positive", low_inclusive=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.units} U"


class OtherToxinTreatment(models.Model):
    """onabotulinumtoxinA given for another indication (or elsewhere): counts towards the
    400 U in 84 days limit."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="other_toxin_treatments"
    )
    given_on = models.DateField()
    units = models.DecimalField(max_digits=6, decimal_places=1)
    indication = models.CharField(max_length=120)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-given_on", "-id"]
        constraints = [
            units_between(
                "units",
                Decimal(0),
                OTHER_TOXIN_MAX_UNITS,
                "other_toxin_units_within_400",
                low_inclusive=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.units} U on {self.given_on} ({self.indication})"


class VialLot(models.Model):
    """A lot of vials in stock. `quantity_remaining` is decremented (race-safe) when a
    procedure opens vials of the lot."""

    lot_number = models.CharField(max_length=40, unique=True)
    expires_on = models.DateField()
    size_units = models.PositiveSmallIntegerField(choices=[(100, "100 U"), (200, "200 U")])
    quantity_received = models.PositiveIntegerField()
    quantity_remaining = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["expires_on", "lot_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_remaining__lte=models.F("quantity_received")),
                name="vial_lot_remaining_within_received",
            )
        ]

    def __str__(self) -> str:
        return f"Lot {self.lot_number} ({self.size_units} U, expires {self.expires_on})"

    def is_expired_on(self, on) -> bool:
        return self.expires_on < on


class Procedure(models.Model):
    """One treatment session: the toxin actually injected on a date. Procedure dates anchor
    the outcome periods and the 12-week rhythm.

    A signed note is never overwritten in place: `signed_note` keeps the note as signed,
    and each later change is a ProcedureAmendment (who, when, why, before/after)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="procedures"
    )
    performed_on = models.DateField()
    performed_at = models.DateTimeField(null=True, blank=True)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_units = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    wasted_units = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    status = models.CharField(
        max_length=8, choices=ProcedureStatus.choices, default=ProcedureStatus.DRAFT
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Added by the treatments issue.
    plan = models.ForeignKey(
        TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    drawn_units = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    dilution = models.CharField(max_length=200, blank=True)
    consent_obtained = models.BooleanField(default=False)
    immediate_reactions = models.TextField(blank=True)
    aftercare_given = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    signed_note = models.JSONField(null=True, blank=True, editable=False)
    # The clinical gate (clinic-reference.md section 7): a session that went ahead on an
    # override is "outside protocol"; the reason stays on the note.
    override_reason = models.TextField(
        blank=True, help_text="Why the session went ahead outside protocol (the override)."
    )
    outside_protocol = models.BooleanField(default=False)
    outside_protocol_rules = models.JSONField(
        default=list, blank=True, help_text="The gate's rules the override lifted."
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.TextField(blank=True)
    # Signing by the performer (ASVS, issue 21): only the clinician who performed the
    # procedure, or the clinician they name here as co-signer, may sign the note.
    co_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A clinician the performer names to sign the note in their place.",
    )

    class Meta:
        ordering = ["patient_id", "performed_on", "id"]
        indexes = [models.Index(fields=["patient", "performed_on"])]
        constraints = [
            units_between(field, Decimal(0), UNITS_6_1_MAX, f"procedure_{field}_stored")
            for field in ("total_units", "wasted_units", "drawn_units")
        ]

    def __str__(self) -> str:
        return f"Procedure {self.pk} on {self.performed_on}"

    @property
    def is_signed(self) -> bool:
        return self.status == ProcedureStatus.SIGNED


class ProcedureInjection(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="injections")
    site = models.ForeignKey(InjectionSite, on_delete=models.PROTECT, related_name="+")
    units = models.DecimalField(max_digits=5, decimal_places=1)
    #: The vial (lot) this site's dose came from (issue 17: traceability of a biological
    #: product). The session's only vial lot by default; chosen per site when the session
    #: opened vials of more than one lot; empty when not recorded.
    vial = models.ForeignKey(
        "ProcedureVial",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="injections",
    )

    class Meta:
        ordering = ["procedure_id", "site_id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "site"], name="procedure_site_once"),
            units_between(
                "units",
                Decimal(0),
                UNITS_5_1_MAX,
                "procedure_site_units_positive",
                low_inclusive=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.units} U"


class ProcedureVial(models.Model):
    """A vial opened in a procedure, with a snapshot of its lot's size and expiry."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="vials")
    lot = models.ForeignKey(VialLot, on_delete=models.PROTECT, related_name="procedure_vials")
    lot_number = models.CharField(max_length=40)
    size_units = models.PositiveSmallIntegerField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["procedure_id", "id"]
        indexes = [models.Index(fields=["lot_number"])]

    def __str__(self) -> str:
        return f"Lot {self.lot_number} ({self.size_units} U)"


class ProcedureAmendment(models.Model):
    """A change to a signed note: who, when, why, and each field's before/after."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["procedure_id", "amended_at", "id"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} of procedure {self.procedure_id}"
