"""Server-side SVG charts, hand-built (no matplotlib import cost), so the same markup goes
into the web page and the PDF.

Readable in print and for colour-blind readers: Okabe-Ito colours, and every series also
differs by line style and marker shape and carries a direct label; each SVG has a
<title> and <desc> (role="img"), and the pages print the same numbers as a data table.
Only presentation attributes are used (no style attributes: the CSP forbids them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cadence.rules.effect import WEARING_OFF_LATE_WEEKS, EffectCurve
from cadence.rules.outcomes import PERIOD_DAYS, PeriodMetrics

# Okabe-Ito palette (colour-blind safe).
BLUE = "#0072B2"
VERMILLION = "#D55E00"
BLUISH_GREEN = "#009E73"
ORANGE = "#E69F00"
REDDISH_PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
BLACK = "#000000"
GREY = "#555555"
CYCLE_STYLES = [
    (BLUE, "", "circle"),
    (VERMILLION, "6 3", "square"),
    (BLUISH_GREEN, "2 3", "triangle"),
    (REDDISH_PURPLE, "8 3 2 3", "diamond"),
    (ORANGE, "4 2", "circle"),
    (BLACK, "1 2", "square"),
]

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 150, 20, 44


@dataclass
class _Frame:
    x_min: float
    x_max: float
    y_max: float

    def x(self, value: float) -> float:
        span = (self.x_max - self.x_min) or 1
        return LEFT + (value - self.x_min) / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return TOP + (1 - value / (self.y_max or 1)) * (HEIGHT - TOP - BOTTOM)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _series(
    points: Sequence[tuple[float, float | None]], frame: _Frame, colour: str, dash: str, shape: str
) -> list[str]:
    """Polyline segments (broken where a value is missing) and markers."""
    parts: list[str] = []
    segment: list[str] = []
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""

    def flush():
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        segment.clear()

    for x, y in points:
        if y is None:
            flush()
            continue
        segment.append(f"{frame.x(x):.1f},{frame.y(y):.1f}")
    flush()
    parts.extend(_marker(shape, frame.x(x), frame.y(y), colour) for x, y in points if y is not None)
    return parts


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inserted is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="outcome-chart" id="{chart_id}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _y_axis(frame: _Frame, step: float, label: str) -> list[str]:
    parts = []
    value = 0.0
    while value <= frame.y_max + 1e-9:
        y = frame.y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}">{value:g}</text>'
        )
        value += step
    parts.append(
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2:.0f}" transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2:.0f})" '
        f'text-anchor="middle" fill="{GREY}">{escape(label)}</text>'
    )
    return parts


def _label(x: float, y: float, text: str, colour: str) -> str:
    return f'<text x="{x:.1f}" y="{y + 4:.1f}" fill="{colour}" font-weight="bold">{escape(text)}</text>'


def _spread(labels: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Nudge direct labels apart vertically so they never overlap."""
    placed: list[tuple[float, str, str]] = []
    for y, text, colour in sorted(labels):
        if placed and y - placed[-1][0] < 14:
            y = placed[-1][0] + 14
        placed.append((y, text, colour))
    return placed


def headache_days_chart(
    baseline: PeriodMetrics | None,
    periods: Sequence[PeriodMetrics],
    session_dates: Sequence[date],
    fifty_percent_line: float | None,
    chart_id: str = "headache-days-chart",
) -> SafeString | None:
    """Headache and migraine days per 28 days over time, sessions marked, baseline and
    50% line drawn. None when there is nothing to draw."""
    all_periods = ([baseline] if baseline else []) + list(periods)
    if not all_periods:
        return None
    origin = all_periods[0].start
    frame = _Frame(0, max((all_periods[-1].end - origin).days + 1, PERIOD_DAYS), PERIOD_DAYS)

    def mid(p: PeriodMetrics) -> float:
        return (p.start - origin).days + PERIOD_DAYS / 2

    body = _y_axis(frame, 7, "days per 28 days")
    # time axis: one tick per period start
    for p in all_periods:
        x = frame.x((p.start - origin).days)
        body.append(
            f'<line x1="{x:.1f}" y1="{HEIGHT - BOTTOM}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM + 4}" stroke="{GREY}"/>'
        )
    label_every = max(1, len(all_periods) // 6)
    for i, p in enumerate(all_periods):
        if i % label_every == 0:
            body.append(
                f'<text x="{frame.x((p.start - origin).days):.1f}" y="{HEIGHT - BOTTOM + 16}" fill="{GREY}" '
                f'text-anchor="middle">{p.start:%d %b %y}</text>'
            )
    labels: list[tuple[float, str, str]] = []
    if baseline and baseline.headache_days is not None:
        y = frame.y(baseline.headache_days)
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}" stroke-width="1.5" stroke-dasharray="2 2"/>'
        )
        labels.append((y, f"Baseline {baseline.headache_days:g}", GREY))
    if fifty_percent_line is not None:
        y = frame.y(fifty_percent_line)
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{BLUISH_GREEN}" stroke-width="1.5" stroke-dasharray="8 3 2 3"/>'
        )
        labels.append((y, f"50% line {fifty_percent_line:g}", BLUISH_GREEN))
    for n, on in enumerate(session_dates, start=1):
        x = frame.x((on - origin).days)
        body.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{BLACK}" stroke-width="1"/>'
        )
        body.append(
            f'<polygon points="{x:.1f},{TOP - 2} {x - 5:.1f},{TOP - 10} {x + 5:.1f},{TOP - 10}" fill="{BLACK}"/>'
        )
        body.append(f'<text x="{x + 3:.1f}" y="{TOP + 10}" fill="{BLACK}">S{n}</text>')
    headache = [(mid(p), p.headache_days) for p in all_periods]
    migraine = [(mid(p), p.migraine_days) for p in all_periods]
    body += _series(headache, frame, BLUE, "", "circle")
    body += _series(migraine, frame, VERMILLION, "6 3", "square")
    last_h = next((v for _, v in reversed(headache) if v is not None), None)
    last_m = next((v for _, v in reversed(migraine) if v is not None), None)
    if last_h is not None:
        labels.append((frame.y(last_h), "Headache days", BLUE))
    if last_m is not None:
        labels.append((frame.y(last_m), "Migraine days", VERMILLION))
    body += [_label(WIDTH - RIGHT + 6, y, text, colour) for y, text, colour in _spread(labels)]
    values = ", ".join(
        f"{p.start:%d %b %Y}: {'not enough diary' if p.headache_days is None else f'{p.headache_days:g} headache days'}"
        for p in all_periods
    )
    desc = (
        f"Headache days (solid line, circles) and migraine days (dashed line, squares) per 28 days; "
        f"sessions marked S1 to S{len(session_dates)}; baseline and 50% lines dotted. {values}."
    )
    return _svg(chart_id, "Headache and migraine days per 28 days", desc, body)


def effect_curves_chart(
    curves: Sequence[EffectCurve], chart_id: str = "effect-curves-chart"
) -> SafeString | None:
    """Headache days per week in weeks 1-12 of each cycle, overlaid."""
    drawn = [c for c in curves if any(w.headache_days is not None for w in c.weeks)]
    if not drawn:
        return None
    frame = _Frame(1, 12, 7)
    body = _y_axis(frame, 1, "headache days per week")
    x9 = frame.x(WEARING_OFF_LATE_WEEKS[0] - 0.5)
    body.append(
        f'<rect x="{x9:.1f}" y="{TOP}" width="{frame.x(12) - x9:.1f}" height="{HEIGHT - TOP - BOTTOM}" fill="#f2f2f2"/>'
    )
    body.append(f'<text x="{x9 + 4:.1f}" y="{TOP + 12}" fill="{GREY}">weeks 9-12</text>')
    for week in range(1, 13):
        body.append(
            f'<text x="{frame.x(week):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{GREY}">{week}</text>'
        )
    body.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{GREY}">week after the session</text>'
    )
    labels = []
    for index, curve in enumerate(drawn[-len(CYCLE_STYLES) :]):
        colour, dash, shape = CYCLE_STYLES[index % len(CYCLE_STYLES)]
        points = [(w.week, w.headache_days) for w in curve.weeks]
        body += _series(points, frame, colour, dash, shape)
        last = next(((x, v) for x, v in reversed(points) if v is not None), None)
        if last is not None and curve.session_date:
            labels.append((frame.y(last[1]), f"{curve.session_date:%d %b %y}", colour))
    body += [_label(WIDTH - RIGHT + 6, y, text, colour) for y, text, colour in _spread(labels)]
    desc = "; ".join(
        f"cycle from {c.session_date:%d %b %Y}: "
        + ", ".join(
            f"week {w.week} {w.headache_days:g}" for w in c.weeks if w.headache_days is not None
        )
        for c in drawn
        if c.session_date
    )
    return _svg(chart_id, "Headache days per week after each session", desc, body)


def score_chart(
    instrument: str, points: Sequence[tuple[date, int]], chart_id: str
) -> SafeString | None:
    """One questionnaire's scores over time (MIDAS 0+, HIT-6 36-78)."""
    if not points:
        return None
    origin, last = points[0][0], points[-1][0]
    y_max = 78 if instrument == "HIT-6" else max(30, max(score for _, score in points) + 5)
    frame = _Frame(0, max((last - origin).days, 1), y_max)
    body = _y_axis(frame, 10 if y_max <= 80 else 20, f"{instrument} score")
    for on, _ in points:
        body.append(
            f'<text x="{frame.x((on - origin).days):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{GREY}">{on:%d %b %y}</text>'
        )
    colour, dash, shape = (
        (BLUE, "", "circle") if instrument == "MIDAS" else (VERMILLION, "6 3", "square")
    )
    body += _series(
        [((on - origin).days, score) for on, score in points], frame, colour, dash, shape
    )
    body.append(
        _label(WIDTH - RIGHT + 6, frame.y(points[-1][1]), f"{instrument} {points[-1][1]}", colour)
    )
    desc = f"{instrument} scores: " + ", ".join(f"{on:%d %b %Y} {score}" for on, score in points)
    return _svg(chart_id, f"{instrument} score over time", desc, body)
