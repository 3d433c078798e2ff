"""Treatment-plan validation: PREEMPT, follow-the-pain additions and targeted plans.

Source: clinic-reference.md section 2. A plan is a list of :class:`PlannedSite`
(site code, units). Two templates:

- ``PlanTemplate.preempt``: the 31 fixed PREEMPT sites at exactly 5 U each, plus optional
  follow-the-pain (FTP) additions. ``validate_plan`` takes the *whole* plan; build it with
  ``preempt_plan(ftp_additions)`` (the API receives only the additions) or call
  ``validate_preempt_additions``.
- ``PlanTemplate.custom`` (targeted plans): any known catalogue sites (fixed or FTP codes)
  at 2.5-10 U each.

Rules (``PlanProblem.rule`` codes):

=============================  ==========================================================
``empty_plan``                 a plan with no sites
``unknown_site``               the code is not in ``SITE_CATALOGUE``
``duplicate_site``             a site listed twice (for PREEMPT: an FTP addition that
                               repeats a fixed PREEMPT site)
``invalid_units``              units not a finite positive number, or not a whole
                               number of ``UNITS_STEP`` (0.1 U: 5.05 U is refused)
``preempt_units_fixed``        a fixed PREEMPT site not at 5 U
``preempt_site_missing``       a PREEMPT plan without one of the 31 fixed sites
``units_out_of_range``         a custom or FTP site outside 2.5-10 U
``follow_the_pain_cap``        FTP sites/units over a muscle cap (temporalis 2/10 U,
                               occipitalis 2/10 U, trapezius 4/20 U) or 8 sites/40 U
``session_max_units``          total over 195 U
``session_max_sites``          more than 39 sites
``cumulative_400_in_84_days``  over 400 U in an 84-day window (below)
=============================  ==========================================================

Interpretation choices (Cadence's, documented here):

- FTP units: the reference gives the FTP caps per muscle in sites and units; each FTP
  site may take 2.5-10 U (the targeted range) as long as the muscle's unit cap holds
  (so two temporalis FTP sites may take 5 + 5 U, or one may take 10 U).
- FTP caps apply to FTP-coded sites in any template. FTP sites exist only in temporalis,
  occipitalis and trapezius (the catalogue guarantees the "only in" rule); a PREEMPT
  addition that names a fixed PREEMPT site is a ``duplicate_site``.
- **The 84-day window** is 84 consecutive calendar days, both ends included: a window
  starting on day D covers D .. D+83. Two doses 83 days apart share a window; doses 84 or
  more days apart never do (so a dose on the usual day-84 re-treatment date does not share
  a window with the previous session). Every window that contains the new dose is checked
  (starts ``on - 83`` .. ``on``), counting ``other_toxin_doses`` before *and* after ``on``
  (e.g. a spasticity dose already booked). ``other_toxin_doses`` must list every other
  onabotulinumtoxinA dose of the patient, all indications, including earlier migraine
  sessions; a dose on the same day as ``on`` counts.

Public API
----------
- ``PlanTemplate``, ``PlannedSite(code, units)``, ``PlanProblem(rule, site, message)``
- ``preempt_plan(ftp_additions=()) -> list[PlannedSite]``
- ``targeted_plan(area_codes) -> list[PlannedSite]`` (trigger areas at default units)
- ``plan_totals(sites) -> tuple[int, Decimal]``
- ``validate_plan(template, sites, *, on, other_toxin_doses=()) -> list[PlanProblem]``
- ``validate_preempt_additions(ftp_additions, *, on, other_toxin_doses=())``
- ``cumulative_window_problem(new_units, *, on, other_toxin_doses) -> PlanProblem | None``
- ``worst_window(new_units, *, on, other_toxin_doses) -> tuple[date, date, Decimal]``
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from cadence.rules.sites import (
    CUMULATIVE_MAX_UNITS,
    CUMULATIVE_WINDOW_DAYS,
    FTP_MAX_SITES,
    FTP_MAX_UNITS,
    FTP_SITE_CAPS,
    FTP_UNIT_CAPS,
    MAX_SITES_PER_SESSION,
    MAX_UNITS_PER_SESSION,
    PREEMPT_SITES,
    SITE_CATALOGUE,
    TARGETED_MAX_UNITS,
    TARGETED_MIN_UNITS,
    TRIGGER_AREAS,
    UNITS_PER_SITE,
    UNITS_STEP,
    Muscle,
    format_units,
    to_units,
    units_off_step,
)

__all__ = [
    "PlanProblem",
    "PlanTemplate",
    "PlannedSite",
    "cumulative_window_problem",
    "plan_totals",
    "preempt_plan",
    "targeted_plan",
    "validate_plan",
    "validate_preempt_additions",
    "worst_window",
]


class PlanTemplate(StrEnum):
    preempt = "preempt"
    custom = "custom"


@dataclass(frozen=True, slots=True)
class PlannedSite:
    code: str
    units: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", to_units(self.units))


@dataclass(frozen=True, slots=True)
class PlanProblem:
    rule: str
    site: str | None
    message: str


def preempt_plan(ftp_additions: Sequence[PlannedSite] = ()) -> list[PlannedSite]:
    """The 31 fixed PREEMPT sites at 5 U followed by ``ftp_additions`` (not validated)."""
    return [PlannedSite(s.code, s.default_units) for s in PREEMPT_SITES] + list(ftp_additions)


def targeted_plan(area_codes: Iterable[str]) -> list[PlannedSite]:
    """The fixed sites of the given trigger areas at their default 5 U (KeyError if an
    area code is unknown). Sites shared by two areas are listed once."""
    codes: dict[str, None] = {}
    for area in area_codes:
        codes.update(dict.fromkeys(TRIGGER_AREAS[area].site_codes))
    return [PlannedSite(code, SITE_CATALOGUE[code].default_units) for code in codes]


def plan_totals(sites: Sequence[PlannedSite]) -> tuple[int, Decimal]:
    """(number of sites, total units)."""
    return len(sites), sum((s.units for s in sites), Decimal(0))


def _u(units: Decimal) -> str:
    return f"{format_units(units)} U"


def worst_window(
    new_units: Decimal, *, on: date, other_toxin_doses: Sequence[tuple[date, Decimal]]
) -> tuple[date, date, Decimal]:
    """The 84-day window containing ``on`` with the most units (new dose included):
    (first day, last day inclusive, total units). Ties go to the earliest window."""
    span = CUMULATIVE_WINDOW_DAYS - 1
    doses = [(d, to_units(u)) for d, u in other_toxin_doses if abs((d - on).days) <= span]
    best: tuple[date, date, Decimal] | None = None
    for offset in range(span, -1, -1):
        start = on - timedelta(days=offset)
        end = start + timedelta(days=span)
        total = to_units(new_units) + sum((u for d, u in doses if start <= d <= end), Decimal(0))
        if best is None or total > best[2]:
            best = (start, end, total)
    assert best is not None
    return best


def cumulative_window_problem(
    new_units: Decimal, *, on: date, other_toxin_doses: Sequence[tuple[date, Decimal]]
) -> PlanProblem | None:
    """The ``cumulative_400_in_84_days`` problem, or None if every window is within 400 U."""
    start, end, total = worst_window(new_units, on=on, other_toxin_doses=other_toxin_doses)
    if total <= CUMULATIVE_MAX_UNITS:
        return None
    others = total - to_units(new_units)
    return PlanProblem(
        "cumulative_400_in_84_days",
        None,
        f"{_u(new_units)} on {on.isoformat()} would bring onabotulinumtoxinA to {_u(total)} "
        f"in the {CUMULATIVE_WINDOW_DAYS}-day window {start.isoformat()} to {end.isoformat()} "
        f"({_u(others)} from other doses), {_u(total - CUMULATIVE_MAX_UNITS)} over the "
        f"{_u(CUMULATIVE_MAX_UNITS)} limit in any {CUMULATIVE_WINDOW_DAYS} days",
    )


def validate_plan(
    template: PlanTemplate | str,
    sites: Sequence[PlannedSite],
    *,
    on: date,
    other_toxin_doses: Sequence[tuple[date, Decimal]] = (),
) -> list[PlanProblem]:
    """Every problem with the plan (empty list = valid). See the module docstring."""
    template = PlanTemplate(template)
    problems: list[PlanProblem] = []
    if not sites:
        return [PlanProblem("empty_plan", None, "The plan has no injection sites")]

    counts = Counter(s.code for s in sites)
    reported_duplicates: set[str] = set()
    ftp_sites: dict[Muscle, list[PlannedSite]] = defaultdict(list)
    valid_units: list[Decimal] = []  # finite, positive units of known sites

    for site in sites:
        spec = SITE_CATALOGUE.get(site.code)
        if spec is None:
            problems.append(
                PlanProblem("unknown_site", site.code, f"Unknown injection site {site.code!r}")
            )
            continue
        if counts[site.code] > 1 and site.code not in reported_duplicates:
            reported_duplicates.add(site.code)
            what = (
                "a fixed PREEMPT site already in the plan"
                if template is PlanTemplate.preempt and not spec.follow_the_pain
                else "listed more than once"
            )
            problems.append(
                PlanProblem(
                    "duplicate_site",
                    site.code,
                    f"{spec.label} ({site.code}) appears {counts[site.code]} times: {what}",
                )
            )
        units = site.units
        if not units.is_finite() or units <= 0:
            problems.append(
                PlanProblem(
                    "invalid_units",
                    site.code,
                    f"{spec.label}: units must be a positive number, got {format_units(units)}",
                )
            )
            continue
        if units_off_step(units):
            problems.append(
                PlanProblem(
                    "invalid_units",
                    site.code,
                    f"{spec.label}: units are recorded in steps of {format_units(UNITS_STEP)} U; "
                    f"{format_units(units)} U doesn't fit (it is not rounded)",
                )
            )
            continue
        valid_units.append(units)
        if template is PlanTemplate.preempt and not spec.follow_the_pain:
            if units != UNITS_PER_SITE:
                problems.append(
                    PlanProblem(
                        "preempt_units_fixed",
                        site.code,
                        f"{spec.label}: PREEMPT sites take a fixed {_u(UNITS_PER_SITE)}, "
                        f"got {_u(units)} ({_u(abs(units - UNITS_PER_SITE))} "
                        f"{'over' if units > UNITS_PER_SITE else 'under'})",
                    )
                )
            continue
        if not TARGETED_MIN_UNITS <= units <= TARGETED_MAX_UNITS:
            if units < TARGETED_MIN_UNITS:
                by = f"{_u(TARGETED_MIN_UNITS - units)} under the {_u(TARGETED_MIN_UNITS)} minimum"
            else:
                by = f"{_u(units - TARGETED_MAX_UNITS)} over the {_u(TARGETED_MAX_UNITS)} maximum"
            problems.append(
                PlanProblem(
                    "units_out_of_range",
                    site.code,
                    f"{spec.label}: {_u(units)} per site is outside "
                    f"{format_units(TARGETED_MIN_UNITS)}-{_u(TARGETED_MAX_UNITS)}, {by}",
                )
            )
        if spec.follow_the_pain:
            ftp_sites[spec.muscle].append(site)

    if template is PlanTemplate.preempt:
        present = set(counts)
        for spec in PREEMPT_SITES:
            if spec.code not in present:
                problems.append(
                    PlanProblem(
                        "preempt_site_missing",
                        spec.code,
                        f"PREEMPT plan is missing the fixed site {spec.label} ({spec.code})",
                    )
                )

    # Follow-the-pain caps, per muscle and overall.
    for muscle, chosen in ftp_sites.items():
        n, total = plan_totals(chosen)
        if n > FTP_SITE_CAPS[muscle]:
            problems.append(
                PlanProblem(
                    "follow_the_pain_cap",
                    None,
                    f"{n} follow-the-pain sites in {muscle}, {n - FTP_SITE_CAPS[muscle]} over "
                    f"the cap of {FTP_SITE_CAPS[muscle]}",
                )
            )
        if total > FTP_UNIT_CAPS[muscle]:
            problems.append(
                PlanProblem(
                    "follow_the_pain_cap",
                    None,
                    f"Follow-the-pain {muscle} totals {_u(total)}, "
                    f"{_u(total - FTP_UNIT_CAPS[muscle])} over the {_u(FTP_UNIT_CAPS[muscle])} cap",
                )
            )
    all_ftp = [s for chosen in ftp_sites.values() for s in chosen]
    n_ftp, ftp_total = plan_totals(all_ftp)
    if n_ftp > FTP_MAX_SITES:
        problems.append(
            PlanProblem(
                "follow_the_pain_cap",
                None,
                f"{n_ftp} follow-the-pain sites, {n_ftp - FTP_MAX_SITES} over the cap of "
                f"{FTP_MAX_SITES}",
            )
        )
    if ftp_total > FTP_MAX_UNITS:
        problems.append(
            PlanProblem(
                "follow_the_pain_cap",
                None,
                f"Follow-the-pain additions total {_u(ftp_total)}, "
                f"{_u(ftp_total - FTP_MAX_UNITS)} over the {_u(FTP_MAX_UNITS)} cap",
            )
        )

    # Session limits.
    # Totals count the valid units of known sites only (a lower bound when some are
    # invalid, so any excess reported is real).
    site_count = len(sites)
    total_units = sum(valid_units, Decimal(0))
    if site_count > MAX_SITES_PER_SESSION:
        problems.append(
            PlanProblem(
                "session_max_sites",
                None,
                f"Plan has {site_count} sites, {site_count - MAX_SITES_PER_SESSION} over the "
                f"{MAX_SITES_PER_SESSION}-site per-session limit",
            )
        )
    if total_units > MAX_UNITS_PER_SESSION:
        problems.append(
            PlanProblem(
                "session_max_units",
                None,
                f"Plan totals {_u(total_units)}, {_u(total_units - MAX_UNITS_PER_SESSION)} over "
                f"the {_u(MAX_UNITS_PER_SESSION)} per-session limit",
            )
        )
    cumulative = cumulative_window_problem(total_units, on=on, other_toxin_doses=other_toxin_doses)
    if cumulative is not None:
        problems.append(cumulative)
    return problems


def validate_preempt_additions(
    ftp_additions: Sequence[PlannedSite],
    *,
    on: date,
    other_toxin_doses: Sequence[tuple[date, Decimal]] = (),
) -> list[PlanProblem]:
    """``validate_plan(preempt, preempt_plan(ftp_additions), ...)``."""
    return validate_plan(
        PlanTemplate.preempt,
        preempt_plan(ftp_additions),
        on=on,
        other_toxin_doses=other_toxin_doses,
    )
