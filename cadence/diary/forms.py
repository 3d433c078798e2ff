"""Forms of the patient portal and the staff diary page. They parse and validate input
(the clinical validation itself comes from the rules via `services.diary_entry_problems`)
and hand a `DiaryEntry` to the services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone

from cadence.diary import services
from cadence.diary.models import DiaryDay
from cadence.patients.models import PreventiveClass
from cadence.patients.services import PATIENT_MEDICINE_NAME_MAX_LENGTH
from cadence.rules.diary import AcuteDrugClass, AcuteMedicationTaken, PeakSeverity
from cadence.rules.pain_regions import PAIN_REGION_LABELS, PainRegion
from cadence.rules.questionnaires import (
    HIT6_NEUTRAL_LABELS,
    MIDAS_ITEMS,
    MIDAS_MAX_DAYS,
    MIDAS_UNSCORED_ITEMS,
    Hit6Answer,
    QuestionnaireError,
    score_midas,
)
from cadence.rules.side_effects import (
    COMMON_SIDE_EFFECTS,
    SIDE_EFFECT_LABELS,
    URGENT_SIDE_EFFECTS,
    Severity,
    SideEffect,
)
from cadence.rules.triggers import OTHER_TRIGGERS_MAX_LENGTH, TRIGGER_LABELS

#: Blank rows for medicines that are not among the patient's usual ones.
OTHER_MEDICINE_ROWS = 2

DRUG_CLASS_LABELS = {
    AcuteDrugClass.triptan: "Triptan (e.g. sumatriptan, rizatriptan)",
    AcuteDrugClass.ergot: "Ergot (e.g. dihydroergotamine)",
    AcuteDrugClass.opioid: "Opioid (e.g. codeine, tramadol)",
    AcuteDrugClass.combination_analgesic: "Combination painkiller (e.g. with caffeine or codeine)",
    AcuteDrugClass.simple_analgesic: "Simple painkiller (paracetamol, ibuprofen, aspirin)",
    AcuteDrugClass.gepant: "Gepant (e.g. rimegepant, ubrogepant)",
    AcuteDrugClass.antiemetic: "Anti-sickness medicine",
    AcuteDrugClass.other: "Other",
}
SEVERITY_LABELS = {
    PeakSeverity.none: "None / not rated",
    PeakSeverity.mild: "Mild",
    PeakSeverity.moderate: "Moderate",
    PeakSeverity.severe: "Severe",
}
FEATURE_FIELDS = (
    ("unilateral", "On one side of the head"),
    ("pulsating", "Throbbing or pulsating"),
    ("worse_with_activity", "Worse with routine activity (walking, stairs)"),
    ("nausea", "Nausea"),
    ("vomiting", "Vomiting"),
    ("photophobia", "Light bothered me"),
    ("phonophobia", "Noise bothered me"),
    ("aura", "Aura (visual or other warning signs before or with the headache)"),
)
_PROBLEM_FIELDS = {
    "date",
    "headache_hours",
    "peak_severity",
    "notes",
    "aura_without_headache",
    "other_triggers",
}


class DiaryDayForm(forms.Form):
    """One diary day. Usual medicines are offered as quick-pick rows (`usual_<i>_*`),
    others as blank rows (`other_<j>_*`)."""

    #: The fields that show a refusal of their own; any other goes on the form.
    problem_fields = _PROBLEM_FIELDS

    # The day is chosen with the page's day picker (which loads that day's entry); the
    # form saves exactly the day its heading names.
    date = forms.DateField(label="Day", widget=forms.HiddenInput)
    headache_hours = forms.DecimalField(
        label="Hours of headache",
        min_value=0,
        max_value=24,
        decimal_places=1,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text="0 to 24. Enter 0 if you had no headache.",
    )
    peak_severity = forms.ChoiceField(
        label="Worst pain",
        choices=[(s.value, SEVERITY_LABELS[s]) for s in PeakSeverity],
        initial=PeakSeverity.none.value,
        widget=forms.RadioSelect,
    )
    missed_activity = forms.BooleanField(
        label="I missed work, school or other activities", required=False
    )
    notes = forms.CharField(
        label="Note",
        required=False,
        max_length=services.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    aura_without_headache = forms.BooleanField(
        label="Aura without any headache",
        required=False,
        help_text="Warning signs (flashing lights, zigzags, tingling) with no headache at all.",
    )
    pain_regions = forms.MultipleChoiceField(
        label="Where did it hurt?",
        required=False,
        choices=[(r.value, PAIN_REGION_LABELS[r]) for r in PainRegion],
        widget=forms.CheckboxSelectMultiple,
    )
    triggers = forms.MultipleChoiceField(
        label="Anything that may have set it off?",
        required=False,
        choices=[(t.value, label) for t, label in TRIGGER_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    other_triggers = forms.CharField(
        label="Something else",
        required=False,
        max_length=OTHER_TRIGGERS_MAX_LENGTH,
    )
    menstruating = forms.TypedChoiceField(
        label="Period that day?",
        required=False,
        choices=[("", "Not recorded"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args,
        usual_medicines=(),
        today: date | None = None,
        attacks=None,
        track_cycle: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.usual_medicines = list(usual_medicines)
        # The day's attacks (logged with the quick-log) are kept as they are.
        self.attacks = attacks
        self.track_cycle = track_cycle
        if not track_cycle:
            del self.fields["menstruating"]
        for name, label in FEATURE_FIELDS:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        for index, (name, drug_class) in enumerate(self.usual_medicines):
            self.fields[f"usual_{index}_taken"] = forms.BooleanField(
                label=f"Took {name}",
                required=False,
                # For the offline queue (diary.js), which sends the day as the API does.
                widget=forms.CheckboxInput(
                    attrs={"data-medicine-name": name, "data-medicine-class": drug_class}
                ),
            )
            self.fields[f"usual_{index}_relieved"] = forms.BooleanField(
                label=f"{name} relieved the pain", required=False
            )
        class_choices = [("", "Choose the kind of medicine")] + [
            (c.value, DRUG_CLASS_LABELS[c]) for c in AcuteDrugClass
        ]
        for index in range(OTHER_MEDICINE_ROWS):
            self.fields[f"other_{index}_name"] = forms.CharField(
                label=f"Other medicine {index + 1}",
                required=False,
                max_length=services.MEDICINE_NAME_MAX_LENGTH,
            )
            self.fields[f"other_{index}_class"] = forms.ChoiceField(
                label=f"Kind of medicine {index + 1}", required=False, choices=class_choices
            )
            self.fields[f"other_{index}_relieved"] = forms.BooleanField(
                label=f"Medicine {index + 1} relieved the pain", required=False
            )

    # ---- rendering helpers
    def feature_fields(self):
        return [self[name] for name, _label in FEATURE_FIELDS]

    def usual_rows(self):
        return [
            (name, self[f"usual_{i}_taken"], self[f"usual_{i}_relieved"])
            for i, (name, _c) in enumerate(self.usual_medicines)
        ]

    def other_rows(self):
        return [
            (self[f"other_{i}_name"], self[f"other_{i}_class"], self[f"other_{i}_relieved"])
            for i in range(OTHER_MEDICINE_ROWS)
        ]

    @classmethod
    def initial_for(cls, day: DiaryDay | None, on: date, usual_medicines) -> dict:
        """Initial values: the stored day (editing replaces it) or an empty day."""
        initial: dict[str, object] = {"date": on}
        if day is None:
            return initial
        initial.update(
            headache_hours=day.headache_hours,
            peak_severity=day.peak_severity,
            missed_activity=day.missed_activity,
            notes=day.notes,
            aura_without_headache=day.aura_without_headache,
            pain_regions=day.pain_regions or [],
            triggers=day.triggers or [],
            other_triggers=day.other_triggers,
            menstruating={True: "yes", False: "no"}.get(day.menstruating, ""),
        )
        for name, _label in FEATURE_FIELDS:
            initial[name] = getattr(day, name)
        usual_index = {key: i for i, key in enumerate(usual_medicines)}
        other = 0
        for medicine in day.acute_medications:
            key = (medicine.get("name"), medicine.get("drug_class"))
            if key in usual_index:
                initial[f"usual_{usual_index[key]}_taken"] = True
                initial[f"usual_{usual_index[key]}_relieved"] = medicine.get("relieved", False)
            elif other < OTHER_MEDICINE_ROWS:
                initial[f"other_{other}_name"] = medicine.get("name")
                initial[f"other_{other}_class"] = medicine.get("drug_class")
                initial[f"other_{other}_relieved"] = medicine.get("relieved", False)
                other += 1
        return initial

    def clean(self):
        cleaned = super().clean()
        medicines: list[AcuteMedicationTaken] = []
        for index, (name, drug_class) in enumerate(self.usual_medicines):
            if cleaned.get(f"usual_{index}_taken"):
                medicines.append(
                    AcuteMedicationTaken(
                        name=name,
                        drug_class=drug_class,
                        relieved=bool(cleaned.get(f"usual_{index}_relieved")),
                    )
                )
        for index in range(OTHER_MEDICINE_ROWS):
            name = (cleaned.get(f"other_{index}_name") or "").strip()
            drug_class = cleaned.get(f"other_{index}_class") or ""
            if name and not drug_class:
                self.add_error(f"other_{index}_class", "Choose what kind of medicine this is.")
            elif drug_class and not name:
                self.add_error(f"other_{index}_name", "Enter the medicine's name.")
            elif name:
                medicines.append(
                    AcuteMedicationTaken(
                        name=name,
                        drug_class=drug_class,
                        relieved=bool(cleaned.get(f"other_{index}_relieved")),
                    )
                )
        if self.errors or cleaned.get("date") is None or cleaned.get("headache_hours") is None:
            return cleaned
        entry = services.DiaryEntry(
            headache_hours=float(cleaned["headache_hours"]),
            peak_severity=cleaned.get("peak_severity") or PeakSeverity.none.value,
            missed_activity=bool(cleaned.get("missed_activity")),
            acute_medications=tuple(medicines),
            notes=cleaned.get("notes") or "",
            aura_without_headache=bool(cleaned.get("aura_without_headache")),
            pain_regions=tuple(cleaned.get("pain_regions") or ()) or None,
            triggers=tuple(cleaned.get("triggers") or ()) or None,
            other_triggers=cleaned.get("other_triggers") or "",
            attacks=self.attacks,
            menstruating=cleaned.get("menstruating"),
            **{name: bool(cleaned.get(name)) for name, _label in FEATURE_FIELDS},
        )
        for field, message in services.diary_entry_problems(
            on=cleaned["date"], entry=entry, today=self.today
        ):
            self.add_error(field if field in self.problem_fields else None, message)
        cleaned["entry"] = entry
        return cleaned


class AttackEndForm(forms.Form):
    """ "Headache ended": the worst pain and the medicines taken (quick-picks from the
    patient's usual ones, or one other)."""

    peak_severity = forms.ChoiceField(
        label="Worst pain",
        choices=[(s.value, SEVERITY_LABELS[s]) for s in PeakSeverity],
        initial=PeakSeverity.none.value,
        widget=forms.RadioSelect,
    )
    other_name = forms.CharField(
        label="Other medicine", required=False, max_length=services.MEDICINE_NAME_MAX_LENGTH
    )
    other_class = forms.ChoiceField(
        label="Kind of medicine",
        required=False,
        choices=[("", "Choose the kind of medicine")]
        + [(c.value, DRUG_CLASS_LABELS[c]) for c in AcuteDrugClass],
    )
    relieved = forms.BooleanField(label="The medicine relieved the pain", required=False)

    def __init__(self, *args, usual_medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.usual_medicines = list(usual_medicines)
        self.fields["usual"] = forms.MultipleChoiceField(
            label="Medicines taken",
            required=False,
            choices=[(str(i), name) for i, (name, _c) in enumerate(self.usual_medicines)],
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned = super().clean()
        relieved = bool(cleaned.get("relieved"))
        medicines = [
            AcuteMedicationTaken(name=name, drug_class=drug_class, relieved=relieved)
            for i, (name, drug_class) in enumerate(self.usual_medicines)
            if str(i) in (cleaned.get("usual") or ())
        ]
        name = (cleaned.get("other_name") or "").strip()
        kind = cleaned.get("other_class") or ""
        if name and not kind:
            self.add_error("other_class", "Choose what kind of medicine this is.")
        elif kind and not name:
            self.add_error("other_name", "Enter the medicine's name.")
        elif name:
            medicines.append(AcuteMedicationTaken(name=name, drug_class=kind, relieved=relieved))
        cleaned["medicines"] = medicines
        return cleaned


class NoHeadacheForm(forms.Form):
    """The one-tap "no headache" button (for today or a gap day)."""

    date = forms.DateField(widget=forms.HiddenInput)


class SameDayReplaceMixin(forms.Form):
    """The tick box of a questionnaire answered twice on one day (issue 19): shown only
    with the question "You already answered ... Replace it?"."""

    replace = forms.BooleanField(
        label="Yes, replace my earlier answer with this one",
        required=False,
    )


class MidasForm(SameDayReplaceMixin, forms.Form):
    completed_on = forms.DateField(
        label="Date completed",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, text in enumerate(MIDAS_ITEMS):
            self.fields[f"item_{index}"] = forms.IntegerField(
                label=f"{index + 1}. {text}",
                min_value=0,
                max_value=MIDAS_MAX_DAYS,
                help_text=f"Number of days, 0 to {MIDAS_MAX_DAYS}.",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.fields["headache_days"] = forms.IntegerField(
            label=f"A. {MIDAS_UNSCORED_ITEMS[0]}",
            min_value=0,
            max_value=MIDAS_MAX_DAYS,
            required=False,
            help_text="Optional; not part of the score.",
        )
        self.fields["average_pain"] = forms.IntegerField(
            label=f"B. {MIDAS_UNSCORED_ITEMS[1]}",
            min_value=0,
            max_value=10,
            required=False,
            help_text="Optional; 0 = no pain, 10 = pain as bad as it can be.",
        )

    def clean(self):
        """The day counts must add up (items 1 + 2 and 3 + 4 at most 90 days; the rules'
        ``score_midas`` says so): the message goes on the item it names."""
        data = super().clean()
        values = [data.get(f"item_{i}") for i in range(len(MIDAS_ITEMS))]
        if all(value is not None for value in values):
            try:
                score_midas(values)
            except QuestionnaireError as error:
                index = error.field.removeprefix("answers[").removesuffix("]")
                self.add_error(f"item_{index}" if index.isdigit() else None, error.message)
        return data

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(len(MIDAS_ITEMS))]

    def unscored_answers(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ("headache_days", "average_pain")
            if self.cleaned_data.get(key) is not None
        }


HIT6_ANSWER_LABELS = {
    Hit6Answer.never: "Never",
    Hit6Answer.rarely: "Rarely",
    Hit6Answer.sometimes: "Sometimes",
    Hit6Answer.very_often: "Very often",
    Hit6Answer.always: "Always",
}


def hit6_item_labels() -> tuple[str, ...]:
    """The licensed HIT-6 item text (setting `CADENCE_HIT6_ITEM_TEXT`, six strings from the
    clinic's licensed copy) when `CADENCE_HIT6_LICENSED` is true; otherwise neutral labels."""
    if getattr(settings, "CADENCE_HIT6_LICENSED", False):
        licensed = getattr(settings, "CADENCE_HIT6_ITEM_TEXT", None)
        if licensed and len(licensed) == len(HIT6_NEUTRAL_LABELS):
            return tuple(str(text) for text in licensed)
    return HIT6_NEUTRAL_LABELS


class Hit6Form(SameDayReplaceMixin, forms.Form):
    completed_on = forms.DateField(
        label="Date completed",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, label in enumerate(hit6_item_labels()):
            self.fields[f"item_{index}"] = forms.ChoiceField(
                label=label,
                choices=[(a.value, HIT6_ANSWER_LABELS[a]) for a in Hit6Answer],
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"item_{i}"] for i in range(len(HIT6_NEUTRAL_LABELS))]


def _effect_choices():
    common = sorted(COMMON_SIDE_EFFECTS, key=lambda e: list(SideEffect).index(e))
    urgent = sorted(URGENT_SIDE_EFFECTS, key=lambda e: list(SideEffect).index(e))
    return [
        ("", "Choose a side effect"),
        ("Common", [(e.value, SIDE_EFFECT_LABELS[e]) for e in common]),
        ("Urgent: seek care now", [(e.value, SIDE_EFFECT_LABELS[e]) for e in urgent]),
    ]


class SideEffectForm(forms.Form):
    effect = forms.ChoiceField(label="Side effect", choices=_effect_choices)
    severity = forms.ChoiceField(
        label="How bad is it?",
        choices=[(s.value, s.value.capitalize()) for s in Severity],
        widget=forms.RadioSelect,
        initial=Severity.mild.value,
    )
    onset_on = forms.DateField(
        label="When did it start?",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    notes = forms.CharField(
        label="Anything else we should know?",
        required=False,
        max_length=services.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AlertAcknowledgeForm(forms.Form):
    """Acknowledging an urgent alert asks what was done (kept on the report, audited)."""

    note = forms.CharField(
        label="What was done?",
        help_text="For example: called the patient, advised the emergency department.",
        max_length=services.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write what was done for the patient before acknowledging the alert."
        },
    )


class PreventiveMedicineForm(forms.Form):
    """A preventive medicine the patient takes (taken regularly to prevent migraine, not
    for an attack); the clinic confirms it."""

    drug = forms.CharField(
        label="Name of the medicine",
        max_length=PATIENT_MEDICINE_NAME_MAX_LENGTH,
        help_text="As on the box, e.g. topiramate, erenumab (Aimovig), atogepant.",
    )
    drug_class = forms.ChoiceField(
        label="Kind of medicine",
        choices=[("", "Choose the kind of medicine")] + list(PreventiveClass.choices),
        help_text='Not sure? Choose "Other": the clinic will check it.',
    )
    start = forms.DateField(
        label="Taking it since",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day you took it (a guess is fine).",
    )
    dose = forms.CharField(
        label="Dose (optional)", required=False, max_length=100, help_text="e.g. 50 mg twice a day"
    )
