"""JSON API operations of the diary app (mounted under /api/v1 by config/api.py):
the headache diary, MIDAS/HIT-6 questionnaires and side-effect reports."""

import datetime as dt
from datetime import timedelta

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import (
    ALL_ROLES,
    CLINICAL_AND_PATIENT_ROLES,
    CLINICAL_ROLES,
    PRESCRIBER_ROLES,
)
from cadence.accounts.validation import RefusalOut, check_query_dates
from cadence.audit.services import audit_view
from cadence.diary import selectors, services
from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.diary.schemas import (
    AcuteMedicationOut,
    AttackEndIn,
    AttackOut,
    AttackStartIn,
    ChangeOut,
    DiaryDayIn,
    DiaryDayOut,
    FollowThePainOut,
    OpenAttackOut,
    PainMapOut,
    QuestionnaireIn,
    QuestionnaireOut,
    SideEffectIn,
    SideEffectOut,
    TriggerOut,
)
from cadence.patients.access import patient_for_user
from cadence.rules.attacks import Attack
from cadence.rules.diary import AcuteMedicationTaken
from cadence.rules.pain_regions import PAIN_MAP_DAYS
from cadence.rules.triggers import TRIGGER_LABELS

router = Router(tags=["Diary"])

#: A diary range answered by one GET may span at most this many days.
MAX_RANGE_DAYS = 3 * 366
#: When a range GET omits `start`, it covers the 28 days up to `end`.
DEFAULT_RANGE_DAYS = 28


def _diary_day_out(day: DiaryDay) -> dict:
    """The answer's fields as a plain dict: ninja validates it against `DiaryDayOut` once
    when it renders the response (building a DiaryDayOut here would validate twice)."""
    return {
        "patient_id": day.patient_id,
        "date": day.date,
        "headache_hours": day.headache_hours,
        "peak_severity": day.peak_severity,
        "unilateral": day.unilateral,
        "pulsating": day.pulsating,
        "worse_with_activity": day.worse_with_activity,
        "nausea": day.nausea,
        "vomiting": day.vomiting,
        "photophobia": day.photophobia,
        "phonophobia": day.phonophobia,
        "aura": day.aura,
        "missed_activity": day.missed_activity,
        "acute_medications": day.acute_medications,
        "notes": day.notes,
        "aura_without_headache": day.aura_without_headache,
        "pain_regions": day.pain_regions,
        "triggers": day.triggers,
        "other_triggers": day.other_triggers,
        "attacks": day.attacks,
        "menstruating": day.menstruating,
        "is_headache_day": day.is_headache_day,
        "is_migraine_day": day.is_migraine_day,
        "is_moderate_severe_day": day.is_moderate_severe_day,
        "is_probable_migraine_day": day.is_probable_migraine_day,
        "is_acute_medication_day": day.is_acute_medication_day,
        "is_triptan_day": day.is_triptan_day,
        "entered_on_behalf": day.entered_on_behalf,
        "updated_at": day.updated_at,
    }


def _diary_day_answer(day: DiaryDay) -> DiaryDayOut:
    """The answer to a PUT: the values just written, already of the types `DiaryDayOut`
    declares, built without validating them again (ninja renders a `DiaryDayOut` instance
    as it is; validating the plain dict cost more CPU than the rest of the rendering).
    The answer equals the validated one: `test_write_path` compares it with the GET's."""
    fields = _diary_day_out(day)
    fields["headache_hours"] = float(fields["headache_hours"])
    fields["acute_medications"] = [
        AcuteMedicationOut.model_construct(
            name=str(medicine["name"]),
            drug_class=str(medicine["drug_class"]),
            relieved=bool(medicine["relieved"]),
        )
        for medicine in fields["acute_medications"]
    ]
    if fields["attacks"] is not None:
        fields["attacks"] = [
            AttackOut.model_construct(
                started_at=dt.datetime.fromisoformat(attack["started_at"]),
                ended_at=None
                if attack.get("ended_at") is None
                else dt.datetime.fromisoformat(attack["ended_at"]),
                peak_severity=str(attack["peak_severity"]),
            )
            for attack in fields["attacks"]
        ]
    return DiaryDayOut.model_construct(**fields)


def diary_entry_from(payload: DiaryDayIn) -> services.DiaryEntry:
    return services.DiaryEntry(
        headache_hours=payload.headache_hours,
        peak_severity=payload.peak_severity.value,
        unilateral=payload.unilateral,
        pulsating=payload.pulsating,
        worse_with_activity=payload.worse_with_activity,
        nausea=payload.nausea,
        vomiting=payload.vomiting,
        photophobia=payload.photophobia,
        phonophobia=payload.phonophobia,
        aura=payload.aura,
        missed_activity=payload.missed_activity,
        acute_medications=tuple(
            AcuteMedicationTaken(name=m.name, drug_class=m.drug_class, relieved=m.relieved)
            for m in payload.acute_medications
        ),
        notes=payload.notes,
        aura_without_headache=payload.aura_without_headache,
        pain_regions=None
        if payload.pain_regions is None
        else tuple(r.value for r in payload.pain_regions),
        triggers=None if payload.triggers is None else tuple(t.value for t in payload.triggers),
        other_triggers=payload.other_triggers,
        attacks=None
        if payload.attacks is None
        else tuple(
            Attack(
                started_at=_local(a.started_at),
                ended_at=None if a.ended_at is None else _local(a.ended_at),
                peak_severity=a.peak_severity,
            )
            for a in payload.attacks
        ),
        menstruating=payload.menstruating,
        # Omitted (not null) version 1.1 fields: an older client's PUT keeps them.
        unchanged=frozenset(services.VERSION_1_1_FIELDS) - payload.model_fields_set,
    )


def _local(moment: dt.datetime) -> dt.datetime:
    """A local wall-clock date-time (naive): an aware time is turned into local time."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


@router.put(
    "/patients/{patient_id}/diary/{date}",
    response={200: DiaryDayOut, 201: DiaryDayOut, 422: RefusalOut},
    summary="Record or replace one diary day",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def diary_day_put(request, patient_id: int, date: dt.date, payload: DiaryDayIn):
    """Idempotent upsert of one diary day: 201 when the day is created, 200 when an
    existing day is replaced (repeating a request never makes a second entry). The
    response is the stored entry plus its derived classification (`is_headache_day`,
    `is_migraine_day`, `is_moderate_severe_day`, ...). A date in the future answers 422.
    Clinicians and nurses may record a day on the patient's behalf (`entered_on_behalf`).

    The version 1.1 fields (`pain_regions`, `triggers`, `other_triggers`, `attacks`,
    `menstruating`) are kept as stored when the request omits them, so that an older
    client's PUT never clears them; an explicit `null` (not recorded) or `[]` clears
    them. Every other field is replaced (an omitted one takes its default)."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    day, created = services.diary_day_record(
        patient=patient,
        on=date,
        entry=diary_entry_from(payload),
        actor=request.user,
        request=request,
    )
    return Status(201 if created else 200, _diary_day_answer(day))


class DiaryRange(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


@router.get(
    "/patients/{patient_id}/diary",
    response={200: list[DiaryDayOut], 422: RefusalOut},
    summary="Diary days in a date range",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def diary_day_list(request, patient_id: int, filters: Query[DiaryRange]):
    """The recorded days from `start` to `end` inclusive, oldest first. `end` defaults
    to today and `start` to 27 days before `end`; a range may span at most 3 years."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    check_query_dates(start=filters.start, end=filters.end)
    end = filters.end or timezone.localdate()
    start = filters.start or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if start > end:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "start"],
                    "msg": "start must be on or before end.",
                }
            ]
        )
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "end"],
                    "msg": f"A range may span at most {MAX_RANGE_DAYS} days.",
                }
            ]
        )
    days = list(selectors.diary_days_between(patient=patient, start=start, end=end))
    audit_view(
        request,
        patient=patient,
        summary=f"Diary {start.isoformat()}..{end.isoformat()} viewed (API)",
    )
    return Status(200, [_diary_day_out(day) for day in days])


def _questionnaire_out(response: QuestionnaireResponse, change) -> QuestionnaireOut:
    return QuestionnaireOut(
        id=response.pk,
        instrument=response.instrument,
        completed_on=response.completed_on,
        answers=response.answers,
        score=response.score,
        grade=response.grade or None,
        band=response.band or None,
        change=None
        if change is None
        else ChangeOut(
            points=change.points,
            percent=change.percent,
            meaningful=change.meaningful,
            direction=change.direction,
        ),
    )


@router.post(
    "/patients/{patient_id}/questionnaires",
    response={201: QuestionnaireOut, 409: RefusalOut, 422: RefusalOut},
    summary="Record a MIDAS or HIT-6 questionnaire",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def questionnaire_create(request, patient_id: int, payload: QuestionnaireIn):
    """Score and store a questionnaire. MIDAS `answers` are the five scored day counts
    (integers 0-90) and answer `score` and `grade` ("I".."IV"); HIT-6 `answers` are six of
    never / rarely / sometimes / very_often / always and answer `score` (36-78) and `band`
    ("little", "some", "substantial", "severe"). `change` compares with the previous
    response of the same instrument. One response per instrument and day: 409 when one
    is already recorded for `completed_on`, unless `replace` is true, which replaces it
    (the same `id`)."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    response = services.questionnaire_record(
        patient=patient,
        instrument=payload.instrument,
        completed_on=payload.completed_on,
        answers=payload.answers,
        replace_same_day=payload.replace,
        actor=request.user,
        request=request,
    )
    return Status(
        201, _questionnaire_out(response, selectors.questionnaire_change(response=response))
    )


@router.get(
    "/patients/{patient_id}/questionnaires",
    response=list[QuestionnaireOut],
    summary="The patient's questionnaire responses",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def questionnaire_list(request, patient_id: int):
    """Every MIDAS and HIT-6 response, newest first, each with its change against the
    previous response of the same instrument."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    history = selectors.questionnaire_history(patient=patient)
    audit_view(request, patient=patient, summary="Questionnaires viewed (API)")
    return [_questionnaire_out(item.response, item.change) for item in history]


def _side_effect_out(report: SideEffectReport) -> SideEffectOut:
    return SideEffectOut(
        id=report.pk,
        effect=report.effect,
        label=report.label,
        severity=report.severity,
        onset_on=report.onset_on,
        notes=report.notes,
        procedure_id=report.procedure_id,
        urgent=report.urgent,
        advice=report.advice,
        created_at=report.created_at,
        acknowledged_at=report.acknowledged_at,
        acknowledgement_note=report.acknowledgement_note,
        escalated_at=report.escalated_at,
    )


@router.post(
    "/patients/{patient_id}/side-effects",
    response={201: SideEffectOut, 422: RefusalOut},
    summary="Report a side effect after a session",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def side_effect_create(request, patient_id: int, payload: SideEffectIn):
    """Report a side effect from clinic-reference.md section 5 with its onset date and
    severity. The report is linked to the patient's most recent procedure on or before
    the onset date. Urgent reports (clinic-reference.md sections 5 and 7: difficulty
    swallowing, speaking or breathing, generalised weakness, double or blurred vision, a
    changed voice, loss of bladder control, an allergic reaction; or any effect reported
    `severe`) answer `urgent: true` with the one wording of the urgent advice, are e-mailed
    and texted to the on-call people at once, and stay on the clinic's alerts until a
    clinician or nurse acknowledges them."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    report = services.side_effect_report(
        patient=patient,
        effect=payload.effect.value,
        severity=payload.severity.value,
        onset_on=payload.onset_on,
        notes=payload.notes,
        actor=request.user,
        request=request,
    )
    return Status(201, _side_effect_out(report))


@router.get(
    "/patients/{patient_id}/side-effects",
    response=list[SideEffectOut],
    summary="The patient's side-effect reports",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def side_effect_list(request, patient_id: int):
    """Every side-effect report of the patient, latest onset first."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    reports = list(selectors.side_effect_reports_for(patient=patient))
    audit_view(request, patient=patient, summary="Side-effect reports viewed (API)")
    return [_side_effect_out(report) for report in reports]


@router.post(
    "/patients/{patient_id}/side-effects/{report_id}/acknowledge",
    response=SideEffectOut,
    summary="Acknowledge an urgent side-effect alert",
)
@api_roles(CLINICAL_ROLES)
def side_effect_acknowledge(request, patient_id: int, report_id: int):
    """A clinician or nurse marks the report as seen; it leaves the clinic's alerts."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    try:
        report = SideEffectReport.objects.get(pk=report_id, patient=patient)
    except SideEffectReport.DoesNotExist:
        raise HttpError(404, "No such side-effect report.") from None
    report = services.side_effect_acknowledge(report=report, actor=request.user, request=request)
    return _side_effect_out(report)


# ------------------------------------------------------------ diary, version 1.1
@router.get("/diary/triggers", response=list[TriggerOut], summary="The trigger list")
@api_roles(ALL_ROLES)
def trigger_list(request):
    """The triggers a patient can tick on a diary day: `code` (what a diary day's
    `triggers` carries) and `label`. Anything else goes in `other_triggers`."""
    return [{"code": code.value, "label": label} for code, label in TRIGGER_LABELS.items()]


class PainMapQuery(Schema):
    days: int = Field(PAIN_MAP_DAYS, ge=1, le=366)


@router.get(
    "/patients/{patient_id}/pain-map",
    response={200: PainMapOut, 422: RefusalOut},
    summary="Where the pain sat over the last days",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def pain_map_get(request, patient_id: int, filters: Query[PainMapQuery]):
    """On how many of the last `days` days (default 28, up to today) each pain region
    hurt, every region listed (0 when it never did)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    counts = selectors.pain_map_for(patient=patient, today=timezone.localdate(), days=filters.days)
    audit_view(request, patient=patient, summary=f"Pain map of {filters.days} days viewed (API)")
    return {
        "days": filters.days,
        "regions": [{"region": region.value, "days": n} for region, n in counts.items()],
    }


@router.get(
    "/patients/{patient_id}/follow-the-pain-suggestions",
    response=FollowThePainOut,
    summary="Follow-the-pain sites under the regions that hurt most",
)
@api_roles(PRESCRIBER_ROLES)
def follow_the_pain_suggestion_list(request, patient_id: int):
    """The follow-the-pain sites (temporalis under the temples, occipitalis under the back
    of the head, trapezius under the neck and shoulders, on the side that hurt) within
    the caps of clinic-reference.md section 2, the regions that hurt most in the last 28
    days first. Add the ones you accept to a PREEMPT plan's `sites`."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    _counts, suggestions = selectors.follow_the_pain_for(
        patient=patient, today=timezone.localdate()
    )
    audit_view(request, patient=patient, summary="Follow-the-pain suggestions viewed (API)")
    return {
        "sites": [
            {"site": s.site, "units": float(s.units), "region": s.region.value, "days": s.days}
            for s in suggestions
        ]
    }


def _attack_out(attack: Attack | None) -> dict | None:
    return None if attack is None else services.attack_json(attack)


@router.get(
    "/patients/{patient_id}/attacks/open",
    response=OpenAttackOut,
    summary="The attack going on, if any",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def attack_open(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, patient=patient, summary="Attack going on viewed (API)")
    return {"attack": _attack_out(services.open_attack(patient=patient))}


@router.post(
    "/patients/{patient_id}/attacks/start",
    response={201: OpenAttackOut, 409: RefusalOut, 422: RefusalOut},
    summary='Quick-log: "headache started"',
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def attack_start(request, patient_id: int, payload: AttackStartIn):
    """Record an attack going on from `started_at` (local time, default now) on its
    diary day. 409 while another attack is still going on. Idempotent for a given
    `started_at`: resending it (a phone's offline queue) answers the attack already
    recorded, stored once."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    attack = services.attack_start(
        patient=patient,
        actor=request.user,
        at=None if payload.started_at is None else _local(payload.started_at),
        request=request,
    )
    return Status(201, {"attack": _attack_out(attack)})


@router.post(
    "/patients/{patient_id}/attacks/end",
    response={200: OpenAttackOut, 422: RefusalOut},
    summary='Quick-log: "headache ended"',
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def attack_end(request, patient_id: int, payload: AttackEndIn):
    """Complete the attack going on with its worst pain and medicines. It is kept on
    every day it touched and each of those days is classified again. With `started_at`
    (the attack's start) a resent end of an attack already ended answers it unchanged."""
    patient = patient_for_user(request.user, patient_id, clinical=True, write=True)
    attack = services.attack_end(
        patient=patient,
        actor=request.user,
        ended_at=None if payload.ended_at is None else _local(payload.ended_at),
        started_at=None if payload.started_at is None else _local(payload.started_at),
        peak_severity=payload.peak_severity.value,
        medicines=[
            AcuteMedicationTaken(name=m.name, drug_class=m.drug_class, relieved=m.relieved)
            for m in payload.acute_medications
        ],
        request=request,
    )
    return Status(200, {"attack": _attack_out(attack)})
