"""Where the pain sits: the published pain-region codes, where each lies on the head map,
and the follow-the-pain suggestions drawn from the regions that hurt most.

Pure Python: no Django, no I/O.

Regions (api-contract.md "Diary, version 1.1"): ``forehead_left``, ``forehead_right``,
``eye_left``, ``eye_right``, ``temple_left``, ``temple_right``, ``top_of_head``,
``back_of_head_left``, ``back_of_head_right``, ``neck_left``, ``neck_right``,
``shoulder_left``, ``shoulder_right``. Left and right are the patient's.

Follow-the-pain (clinic-reference.md section 2 and 7): the extra sites lie only in
temporalis (under the temples), occipitalis (under the back of the head) and trapezius
(under the neck and shoulders), within the caps per muscle (temporalis 2 sites / 10 U,
occipitalis 2 / 10 U, trapezius 4 / 20 U; per muscle, not per side). A suggestion is an
FTP site on the side of a region that hurt on at least ``FOLLOW_THE_PAIN_MIN_DAYS`` of the
last ``PAIN_MAP_DAYS`` days, the regions that hurt most first. The clinician accepts each
suggestion or not; the plan is validated as usual.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cadence.rules.sites import FTP_SITE_CAPS, FTP_UNIT_CAPS, Muscle

__all__ = [
    "FOLLOW_THE_PAIN_MIN_DAYS",
    "PAIN_MAP_DAYS",
    "PAIN_REGION_LABELS",
    "REGION_MUSCLE",
    "REGION_PLACES",
    "PainRegion",
    "Suggestion",
    "follow_the_pain_suggestions",
    "pain_map",
    "region_side",
]

#: The pain map and the suggestions look at this many days (the 28-day period of
#: clinic-reference.md section 4).
PAIN_MAP_DAYS = 28
#: A region must have hurt on at least this many of those days to suggest a site under it.
#: Cadence default (the reference gives no number): any day of pain in the region, since
#: the clinician decides on every suggestion.
FOLLOW_THE_PAIN_MIN_DAYS = 1


class PainRegion(StrEnum):
    forehead_left = "forehead_left"
    forehead_right = "forehead_right"
    eye_left = "eye_left"
    eye_right = "eye_right"
    temple_left = "temple_left"
    temple_right = "temple_right"
    top_of_head = "top_of_head"
    back_of_head_left = "back_of_head_left"
    back_of_head_right = "back_of_head_right"
    neck_left = "neck_left"
    neck_right = "neck_right"
    shoulder_left = "shoulder_left"
    shoulder_right = "shoulder_right"


PAIN_REGION_LABELS: dict[PainRegion, str] = {
    PainRegion.forehead_left: "Forehead, left",
    PainRegion.forehead_right: "Forehead, right",
    PainRegion.eye_left: "Around the left eye",
    PainRegion.eye_right: "Around the right eye",
    PainRegion.temple_left: "Left temple",
    PainRegion.temple_right: "Right temple",
    PainRegion.top_of_head: "Top of the head",
    PainRegion.back_of_head_left: "Back of the head, left",
    PainRegion.back_of_head_right: "Back of the head, right",
    PainRegion.neck_left: "Neck, left",
    PainRegion.neck_right: "Neck, right",
    PainRegion.shoulder_left: "Shoulder, left",
    PainRegion.shoulder_right: "Shoulder, right",
}

#: Where each region is tapped on the head map: (view, x, y) in the 0-100 box of
#: ``cadence.rules.sites`` (front: the patient's right on the viewer's left; back: the
#: patient's left on the viewer's left; left/right: profiles).
REGION_PLACES: dict[PainRegion, tuple[str, float, float]] = {
    PainRegion.forehead_left: ("front", 66, 22),
    PainRegion.forehead_right: ("front", 34, 22),
    PainRegion.eye_left: ("front", 62, 46),
    PainRegion.eye_right: ("front", 38, 46),
    PainRegion.temple_left: ("left", 47, 33),
    PainRegion.temple_right: ("right", 53, 33),
    PainRegion.top_of_head: ("front", 50, 6),
    PainRegion.back_of_head_left: ("back", 34, 32),
    PainRegion.back_of_head_right: ("back", 66, 32),
    PainRegion.neck_left: ("back", 38, 62),
    PainRegion.neck_right: ("back", 62, 62),
    PainRegion.shoulder_left: ("back", 18, 82),
    PainRegion.shoulder_right: ("back", 82, 82),
}

#: The follow-the-pain muscle under a region (regions with none have no FTP sites).
REGION_MUSCLE: dict[PainRegion, Muscle] = {
    PainRegion.temple_left: Muscle.temporalis,
    PainRegion.temple_right: Muscle.temporalis,
    PainRegion.back_of_head_left: Muscle.occipitalis,
    PainRegion.back_of_head_right: Muscle.occipitalis,
    PainRegion.neck_left: Muscle.trapezius,
    PainRegion.neck_right: Muscle.trapezius,
    PainRegion.shoulder_left: Muscle.trapezius,
    PainRegion.shoulder_right: Muscle.trapezius,
}


def region_side(region: PainRegion | str) -> str:
    """``left``, ``right`` or ``midline``."""
    code = str(region)
    if code.endswith("_left"):
        return "left"
    if code.endswith("_right"):
        return "right"
    return "midline"


def pain_map(days_regions: Iterable[Iterable[str] | None]) -> dict[PainRegion, int]:
    """On how many of the given days each region hurt (every region, 0 when never).
    Unknown codes are ignored; a region listed twice on one day counts once."""
    counts: Counter[PainRegion] = Counter()
    known = set(PainRegion)
    for regions in days_regions:
        for code in set(regions or ()):
            if code in known:
                counts[PainRegion(code)] += 1
    return {region: counts.get(region, 0) for region in PainRegion}


@dataclass(frozen=True, slots=True)
class Suggestion:
    site: str
    units: Decimal
    region: PainRegion
    days: int


def follow_the_pain_suggestions(
    region_days: dict[PainRegion, int],
    ftp_sites: Iterable[object],
    *,
    min_days: int = FOLLOW_THE_PAIN_MIN_DAYS,
) -> list[Suggestion]:
    """FTP sites under the regions that hurt most, within the caps per muscle.

    ``ftp_sites``: the catalogue's follow-the-pain sites, anything with ``code``,
    ``muscle``, ``side`` and ``default_units``. Regions that hurt on at least ``min_days``
    days are ranked from the most days down (ties in the region list's order). In rounds,
    each region in rank order takes the next FTP site of its muscle on its side, while
    the muscle's site and unit caps allow: so two aching temples get one temporalis site
    each before one temple gets a second. A site is suggested once.
    """
    sites_by_muscle_side: dict[tuple[str, str], list[object]] = {}
    for site in sorted(ftp_sites, key=lambda s: s.code):
        key = (str(site.muscle), str(site.side))
        sites_by_muscle_side.setdefault(key, []).append(site)
    order = list(PainRegion)
    ranked = sorted(
        (r for r in REGION_MUSCLE if region_days.get(r, 0) >= max(min_days, 1)),
        key=lambda r: (-region_days[r], order.index(r)),
    )
    used_sites: Counter[Muscle] = Counter()
    used_units: dict[Muscle, Decimal] = {}
    taken: set[str] = set()
    suggestions: list[Suggestion] = []
    added = True
    while added:
        added = False
        for region in ranked:
            muscle = REGION_MUSCLE[region]
            candidates = [
                site
                for site in sites_by_muscle_side.get((str(muscle), region_side(region)), [])
                if site.code not in taken
            ]
            if not candidates:
                continue
            site = candidates[0]
            units = Decimal(str(site.default_units))
            if used_sites[muscle] + 1 > FTP_SITE_CAPS[muscle]:
                continue
            if used_units.get(muscle, Decimal(0)) + units > FTP_UNIT_CAPS[muscle]:
                continue
            taken.add(site.code)
            used_sites[muscle] += 1
            used_units[muscle] = used_units.get(muscle, Decimal(0)) + units
            suggestions.append(
                Suggestion(site=site.code, units=units, region=region, days=region_days[region])
            )
            added = True
    return suggestions
