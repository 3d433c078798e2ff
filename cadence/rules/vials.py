"""Vials, dilution, waste and billing lines (clinic-reference.md section 2).

Public API
----------
- ``VIAL_SIZES = (100, 200)``; ``DILUTION_ML`` (size -> mL saline);
  ``dilution_ml(size_units) -> Decimal``; ``units_to_ml(units) -> Decimal``
- ``Vial(lot, expires_on, size_units)``
- ``canonical_lot(text) -> str`` (trimmed, upper-case); ``lot_problem(lot) -> str | None``
  (``LOT_MAX_LENGTH``, letters, digits, ``-``, ``.``, ``/`` only)
- ``vial_problems(vials, on) -> list[str]``
- ``suggest_vials(dose_units, available_sizes=VIAL_SIZES) -> tuple[int, ...]``
- ``waste(drawn_units, injected_units) -> Decimal``
- ``BillingLine(code, units, modifier, description)``;
  ``billing_lines(injected_units, wasted_units) -> list[BillingLine]``
- Codes ``CPT_CHEMODENERVATION_MIGRAINE`` (64615), ``HCPCS_ONABOTULINUMTOXINA`` (J0585),
  ``MODIFIER_DISCARDED`` (JW), ``MODIFIER_NOTHING_DISCARDED`` (JZ).

Interpretation choices:

- **Lot numbers** are compared whatever their letter case: one canonical form (trimmed,
  upper-case) is stored and looked up, so ``c7002a`` is lot ``C7002A``. A lot holds letters,
  digits, ``-``, ``.`` and ``/`` only (so that a lot like ``=HYPERLINK(...)`` never reaches a
  spreadsheet).

- **Expiry**: a lot is usable up to and including its ``expires_on`` day; it is refused
  when ``expires_on < on`` (the day of the procedure).
- **Vial choice**: least waste first, then fewest vials; the result is sorted ascending.
- **Fractional units and billing** (2.5 U sites make half units possible; clinic-reference.md
  section 7, "Billing rounding (US, CMS)"): HCPCS J0585 is billed per 1 unit; the dose
  injected is **rounded up** to the next whole unit, and the JW line is the rest of the
  vial(s), so the two lines add up to the units drawn (157.5 U from a 200 U vial = J0585
  158 + JW 42). Units drawn = injected + wasted; a fraction of a unit drawn (never the
  case with whole vials) is not billed. The exact amounts are kept in each line's
  description (and the procedure record keeps the precise waste). JZ ("nothing
  discarded") is applied only when the recorded waste is exactly 0. If some waste was
  recorded but none is left to bill once the dose is rounded up (199.5 U from 200 U), no
  JW line is produced and JZ is *not* applied (that would be untrue); the J0585 line then
  carries no modifier and its description says why, for the billing team.
- **One-sided sessions**: CPT 64615 describes a bilateral procedure; a session whose
  sites are all on the left, or all on the right (no midline site), carries modifier 52
  (reduced service) on the 64615 line (``one_sided(sides)``; section 7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import product
from types import MappingProxyType

from cadence.rules.sites import UNITS_PER_SITE, format_units, to_units

__all__ = [
    "CPT_CHEMODENERVATION_MIGRAINE",
    "DILUTION_ML",
    "HCPCS_ONABOTULINUMTOXINA",
    "MODIFIER_DISCARDED",
    "MODIFIER_NOTHING_DISCARDED",
    "MODIFIER_REDUCED_SERVICE",
    "UNITS_PER_0_1_ML",
    "VIAL_SIZES",
    "BillingLine",
    "Vial",
    "billing_lines",
    "dilution_ml",
    "one_sided",
    "suggest_vials",
    "units_to_ml",
    "vial_problems",
    "waste",
]

#: "vials come as 100 U and 200 U; single-patient use."
VIAL_SIZES: tuple[int, ...] = (100, 200)
#: "100 U vial + 2 mL preservative-free saline = 5 U per 0.1 mL; 200 U vial + 4 mL the same."
DILUTION_ML = MappingProxyType({100: Decimal(2), 200: Decimal(4)})
UNITS_PER_0_1_ML = UNITS_PER_SITE  # 5 U per 0.1 mL

#: "CPT 64615 (chemodenervation for chronic migraine, once per session)".
CPT_CHEMODENERVATION_MIGRAINE = "64615"
#: "HCPCS J0585 per unit injected".
HCPCS_ONABOTULINUMTOXINA = "J0585"
#: "the discarded units on a separate J0585 line with modifier JW".
MODIFIER_DISCARDED = "JW"
#: "modifier JZ on the line when nothing was discarded".
MODIFIER_NOTHING_DISCARDED = "JZ"
#: Section 7: "a session injected on one side only carries modifier 52 (reduced service)".
MODIFIER_REDUCED_SERVICE = "52"

_BILLING_UNIT = Decimal(1)


#: The longest lot number accepted (the database column's length).
LOT_MAX_LENGTH = 40
_LOT_CHARACTERS = re.compile(r"[A-Z0-9][A-Z0-9./-]*")


def canonical_lot(text: str | None) -> str:
    """The one stored form of a lot number: surrounding spaces removed, upper-case."""
    return (text or "").strip().upper()


def lot_problem(lot: str) -> str | None:
    """Why a (canonical) lot number can't be received, as a whole sentence; None if fine."""
    if not lot:
        return "Enter the lot number."
    if len(lot) > LOT_MAX_LENGTH:
        return f"A lot number has at most {LOT_MAX_LENGTH} characters."
    if not _LOT_CHARACTERS.fullmatch(lot):
        return (
            "A lot number starts with a letter or digit and holds only letters, digits, "
            "hyphens, full stops and slashes."
        )
    return None


def dilution_ml(size_units: int) -> Decimal:
    """mL of preservative-free saline for a vial (100 U -> 2 mL, 200 U -> 4 mL)."""
    try:
        return DILUTION_ML[size_units]
    except KeyError:
        raise ValueError(
            f"unknown vial size {size_units} U; sizes are {', '.join(map(str, VIAL_SIZES))} U"
        ) from None


def units_to_ml(units: Decimal | int | str) -> Decimal:
    """Volume for a dose at the standard dilution (5 U per 0.1 mL): 5 U -> 0.1 mL."""
    return to_units(units) * Decimal("0.1") / UNITS_PER_0_1_ML


@dataclass(frozen=True, slots=True)
class Vial:
    lot: str
    expires_on: date
    size_units: int


def vial_problems(vials: Sequence[Vial], on: date) -> list[str]:
    """Why these vials cannot be used on ``on`` (empty = usable).

    Refuses: no vials, a blank lot number, an unknown size, an expired lot
    (``expires_on < on``; a lot expiring on the day itself is usable).
    """
    if not vials:
        return ["No vial recorded: at least one vial is needed"]
    problems: list[str] = []
    for vial in vials:
        lot = vial.lot.strip()
        if not lot:
            problems.append("A vial has no lot number")
        if vial.size_units not in VIAL_SIZES:
            problems.append(
                f"Lot {lot or '?'}: unknown vial size {vial.size_units} U "
                f"(sizes are {' and '.join(map(str, VIAL_SIZES))} U)"
            )
        if vial.expires_on < on:
            days = (on - vial.expires_on).days
            problems.append(
                f"Lot {lot or '?'} expired on {vial.expires_on.isoformat()}, {days} "
                f"day{'s' if days != 1 else ''} before {on.isoformat()}: an expired lot "
                "can't be used"
            )
    return problems


def suggest_vials(
    dose_units: Decimal | int | str, available_sizes: Iterable[int] = VIAL_SIZES
) -> tuple[int, ...]:
    """The vial combination covering ``dose_units`` with the least waste, ties broken by
    the fewest vials (sorted ascending). 155 -> (200,); 250 -> (100, 200)."""
    dose = to_units(dose_units)
    sizes = sorted(set(available_sizes))
    if not dose.is_finite() or dose <= 0:
        raise ValueError(f"dose must be a positive number of units, got {dose_units!r}")
    if not sizes or any(s <= 0 for s in sizes):
        raise ValueError("available_sizes must be positive vial sizes")
    # Using more than ceil(dose / size) vials of one size only adds waste, so bound each.
    bounds = [int((dose / s).to_integral_value(rounding="ROUND_CEILING")) for s in sizes]
    best: tuple[Decimal, int, tuple[int, ...]] | None = None
    for counts in product(*(range(b + 1) for b in bounds)):
        total = sum(c * s for c, s in zip(counts, sizes, strict=True))
        if total < dose:
            continue
        combo = tuple(s for c, s in zip(counts, sizes, strict=True) for _ in range(c))
        key = (total - dose, len(combo), combo)
        if best is None or key < best:
            best = key
    assert best is not None  # bounds always allow ceil(dose / largest) of the largest
    return best[2]


def waste(drawn_units: Decimal | int | str, injected_units: Decimal | int | str) -> Decimal:
    """Units drawn but not injected. ``ValueError`` if injected > drawn or negative."""
    drawn, injected = to_units(drawn_units), to_units(injected_units)
    if not (drawn.is_finite() and injected.is_finite()) or drawn < 0 or injected < 0:
        raise ValueError("drawn and injected units must be non-negative numbers")
    if injected > drawn:
        raise ValueError(
            f"injected {format_units(injected)} U is more than the "
            f"{format_units(drawn)} U drawn ({format_units(injected - drawn)} U over)"
        )
    return drawn - injected


@dataclass(frozen=True, slots=True)
class BillingLine:
    code: str
    units: int
    modifier: str | None
    description: str


def _whole(units: Decimal, rounding: str) -> int:
    return int(units.quantize(_BILLING_UNIT, rounding=rounding))


def one_sided(sides: Iterable[str]) -> bool:
    """True when every site of a session is on the left, or every site on the right (no
    midline site): CPT 64615 then carries modifier 52. No sites is not one-sided."""
    found = {str(side) for side in sides}
    return found in ({"left"}, {"right"})


def billing_lines(
    injected_units: Decimal | int | str,
    wasted_units: Decimal | int | str,
    *,
    one_sided: bool = False,
) -> list[BillingLine]:
    """CPT 64615 x1 (modifier 52 when ``one_sided``), J0585 for the injected units rounded
    up, J0585-JW for the rest of the vial(s) (or JZ on the J0585 line when nothing was
    discarded). Fractions: see the module docstring."""
    injected, wasted = to_units(injected_units), to_units(wasted_units)
    if not (injected.is_finite() and wasted.is_finite()) or wasted < 0:
        raise ValueError("injected and wasted units must be non-negative numbers")
    if injected <= 0:
        raise ValueError("nothing was injected: there is no session to bill")
    injected_billed = _whole(injected, ROUND_CEILING)
    wasted_billed = max(0, _whole(injected + wasted, ROUND_FLOOR) - injected_billed)
    cpt_desc = (
        "Chemodenervation of muscle(s), muscle(s) innervated by facial, trigeminal, "
        "cervical spinal and accessory nerves, bilateral (chronic migraine)"
    )
    if one_sided:
        cpt_desc += "; injected on one side only: reduced service"
    lines = [
        BillingLine(
            CPT_CHEMODENERVATION_MIGRAINE,
            1,
            MODIFIER_REDUCED_SERVICE if one_sided else None,
            cpt_desc,
        )
    ]
    injected_desc = f"OnabotulinumtoxinA, 1 unit: {format_units(injected)} U injected"
    if injected_billed != injected:
        injected_desc += f" (billed {injected_billed}: a part unit is rounded up)"
    if wasted == 0:
        lines.append(
            BillingLine(
                HCPCS_ONABOTULINUMTOXINA,
                injected_billed,
                MODIFIER_NOTHING_DISCARDED,
                injected_desc + "; nothing discarded",
            )
        )
        return lines
    if wasted_billed == 0:
        lines.append(
            BillingLine(
                HCPCS_ONABOTULINUMTOXINA,
                injected_billed,
                None,
                injected_desc + f"; the {format_units(wasted)} U discarded is within the "
                "rounded-up dose, so there is no JW line and JZ does not apply",
            )
        )
        return lines
    lines.append(BillingLine(HCPCS_ONABOTULINUMTOXINA, injected_billed, None, injected_desc))
    wasted_desc = f"OnabotulinumtoxinA, 1 unit: {format_units(wasted)} U discarded"
    if wasted_billed != wasted:
        wasted_desc += (
            f" (billed {wasted_billed}: the rest of the {format_units(injected + wasted)} U drawn)"
        )
    lines.append(
        BillingLine(HCPCS_ONABOTULINUMTOXINA, wasted_billed, MODIFIER_DISCARDED, wasted_desc)
    )
    return lines
