"""From Botox to migraine surgery: trigger sites I-VI, the pain sketch, the site-level
response to a diagnostic injection or nerve block, surgery candidacy (PAINS) and the
Migraine Headache Index (clinic-reference.md section 8).

Pure Python: no Django, no I/O.

Trigger sites (Guyuron's classification, section 8), each tied to the diary's pain
regions (the patient's side) and to the catalogue's muscles (the clinician's side):

====  ================  =============================================  ====================
 #    code              pain regions (both sides)                      catalogue muscles
====  ================  =============================================  ====================
 I    frontal           forehead                                       corrugator, procerus
 II   temporal          temples                                        temporalis
 III  rhinogenic        around the eyes (retro-orbital)                none (not injectable)
 IV   occipital         back of the head, neck                         occipitalis,
                                                                       cervical paraspinal
 V    auriculotemporal  temples                                        none (nerve block)
 VI   lesser_occipital  back of the head                               none (nerve block)
====  ================  =============================================  ====================

Cadence's reading of the reference (the reference names nerves and muscles, not diary
regions): the region lists are where each site's nerves give pain; semispinalis capitis
(site IV) is one of the cervical paraspinal muscles of the catalogue; sites V and VI lie
under no catalogue muscle, so only a nerve block tests them; site III is assessed by
nasal endoscopy/CT, never injected. A region may belong to two sites (temples: II and V).

Site-level response (section 8 "Diagnostic injections"): the headache days whose pain
regions lie in the site (on the injected side; ``both`` takes both sides) in the
``PERIOD_DAYS`` days before the injection (``injected_on - 28 .. injected_on - 1``) and
from the injection on (``injected_on .. injected_on + 27``, as outcome periods start on
the procedure date). A headache day with no pain regions recorded cannot be placed: it is
*unlocated* and does not count as recorded for the site (conservative: it might have
started there). Each window needs ``MIN_RECORDED_DAYS`` located days, else the response
is unknown with the reason; counts are scaled to 28 days exactly (``Fraction``), as
outcomes are; "responded" at ``SITE_RESPONDER_PERCENT`` (50) % fewer, decided on exact
values. No headache day at the site before the injection: unknown (nothing to halve).

PAINS (section 8): Pain point, Appropriate symptoms, Injectables improve, Neurologist,
Sketch; each met / not met / unknown (``None``) with its evidence. The patient is a
surgical candidate for a site when all five are met; not when any is not met.

MHI (section 8): attacks per month x average severity (0-10) x average duration in days,
a "month" being the 28-day period of section 4. The diary records peak severity as none /
mild / moderate / severe, not 0-10: ``MHI_SEVERITY_SCORES`` places each on the 0-10 scale
at the middle of its usual numeric-rating band (mild 1-3, moderate 4-6, severe 7-10; a
Cadence default, configurable by the caller). Success after surgery: at least
``SURGERY_SUCCESS_PERCENT`` (50) % fewer (section 8).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from cadence.rules.outcomes import MIN_RECORDED_DAYS, PERIOD_DAYS, RESPONDER_PERCENT
from cadence.rules.pain_regions import PainRegion, region_side
from cadence.rules.sites import Muscle, get_site

__all__ = [
    "MHI_SEVERITY_SCORES",
    "SITE_RESPONDER_PERCENT",
    "SKETCH_MATCH_MIN_SHARE",
    "SURGERY_FOLLOW_UP_MONTHS",
    "SURGERY_SUCCESS_PERCENT",
    "Answer",
    "Attack",
    "Criterion",
    "MhiResult",
    "Pains",
    "SiteDay",
    "SiteResponse",
    "SketchShare",
    "SurgeryChange",
    "TriggerSite",
    "TriggerSiteSpec",
    "TRIGGER_SITES",
    "WindowCount",
    "add_months",
    "nerve_block_billing_lines",
    "surgery_change",
    "mhi",
    "operation_windows",
    "mhi_from_attacks",
    "pains",
    "percent_fewer",
    "site_regions",
    "site_response",
    "sketch_shares",
    "trigger_sites_for_injection_site",
    "trigger_sites_for_muscle",
    "trigger_sites_for_region",
]

#: Section 8 "Diagnostic injections" with section 4's responder: 50% fewer headache days.
SITE_RESPONDER_PERCENT: int = RESPONDER_PERCENT
#: Section 8 "Outcome after surgery": "at least 50% fewer is 'success'".
SURGERY_SUCCESS_PERCENT: int = 50
#: Section 8: follow-up "at 12 months and later"; the clinic also looks at 3 and 6 months.
SURGERY_FOLLOW_UP_MONTHS: tuple[int, ...] = (3, 6, 12)
#: The sketch matches a site when the site's regions hold at least this share of the
#: located headache days of the last 28 days. The reference gives no number: Cadence
#: default, conservative (a majority of the days), configurable by the caller.
SKETCH_MATCH_MIN_SHARE: Fraction = Fraction(1, 2)
#: Peak severity on the 0-10 scale of the MHI: the middle of the usual numeric-rating
#: bands (mild 1-3, moderate 4-6, severe 7-10). Cadence default, configurable.
MHI_SEVERITY_SCORES: Mapping[str, Fraction] = MappingProxyType(
    {"none": Fraction(0), "mild": Fraction(2), "moderate": Fraction(5), "severe": Fraction(17, 2)}
)


class TriggerSite(StrEnum):
    frontal = "frontal"
    temporal = "temporal"
    rhinogenic = "rhinogenic"
    occipital = "occipital"
    auriculotemporal = "auriculotemporal"
    lesser_occipital = "lesser_occipital"


@dataclass(frozen=True, slots=True)
class TriggerSiteSpec:
    code: TriggerSite
    numeral: str
    name: str
    nerves: tuple[str, ...]
    regions: frozenset[PainRegion]
    muscles: frozenset[Muscle]
    injectable: bool
    assessment: str = ""

    @property
    def label(self) -> str:
        return f"{self.numeral} {self.name}"


_R = PainRegion
TRIGGER_SITES: Mapping[TriggerSite, TriggerSiteSpec] = MappingProxyType(
    {
        TriggerSite.frontal: TriggerSiteSpec(
            TriggerSite.frontal,
            "I",
            "Frontal",
            ("supraorbital nerve", "supratrochlear nerve"),
            frozenset({_R.forehead_left, _R.forehead_right}),
            frozenset({Muscle.corrugator, Muscle.procerus}),
            True,
        ),
        TriggerSite.temporal: TriggerSiteSpec(
            TriggerSite.temporal,
            "II",
            "Temporal",
            ("zygomaticotemporal branch of the trigeminal nerve",),
            frozenset({_R.temple_left, _R.temple_right}),
            frozenset({Muscle.temporalis}),
            True,
        ),
        TriggerSite.rhinogenic: TriggerSiteSpec(
            TriggerSite.rhinogenic,
            "III",
            "Rhinogenic",
            (),
            frozenset({_R.eye_left, _R.eye_right}),
            frozenset(),
            False,
            "septum/turbinate contact points and sinus inflammation: assessed by nasal "
            "endoscopy or CT, not injectable",
        ),
        TriggerSite.occipital: TriggerSiteSpec(
            TriggerSite.occipital,
            "IV",
            "Occipital",
            ("greater occipital nerve", "third occipital nerve"),
            frozenset({_R.back_of_head_left, _R.back_of_head_right, _R.neck_left, _R.neck_right}),
            frozenset({Muscle.occipitalis, Muscle.cervical_paraspinal}),
            True,
        ),
        TriggerSite.auriculotemporal: TriggerSiteSpec(
            TriggerSite.auriculotemporal,
            "V",
            "Auriculotemporal",
            ("auriculotemporal nerve",),
            frozenset({_R.temple_left, _R.temple_right}),
            frozenset(),
            True,
        ),
        TriggerSite.lesser_occipital: TriggerSiteSpec(
            TriggerSite.lesser_occipital,
            "VI",
            "Lesser occipital",
            ("lesser occipital nerve",),
            frozenset({_R.back_of_head_left, _R.back_of_head_right}),
            frozenset(),
            True,
        ),
    }
)


def site_regions(site: TriggerSite | str, side: str = "both") -> frozenset[PainRegion]:
    """The site's pain regions on ``side`` (``left``, ``right`` or ``both``)."""
    regions = TRIGGER_SITES[TriggerSite(site)].regions
    if side == "both":
        return regions
    if side not in ("left", "right"):
        raise ValueError(f"side must be left, right or both, not {side!r}")
    return frozenset(r for r in regions if region_side(r) in (side, "midline"))


def trigger_sites_for_region(region: PainRegion | str) -> tuple[TriggerSite, ...]:
    return tuple(code for code, spec in TRIGGER_SITES.items() if PainRegion(region) in spec.regions)


def trigger_sites_for_muscle(muscle: Muscle | str) -> tuple[TriggerSite, ...]:
    return tuple(code for code, spec in TRIGGER_SITES.items() if Muscle(muscle) in spec.muscles)


def trigger_sites_for_injection_site(code: str) -> tuple[TriggerSite, ...]:
    """The trigger sites a catalogue injection site treats (through its muscle)."""
    return trigger_sites_for_muscle(get_site(code).muscle)


# =======================================================================================
# Site-level response
# =======================================================================================


@dataclass(frozen=True, slots=True)
class SiteDay:
    """One recorded diary day: whether it was a headache day and where it hurt (``None``:
    regions not recorded)."""

    on: date
    is_headache_day: bool
    pain_regions: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class WindowCount:
    start: date
    end: date
    days_recorded: int  # located days: no headache, or a headache with its regions
    site_days: int  # headache days with a pain region in the site
    unlocated_days: int  # headache days with no regions recorded
    exact: Fraction | None  # site_days scaled to 28 days; None under MIN_RECORDED_DAYS

    @property
    def shown(self) -> float | None:
        return None if self.exact is None else round(float(self.exact), 1)


@dataclass(frozen=True, slots=True)
class SiteResponse:
    trigger_site: TriggerSite
    side: str
    injected_on: date
    before: WindowCount
    after: WindowCount
    responded: bool | None
    reason: str
    percent_fewer: Fraction | None = None


def _window(
    days: Mapping[date, SiteDay], regions: frozenset[str], start: date, end: date
) -> WindowCount:
    recorded = site = unlocated = 0
    on = start
    while on <= end:
        day = days.get(on)
        on += timedelta(days=1)
        if day is None:
            continue
        if not day.is_headache_day:
            recorded += 1
        elif day.pain_regions is None or not day.pain_regions:
            unlocated += 1
        else:
            recorded += 1
            site += bool(regions & set(day.pain_regions))
    exact = None
    if recorded >= MIN_RECORDED_DAYS:
        exact = min(Fraction(site * PERIOD_DAYS, recorded), Fraction(PERIOD_DAYS))
    return WindowCount(start, end, recorded, site, unlocated, exact)


def percent_fewer(before: Fraction, after: Fraction) -> Fraction:
    """How much fewer ``after`` is than ``before``, in percent (negative: more)."""
    return (before - after) * 100 / before


@dataclass(frozen=True, slots=True)
class SurgeryChange:
    """A follow-up window after surgery against the pre-operative baseline."""

    headache_change: Fraction | None  # percent fewer headache days (negative: more)
    mhi_change: Fraction | None  # percent lower MHI
    success: bool | None  # at least SURGERY_SUCCESS_PERCENT fewer headache days


def surgery_change(
    *,
    ended: bool,
    baseline_headache_days: Fraction | None,
    headache_days: Fraction | None,
    baseline_mhi: Fraction | None,
    mhi_value: Fraction | None,
    success_percent: int = SURGERY_SUCCESS_PERCENT,
) -> SurgeryChange:
    """Section 8 "Outcome after surgery", decided on exact values: nothing before the
    window has ended, nor against a missing or zero baseline."""
    headache_change = success = mhi_change = None
    if ended and headache_days is not None and baseline_headache_days:
        headache_change = percent_fewer(baseline_headache_days, headache_days)
        success = headache_change >= success_percent
    if ended and mhi_value is not None and baseline_mhi:
        mhi_change = percent_fewer(baseline_mhi, mhi_value)
    return SurgeryChange(headache_change, mhi_change, success)


#: The billing modifier of a nerve block given on both sides (bilateral procedure).
BILATERAL_MODIFIER = "50"


def nerve_block_billing_lines(codes: Sequence[str], side: str) -> list[dict]:
    """One billing line per code of the nerve (the clinic's configurable code table);
    a block of both sides carries the bilateral modifier."""
    modifier = BILATERAL_MODIFIER if side == "both" else ""
    return [{"code": code, "units": 1, "modifier": modifier} for code in codes]


def site_response(
    days: Iterable[SiteDay],
    *,
    trigger_site: TriggerSite | str,
    side: str,
    injected_on: date,
    as_of: date,
    responder_percent: int | Fraction = SITE_RESPONDER_PERCENT,
) -> SiteResponse:
    """The site-level response to a diagnostic injection or block on ``injected_on``
    (module docstring). ``as_of``: today; the 28 days after must have ended."""
    site = TriggerSite(trigger_site)
    regions = frozenset(str(r) for r in site_regions(site, side))
    by_date = {d.on: d for d in days}
    before = _window(
        by_date,
        regions,
        injected_on - timedelta(days=PERIOD_DAYS),
        injected_on - timedelta(days=1),
    )
    after = _window(by_date, regions, injected_on, injected_on + timedelta(days=PERIOD_DAYS - 1))

    def answer(responded, reason, fewer=None):
        return SiteResponse(site, side, injected_on, before, after, responded, reason, fewer)

    if as_of <= after.end:
        return answer(
            None, f"unknown: the {PERIOD_DAYS} days after the injection end on {after.end}"
        )
    for name, window in (("before", before), ("after", after)):
        if window.exact is None:
            unlocated = (
                f" ({window.unlocated_days} headache days have no pain regions)"
                if window.unlocated_days
                else ""
            )
            return answer(
                None,
                f"unknown: the {PERIOD_DAYS} days {name} the injection have "
                f"{window.days_recorded} recorded days{unlocated}; {MIN_RECORDED_DAYS} are needed",
            )
    assert before.exact is not None and after.exact is not None
    if before.exact == 0:
        return answer(
            None,
            "unknown: no headache day started at this site before the injection (nothing to halve)",
        )
    fewer = percent_fewer(before.exact, after.exact)
    shown = f"{float(fewer):.1f}"
    if fewer >= responder_percent:
        return answer(True, f"responded: {shown}% fewer headache days at the site", fewer)
    return answer(
        False,
        f"did not respond: {shown}% fewer headache days at the site ({responder_percent}% needed)",
        fewer,
    )


# =======================================================================================
# The pain sketch
# =======================================================================================


@dataclass(frozen=True, slots=True)
class SketchShare:
    trigger_site: TriggerSite
    headache_days: int  # located headache days with a region in the site
    located_days: int  # headache days with regions recorded
    share: Fraction | None  # headache_days / located_days; None with no located day


def sketch_shares(days: Iterable[SiteDay]) -> dict[TriggerSite, SketchShare]:
    """Each trigger site's share of the located headache days (regions of two sites count
    for both, so shares may add up to more than 1)."""
    located = [d for d in days if d.is_headache_day and d.pain_regions]
    result = {}
    for code, spec in TRIGGER_SITES.items():
        regions = {str(r) for r in spec.regions}
        n = sum(1 for d in located if regions & set(d.pain_regions or ()))
        share = Fraction(n, len(located)) if located else None
        result[code] = SketchShare(code, n, len(located), share)
    return result


# =======================================================================================
# PAINS
# =======================================================================================


class Answer(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    met: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Pains:
    trigger_site: TriggerSite | None
    criteria: tuple[Criterion, ...]
    candidate: bool | None = field(default=None)


PAINS_CODES = (
    "pain_point",
    "appropriate_symptoms",
    "injectables_improve",
    "neurologist_diagnosis",
    "sketch_matching",
)


def _answer(value: Answer | str | None) -> Answer:
    return Answer(value) if value else Answer.unknown


def pains(
    *,
    trigger_site: TriggerSite | str | None,
    pain_point: Answer | str | None,
    pain_point_site: TriggerSite | str | None = None,
    symptoms: Answer | str | None,
    symptoms_detail: str = "",
    responses: Sequence[SiteResponse] = (),
    neurologist: tuple[bool | None, str] = (None, "not recorded"),
    sketch: Mapping[TriggerSite, SketchShare] | None = None,
    sketch_days_recorded: int = 0,
    sketch_min_share: Fraction = SKETCH_MATCH_MIN_SHARE,
) -> Pains:
    """The five PAINS criteria for ``trigger_site`` (section 8), each with its evidence.

    - pain point: the work-up's answer (can the patient show the pain with one finger),
      at this site;
    - appropriate symptoms: the work-up's answer for this site;
    - injectables improve: the site-level responses at this site (any responded: met;
      all that could be judged did not: not met; none judged: unknown);
    - neurologist: the candidacy's ``neurologist_diagnosis`` criterion (met, detail);
    - sketch: the site's share of the located headache days of the last 28 days is at
      least ``sketch_min_share``, with at least ``MIN_RECORDED_DAYS`` recorded days.
    """
    site = TriggerSite(trigger_site) if trigger_site else None
    criteria: list[Criterion] = []
    if site is None:
        detail = "unknown: no trigger site chosen (record the pain point at the work-up)"
        criteria = [Criterion(code, None, detail) for code in PAINS_CODES[:3]]
        criteria.append(Criterion("neurologist_diagnosis", neurologist[0], neurologist[1]))
        criteria.append(Criterion("sketch_matching", None, detail))
        return Pains(None, tuple(criteria), _overall(criteria))
    spec = TRIGGER_SITES[site]

    point = _answer(pain_point)
    point_site = TriggerSite(pain_point_site) if pain_point_site else None
    if point is Answer.yes and point_site not in (None, site):
        criteria.append(
            Criterion(
                "pain_point",
                False,
                f"the patient shows the pain at site {TRIGGER_SITES[point_site].label}, "
                f"not {spec.label}",
            )
        )
    elif point is Answer.yes:
        criteria.append(
            Criterion(
                "pain_point", True, f"the patient shows the pain with one finger at {spec.label}"
            )
        )
    elif point is Answer.no:
        criteria.append(
            Criterion("pain_point", False, "the patient cannot show the pain with one finger")
        )
    else:
        criteria.append(
            Criterion(
                "pain_point", None, "unknown: the pain point is not recorded from the work-up"
            )
        )

    symptoms_answer = _answer(symptoms)
    said = f": {symptoms_detail.strip()}" if symptoms_detail.strip() else ""
    criteria.append(
        Criterion(
            "appropriate_symptoms",
            {Answer.yes: True, Answer.no: False}.get(symptoms_answer),
            {
                Answer.yes: f"symptoms appropriate for {spec.label}{said}",
                Answer.no: f"symptoms not appropriate for {spec.label}{said}",
            }.get(symptoms_answer, "unknown: the symptoms are not recorded from the work-up"),
        )
    )

    at_site = [r for r in responses if r.trigger_site == site]
    judged = [r for r in at_site if r.responded is not None]
    if any(r.responded for r in judged):
        best = next(r for r in judged if r.responded)
        criteria.append(
            Criterion(
                "injectables_improve",
                True,
                f"diagnostic injection on {best.injected_on} ({best.side}): {best.reason}",
            )
        )
    elif judged:
        last = judged[-1]
        criteria.append(
            Criterion(
                "injectables_improve",
                False,
                f"diagnostic injection on {last.injected_on} ({last.side}): {last.reason}",
            )
        )
    elif at_site:
        criteria.append(Criterion("injectables_improve", None, at_site[-1].reason))
    elif not spec.injectable:
        criteria.append(
            Criterion("injectables_improve", None, f"unknown: {spec.label} is {spec.assessment}")
        )
    else:
        criteria.append(
            Criterion(
                "injectables_improve",
                None,
                f"unknown: no diagnostic injection or nerve block at {spec.label} yet",
            )
        )

    criteria.append(Criterion("neurologist_diagnosis", neurologist[0], neurologist[1]))

    share = (sketch or {}).get(site)
    if sketch_days_recorded < MIN_RECORDED_DAYS or share is None or share.share is None:
        criteria.append(
            Criterion(
                "sketch_matching",
                None,
                f"unknown: the diary has {sketch_days_recorded} recorded days of the last "
                f"{PERIOD_DAYS} with pain regions; {MIN_RECORDED_DAYS} are needed",
            )
        )
    else:
        percent = f"{float(share.share * 100):.0f}%"
        words = (
            f"{share.headache_days} of {share.located_days} headache days ({percent}) "
            f"in the regions of {spec.label}"
        )
        criteria.append(Criterion("sketch_matching", share.share >= sketch_min_share, words))
    return Pains(site, tuple(criteria), _overall(criteria))


def _overall(criteria: Sequence[Criterion]) -> bool | None:
    if any(c.met is False for c in criteria):
        return False
    if all(c.met is True for c in criteria):
        return True
    return None


# =======================================================================================
# After surgery
# =======================================================================================


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def operation_windows(
    operated_on: date, months: Sequence[int] = SURGERY_FOLLOW_UP_MONTHS
) -> dict[int | None, tuple[date, date]]:
    """The pre-operative baseline (key ``None``: the 28 days before the operation) and,
    for each follow-up month, the 28 days that end the day before that month's
    anniversary of the operation (3 months after 2026-01-15: 2026-03-18 .. 2026-04-14)."""
    windows: dict[int | None, tuple[date, date]] = {
        None: (operated_on - timedelta(days=PERIOD_DAYS), operated_on - timedelta(days=1))
    }
    for n in months:
        end = add_months(operated_on, n) - timedelta(days=1)
        windows[n] = (end - timedelta(days=PERIOD_DAYS - 1), end)
    return windows


# =======================================================================================
# MHI
# =======================================================================================


@dataclass(frozen=True, slots=True)
class Attack:
    started_at: datetime
    ended_at: datetime | None
    severity: str  # none / mild / moderate / severe


@dataclass(frozen=True, slots=True)
class MhiResult:
    attacks_per_period: Fraction | None
    average_severity: Fraction | None
    average_duration_days: Fraction | None
    value: Fraction | None
    detail: str

    @property
    def shown(self) -> float | None:
        return None if self.value is None else round(float(self.value), 1)


def mhi(
    attacks_per_month: Fraction | int,
    average_severity: Fraction | int,
    duration_days: Fraction | int,
) -> Fraction:
    """MHI = attacks per month x average severity (0-10) x average duration in days."""
    if attacks_per_month < 0 or duration_days < 0 or not 0 <= average_severity <= 10:
        raise ValueError("attacks and duration are >= 0 and severity lies in 0-10")
    return Fraction(attacks_per_month) * Fraction(average_severity) * Fraction(duration_days)


def mhi_from_attacks(
    attacks: Iterable[Attack],
    *,
    days_recorded: int,
    period_end: datetime,
    severity_scores: Mapping[str, Fraction] = MHI_SEVERITY_SCORES,
) -> MhiResult:
    """MHI over one period from its attacks: attacks scaled to 28 days as outcomes scale
    counts (``None`` under ``MIN_RECORDED_DAYS``), severity from ``severity_scores``,
    duration in days (an attack still going is counted up to ``period_end``). Attacks
    are deduplicated by start (the diary keeps an attack on each day it touched)."""
    unique = {a.started_at: a for a in attacks}
    if days_recorded < MIN_RECORDED_DAYS:
        return MhiResult(
            None,
            None,
            None,
            None,
            f"unknown: {days_recorded} recorded days; {MIN_RECORDED_DAYS} are needed",
        )
    days = min(days_recorded, PERIOD_DAYS)
    if not unique:
        return MhiResult(Fraction(0), None, None, Fraction(0), "no attacks")
    per_period = Fraction(len(unique) * PERIOD_DAYS, days)
    severity = sum((Fraction(severity_scores[a.severity]) for a in unique.values()), Fraction(0))
    severity /= len(unique)
    seconds = Fraction(0)
    for a in unique.values():
        end = a.ended_at or period_end
        seconds += max(Fraction(int((end - a.started_at).total_seconds())), Fraction(0))
    duration = seconds / len(unique) / 86400
    value = mhi(per_period, severity, duration)
    return MhiResult(
        per_period,
        severity,
        duration,
        value,
        f"{float(per_period):.1f} attacks x severity {float(severity):.1f} x "
        f"{float(duration):.2f} days",
    )
