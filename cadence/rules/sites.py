"""The injection-site catalogue: the PREEMPT pattern and follow-the-pain sites.

Source: clinic-reference.md section 2. Every site has a stable code used in plans,
procedure notes and the API:

- fixed PREEMPT sites: ``{muscle}_{side}_{n}`` (``corrugator_left_1``,
  ``procerus_midline_1``, ``frontalis_right_2``, ``temporalis_left_4``,
  ``trapezius_right_3``);
- follow-the-pain (FTP) sites: ``{muscle}_{side}_ftp_{n}`` (``temporalis_left_ftp_1``,
  ``trapezius_right_ftp_4``): temporalis and occipitalis 2 per side, trapezius 4 per
  side = 16 sites of 5 U, of which a plan may use at most 8 (the caps are per muscle, not
  per side: each muscle's extras may all sit on the painful side -- both temporalis, both
  occipitalis, all four trapezius; clinic-reference.md section 7).

Head-map coordinates: ``view`` is one of ``front`` (the face, seen from in front, so the
patient's right is on the viewer's left, x < 50), ``left`` / ``right`` (profiles; the face
points to x = 0 on the left view and to x = 100 on the right view) and ``back`` (back of
the head, neck and shoulders, seen from behind, so the patient's left is on the viewer's
left). (x, y) lie in a 0-100 box, y growing downwards.

Units are :class:`decimal.Decimal` throughout (2.5 U doses exist).

Public API
----------
- ``Muscle``, ``Side`` (StrEnums), ``InjectionSiteSpec``, ``TriggerArea``
- ``PREEMPT_SITES`` (31), ``FOLLOW_THE_PAIN_SITES`` (16), ``ALL_SITES``,
  ``SITE_CATALOGUE`` (code -> spec), ``TRIGGER_AREAS`` (code -> TriggerArea)
- ``get_site(code) -> InjectionSiteSpec`` (KeyError if unknown)
- ``sites_for_muscle(muscle, *, follow_the_pain=None) -> tuple[InjectionSiteSpec, ...]``
- ``to_units(value) -> Decimal`` and ``format_units(units) -> str`` ("155", "2.5")
- Constants: ``UNITS_PER_SITE``, ``PREEMPT_TOTAL_UNITS``, ``PREEMPT_SITE_COUNT``,
  ``PREEMPT_SITES_PER_MUSCLE``, ``FTP_SITE_CAPS``, ``FTP_UNIT_CAPS``, ``FTP_MAX_SITES``,
  ``FTP_MAX_UNITS``, ``FTP_MUSCLES``, ``MAX_UNITS_PER_SESSION``, ``MAX_SITES_PER_SESSION``,
  ``TARGETED_MIN_UNITS``, ``TARGETED_MAX_UNITS``, ``CUMULATIVE_WINDOW_DAYS``,
  ``CUMULATIVE_MAX_UNITS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

__all__ = [
    "ALL_SITES",
    "CUMULATIVE_MAX_UNITS",
    "CUMULATIVE_WINDOW_DAYS",
    "FOLLOW_THE_PAIN_SITES",
    "FTP_MAX_SITES",
    "FTP_MAX_UNITS",
    "FTP_MUSCLES",
    "FTP_SITE_CAPS",
    "FTP_UNIT_CAPS",
    "MAX_SITES_PER_SESSION",
    "MAX_UNITS_PER_SESSION",
    "PREEMPT_SITES",
    "PREEMPT_SITES_PER_MUSCLE",
    "PREEMPT_SITE_COUNT",
    "PREEMPT_TOTAL_UNITS",
    "SITE_CATALOGUE",
    "TARGETED_MAX_UNITS",
    "TARGETED_MIN_UNITS",
    "TRIGGER_AREAS",
    "UNITS_PER_SITE",
    "UNITS_STEP",
    "InjectionSiteSpec",
    "Muscle",
    "Side",
    "TriggerArea",
    "View",
    "format_units",
    "get_site",
    "sites_for_muscle",
    "to_units",
    "units_off_step",
]


class Muscle(StrEnum):
    corrugator = "corrugator"
    procerus = "procerus"
    frontalis = "frontalis"
    temporalis = "temporalis"
    occipitalis = "occipitalis"
    cervical_paraspinal = "cervical_paraspinal"
    trapezius = "trapezius"


class Side(StrEnum):
    left = "left"
    right = "right"
    midline = "midline"


View = Literal["front", "left", "right", "back"]

# --- Section 2 numbers -------------------------------------------------------------------
#: "Fixed sites, 5 U in 0.1 mL at each site".
UNITS_PER_SITE = Decimal(5)
#: The PREEMPT table: "| **total** | **31** | **155** |".
PREEMPT_SITE_COUNT = 31
PREEMPT_TOTAL_UNITS = Decimal(155)
#: The PREEMPT table, sites per muscle group (bilateral unless noted).
PREEMPT_SITES_PER_MUSCLE: Mapping[Muscle, int] = MappingProxyType(
    {
        Muscle.corrugator: 2,  # 1 each side
        Muscle.procerus: 1,  # midline
        Muscle.frontalis: 4,  # 2 each side
        Muscle.temporalis: 8,  # 4 each side
        Muscle.occipitalis: 6,  # 3 each side
        Muscle.cervical_paraspinal: 4,  # 2 each side
        Muscle.trapezius: 6,  # 3 each side
    }
)
#: "Follow-the-pain (FTP): up to 8 more sites / 40 U, only in temporalis (up to 2 sites,
#: 10 U), occipitalis (up to 2 sites, 10 U) and trapezius (up to 4 sites, 20 U)".
FTP_SITE_CAPS: Mapping[Muscle, int] = MappingProxyType(
    {Muscle.temporalis: 2, Muscle.occipitalis: 2, Muscle.trapezius: 4}
)
FTP_UNIT_CAPS: Mapping[Muscle, Decimal] = MappingProxyType(
    {Muscle.temporalis: Decimal(10), Muscle.occipitalis: Decimal(10), Muscle.trapezius: Decimal(20)}
)
FTP_MUSCLES = frozenset(FTP_SITE_CAPS)
FTP_MAX_SITES = 8
FTP_MAX_UNITS = Decimal(40)
#: "at most **195 U at 39 sites** per session".
MAX_UNITS_PER_SESSION = Decimal(195)
MAX_SITES_PER_SESSION = 39
#: Targeted plans: "units per site are 2.5 to 10 U".
TARGETED_MIN_UNITS = Decimal("2.5")
TARGETED_MAX_UNITS = Decimal(10)
#: "no more than 400 U of onabotulinumtoxinA across all indications in any 3-month (84-day)
#: window". How a window is counted is documented in ``plans.validate_plan``.
CUMULATIVE_WINDOW_DAYS = 84
CUMULATIVE_MAX_UNITS = Decimal(400)
#: The finest amount a note records (the reference gives no step; this is the one decimal
#: place the database keeps). A dose that doesn't fit is refused, never rounded.
UNITS_STEP = Decimal("0.1")


def to_units(value: Decimal | int | float | str) -> Decimal:
    """Convert a units value to Decimal (floats through their shortest repr).

    Raises ``ValueError`` for values that are not numbers at all; non-finite values
    (NaN, infinity) are returned as is so validators can report them.
    """
    if isinstance(value, bool):
        raise ValueError(f"units must be a number, not {value!r}")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"units must be a number, not {value!r}") from None


def units_off_step(units: Decimal) -> bool:
    """True when a finite `units` is not a whole number of ``UNITS_STEP`` (5.05 U). Compared
    by decimal places (the step is a power of ten), so 1E+100 never raises here."""
    if not units.is_finite():
        return False
    return units.normalize().as_tuple().exponent < UNITS_STEP.as_tuple().exponent


def format_units(units: Decimal | int) -> str:
    """``Decimal("155.0") -> "155"``, ``Decimal("2.50") -> "2.5"`` (no exponent)."""
    d = Decimal(units)
    if not d.is_finite():
        return str(d)
    text = f"{d.normalize():f}"
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True, slots=True)
class InjectionSiteSpec:
    code: str
    muscle: Muscle
    side: Side
    number: int
    default_units: Decimal
    follow_the_pain: bool
    label: str
    view: View
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class TriggerArea:
    """A trigger area for targeted plans, with the fixed sites that treat it."""

    code: str
    label: str
    site_codes: tuple[str, ...]


_MUSCLE_LABELS = {
    Muscle.corrugator: "Corrugator",
    Muscle.procerus: "Procerus",
    Muscle.frontalis: "Frontalis",
    Muscle.temporalis: "Temporalis",
    Muscle.occipitalis: "Occipitalis",
    Muscle.cervical_paraspinal: "Cervical paraspinal",
    Muscle.trapezius: "Trapezius",
}

# Head-map positions for the patient's LEFT side (or midline); the right side mirrors them.
# front view: patient's left is on the viewer's right (x > 50).
# left profile: face towards x = 0.  back view: patient's left on the viewer's left (x < 50).
_FIXED_LAYOUT: dict[Muscle, tuple[View, tuple[tuple[float, float], ...]]] = {
    Muscle.corrugator: ("front", ((57.0, 36.0),)),
    Muscle.procerus: ("front", ((50.0, 40.0),)),
    Muscle.frontalis: ("front", ((60.0, 24.0), (72.0, 21.0))),
    Muscle.temporalis: ("left", ((38.0, 30.0), (50.0, 26.0), (44.0, 40.0), (56.0, 36.0))),
    Muscle.occipitalis: ("back", ((38.0, 30.0), (30.0, 38.0), (42.0, 42.0))),
    Muscle.cervical_paraspinal: ("back", ((45.0, 58.0), (44.0, 66.0))),
    Muscle.trapezius: ("back", ((32.0, 76.0), (22.0, 80.0), (12.0, 84.0))),
}
# As many FTP sites per side as the muscle's cap (two temporalis, two occipitalis, four
# trapezius), so that all of a muscle's extras may follow the pain to the same side
# (clinic-reference.md section 7); the caps are per muscle (FTP_SITE_CAPS), not per side.
_FTP_LAYOUT: dict[Muscle, tuple[View, tuple[tuple[float, float], ...]]] = {
    Muscle.temporalis: ("left", ((50.0, 46.0), (62.0, 44.0))),
    Muscle.occipitalis: ("back", ((26.0, 30.0), (34.0, 22.0))),
    Muscle.trapezius: ("back", ((27.0, 70.0), (17.0, 74.0), (7.0, 78.0), (26.0, 86.0))),
}


def _mirror(side: Side, view: View, x: float) -> tuple[View, float]:
    if side is not Side.right:
        return view, x
    if view == "left":
        return "right", 100.0 - x
    return view, 100.0 - x


def _build() -> tuple[tuple[InjectionSiteSpec, ...], tuple[InjectionSiteSpec, ...]]:
    fixed: list[InjectionSiteSpec] = []
    ftp: list[InjectionSiteSpec] = []
    for muscle in Muscle:
        view, points = _FIXED_LAYOUT[muscle]
        sides = (Side.midline,) if muscle is Muscle.procerus else (Side.left, Side.right)
        for side in sides:
            for n, (x, y) in enumerate(points, start=1):
                v, mx = _mirror(side, view, x)
                suffix = "" if len(points) == 1 else f", site {n}"
                fixed.append(
                    InjectionSiteSpec(
                        code=f"{muscle}_{side}_{n}",
                        muscle=muscle,
                        side=side,
                        number=n,
                        default_units=UNITS_PER_SITE,
                        follow_the_pain=False,
                        label=f"{_MUSCLE_LABELS[muscle]}, {side}{suffix}",
                        view=v,
                        x=mx,
                        y=y,
                    )
                )
        if muscle in _FTP_LAYOUT:
            view, points = _FTP_LAYOUT[muscle]
            for side in (Side.left, Side.right):
                for n, (x, y) in enumerate(points, start=1):
                    v, mx = _mirror(side, view, x)
                    ftp.append(
                        InjectionSiteSpec(
                            code=f"{muscle}_{side}_ftp_{n}",
                            muscle=muscle,
                            side=side,
                            number=n,
                            default_units=UNITS_PER_SITE,
                            follow_the_pain=True,
                            label=f"{_MUSCLE_LABELS[muscle]}, {side}, follow-the-pain {n}",
                            view=v,
                            x=mx,
                            y=y,
                        )
                    )
    return tuple(fixed), tuple(ftp)


PREEMPT_SITES, FOLLOW_THE_PAIN_SITES = _build()
ALL_SITES: tuple[InjectionSiteSpec, ...] = PREEMPT_SITES + FOLLOW_THE_PAIN_SITES
SITE_CATALOGUE: Mapping[str, InjectionSiteSpec] = MappingProxyType(
    {site.code: site for site in ALL_SITES}
)


def get_site(code: str) -> InjectionSiteSpec:
    """The catalogue entry for ``code``; ``KeyError`` if it is not a known site."""
    return SITE_CATALOGUE[code]


def sites_for_muscle(
    muscle: Muscle | str, *, follow_the_pain: bool | None = None
) -> tuple[InjectionSiteSpec, ...]:
    """The catalogue sites in ``muscle``; ``follow_the_pain`` filters fixed/FTP sites."""
    m = Muscle(muscle)
    return tuple(
        s
        for s in ALL_SITES
        if s.muscle is m and (follow_the_pain is None or s.follow_the_pain is follow_the_pain)
    )


def _fixed_codes(*muscles: Muscle) -> tuple[str, ...]:
    return tuple(s.code for m in muscles for s in sites_for_muscle(m, follow_the_pain=False))


#: Section 2, targeted plans: "the patient's trigger areas (forehead, brow, temples, back of
#: the scalp, neck)". Each area lists the fixed PREEMPT sites of its muscles; follow-the-pain
#: sites are not included by default (a clinician may still add them to a custom plan).
TRIGGER_AREAS: Mapping[str, TriggerArea] = MappingProxyType(
    {
        "forehead": TriggerArea("forehead", "Forehead", _fixed_codes(Muscle.frontalis)),
        "brow": TriggerArea("brow", "Brow", _fixed_codes(Muscle.corrugator, Muscle.procerus)),
        "temples": TriggerArea("temples", "Temples", _fixed_codes(Muscle.temporalis)),
        "back_of_scalp": TriggerArea(
            "back_of_scalp", "Back of the scalp", _fixed_codes(Muscle.occipitalis)
        ),
        "neck": TriggerArea(
            "neck", "Neck", _fixed_codes(Muscle.cervical_paraspinal, Muscle.trapezius)
        ),
    }
)

# Import-time consistency checks against the reference table.
assert len(PREEMPT_SITES) == PREEMPT_SITE_COUNT
assert sum(s.default_units for s in PREEMPT_SITES) == PREEMPT_TOTAL_UNITS
assert sum(FTP_SITE_CAPS.values()) == FTP_MAX_SITES
# Section 7: all of a muscle's extras (up to its cap) may sit on the same side.
assert all(
    sum(1 for s in FOLLOW_THE_PAIN_SITES if s.muscle is m and s.side is side) >= FTP_SITE_CAPS[m]
    for m in FTP_MUSCLES
    for side in (Side.left, Side.right)
)
assert sum(FTP_UNIT_CAPS.values()) == FTP_MAX_UNITS
assert PREEMPT_TOTAL_UNITS + FTP_MAX_UNITS == MAX_UNITS_PER_SESSION
assert PREEMPT_SITE_COUNT + FTP_MAX_SITES == MAX_SITES_PER_SESSION
