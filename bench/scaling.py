"""How cost grows with the clinic (issue 20): the clinic report, the dashboard, the
worklists and the clinician's patient page at 1,000, 10,000 (and, with
BENCH_SCALE_SIZES=1000,10000,100000, 100,000) patients x BENCH_DAYS days on PostgreSQL.

The clinic grows in steps in one database (1,000 patients, then 9,000 more, ...), so each
size is measured on the same tables a real clinic would have. Each figure comes with its
floor at the same size (pages: a view making one trivial indexed query through the same
client and middleware; the report: the hand-written SQL of `bench/report_floor.py`) and
its growth factor per 10x patients. `scaling_svg` draws the curve for docs/performance.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

#: Tries of one size's measurement before it is recorded as not available.
MEASURE_ATTEMPTS = 3

#: (key in a size's figures, label, the figure's field, its floor's field, unit)
FIGURES = (
    ("clinic_report", "clinic report", "seconds", "floor_seconds", "s"),
    ("dashboard", "dashboard", "p50_ms", "floor_p50_ms", "ms"),
    ("dashboard_outcomes", "dashboard outcome cards", "p50_ms", "floor_p50_ms", "ms"),
    ("worklists", "worklists", "p50_ms", "floor_p50_ms", "ms"),
    ("patient_page", "patient page", "p50_ms", "floor_p50_ms", "ms"),
)


def bench_scaling(
    database_url: str,
    *,
    sizes: list[int],
    days: int,
    runs: int,
    page_runs: int,
    task: Callable[..., dict],
    log: Callable[[str], None],
) -> dict:
    sizes = sorted(set(sizes))
    out: dict = {"days": days, "sizes": sizes, "by_size": {}}
    seeded, page_patient = 0, None
    for size in sizes:
        log(f"scaling: seeding up to {size:,} patients x {days} days")
        seed = task(
            "scale_seed",
            database_url,
            patients=size - seeded,
            days=days,
            seed=2026 + size,
            page_patient=page_patient is None,
        )
        if not seed.get("available"):
            out["by_size"][str(size)] = seed
            break
        page_patient = page_patient or seed.get("page_patient_id")
        seeded = size
        log(f"scaling: measuring at {size:,} patients")
        for attempt in range(MEASURE_ATTEMPTS):  # noqa: B007 (read after the loop)
            figures = task(
                "scale_measure",
                database_url,
                runs=runs,
                page_runs=page_runs,
                page_patient_id=page_patient,
            )
            if figures.get("available"):
                break
            # A shared checkout can be caught mid-edit (an import failing for a moment):
            # the seeded clinic is kept, so measure again rather than lose the size.
            log(f"scaling: measuring at {size:,} failed ({figures.get('reason')}); again")
            time.sleep(30)
        figures["measure_attempts"] = attempt + 1
        figures["seed_seconds"] = seed.get("seconds")
        out["by_size"][str(size)] = figures
    out["growth_per_10x"] = growth_factors(out)
    return out


def _value(figures: dict, key: str, field: str):
    node = figures.get(key) or {}
    return node.get(field) if node.get("available", True) else None


def growth_factors(scaling: dict) -> dict:
    """Per figure, its growth factor per 10x patients between consecutive sizes measured
    (``(v2 / v1) ** (1 / log10(n2 / n1))``), and the same for its floor."""
    measured = [int(size) for size, f in scaling.get("by_size", {}).items() if f.get("available")]
    measured.sort()
    growth: dict = {}
    for key, _label, field, floor_field, _unit in FIGURES:
        steps = []
        for low, high in zip(measured, measured[1:], strict=False):
            a = _value(scaling["by_size"][str(low)], key, field)
            b = _value(scaling["by_size"][str(high)], key, field)
            fa = _value(scaling["by_size"][str(low)], key, floor_field)
            fb = _value(scaling["by_size"][str(high)], key, floor_field)
            decades = math.log10(high / low)
            steps.append(
                {
                    "from": low,
                    "to": high,
                    "factor": round((b / a) ** (1 / decades), 2) if a and b else None,
                    "floor_factor": round((fb / fa) ** (1 / decades), 2) if fa and fb else None,
                }
            )
        growth[key] = steps
    return growth


def extrapolate(scaling: dict, key: str, field: str, to: int):
    """The figure at ``to`` patients if it kept growing at its last measured factor (an
    estimate, never a pass)."""
    measured = sorted(int(s) for s, f in scaling.get("by_size", {}).items() if f.get("available"))
    steps = scaling.get("growth_per_10x", {}).get(key) or []
    if not measured or not steps or steps[-1]["factor"] is None:
        return None
    last = _value(scaling["by_size"][str(measured[-1])], key, field)
    if last is None:
        return None
    return last * steps[-1]["factor"] ** math.log10(to / measured[-1])


def scaling_svg(scaling: dict) -> str:
    """A small log-log chart: each figure (ms) against patients, with the 300 ms and
    5 s lines."""
    measured = sorted(int(s) for s, f in scaling.get("by_size", {}).items() if f.get("available"))
    width, height, left, bottom, top, right = 560, 300, 60, 40, 20, 150
    low_ms, high_ms = 1.0, 100_000.0
    low_n, high_n = 1_000, 100_000
    colours = {
        "clinic_report": "#b2182b",
        "dashboard": "#2166ac",
        "dashboard_outcomes": "#67a9cf",
        "worklists": "#1b7837",
        "patient_page": "#762a83",
    }

    def x(n: float) -> float:
        span = math.log10(high_n) - math.log10(low_n)
        return left + (math.log10(n) - math.log10(low_n)) / span * (width - left - right)

    def y(ms: float) -> float:
        ms = min(max(ms, low_ms), high_ms)
        span = math.log10(high_ms) - math.log10(low_ms)
        return top + (1 - (math.log10(ms) - math.log10(low_ms)) / span) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11">',
        "<title>Cadence: time of each page against the number of patients (log-log, "
        "PostgreSQL)</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    for n in (1_000, 10_000, 100_000):
        parts.append(
            f'<line x1="{x(n):.1f}" y1="{top}" x2="{x(n):.1f}" y2="{height - bottom}" '
            'stroke="#ddd"/>'
            f'<text x="{x(n):.1f}" y="{height - bottom + 15}" text-anchor="middle">{n:,}</text>'
        )
    for ms, label in (
        (1, "1 ms"),
        (10, "10 ms"),
        (100, "100 ms"),
        (1000, "1 s"),
        (10_000, "10 s"),
        (100_000, "100 s"),
    ):
        parts.append(
            f'<line x1="{left}" y1="{y(ms):.1f}" x2="{width - right}" y2="{y(ms):.1f}" '
            'stroke="#eee"/>'
            f'<text x="{left - 5}" y="{y(ms) + 4:.1f}" text-anchor="end">{label}</text>'
        )
    for ms, label in ((300, "300 ms target"), (5000, "5 s target")):
        parts.append(
            f'<line x1="{left}" y1="{y(ms):.1f}" x2="{width - right}" y2="{y(ms):.1f}" '
            'stroke="#999" stroke-dasharray="4 3"/>'
            f'<text x="{width - right + 4}" y="{y(ms) + 4:.1f}" fill="#666">{label}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 5}" text-anchor="middle">'
        f"patients (x {scaling.get('days', 365)} days of diary)</text>"
    )
    legend_y = height - bottom - len(FIGURES) * 16  # below the 300 ms line
    for key, label, field, _floor, unit in FIGURES:
        points = []
        for n in measured:
            value = _value(scaling["by_size"][str(n)], key, field)
            if value is not None:
                points.append((n, value * 1000 if unit == "s" else value))
        colour = colours[key]
        if len(points) > 1:
            path = " ".join(f"{x(n):.1f},{y(ms):.1f}" for n, ms in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for n, ms in points:
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(ms):.1f}" r="3" fill="{colour}"/>')
        parts.append(
            f'<rect x="{width - right + 4}" y="{legend_y - 8}" width="10" height="10" '
            f'fill="{colour}"/><text x="{width - right + 18}" y="{legend_y + 1}">{label}</text>'
        )
        legend_y += 16
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
