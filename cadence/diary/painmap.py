"""Pain regions on the head map: the patient's tap targets and the clinician's heat map,
on the same front/sides/back drawing as the injection plan (`treatments.headmap`)."""

from __future__ import annotations

from django.utils.html import escape

from cadence.rules.pain_regions import PAIN_REGION_LABELS, REGION_PLACES, PainRegion
from cadence.treatments.headmap import GAP, PANEL_H, WIDTH, head_outline_svg, view_point

HEIGHT = 2 * PANEL_H + GAP


def region_targets() -> list[dict[str, object]]:
    """Each region with its label and where its tap target sits, in % of the drawing."""
    targets = []
    for region in PainRegion:
        view, x, y = REGION_PLACES[region]
        px, py = view_point(view, x, y)
        targets.append(
            {
                "code": region.value,
                "label": PAIN_REGION_LABELS[region],
                "left": round(px / WIDTH * 100, 2),
                "top": round(py / HEIGHT * 100, 2),
            }
        )
    return targets


def outline_svg() -> str:
    return head_outline_svg(title="Drawing of the head: front, both sides and back")


def heat_map_svg(counts: dict[PainRegion, int], days: int) -> str:
    """Each region that hurt as a circle whose size and shade grow with its days, with
    the number of days written in it (readable without colour)."""
    most = max(counts.values(), default=0) or 1
    marks = []
    for region, n in counts.items():
        if not n:
            continue
        view, x, y = REGION_PLACES[region]
        px, py = view_point(view, x, y)
        r = 9 + 11 * n / most
        shade = 0.25 + 0.6 * n / most
        label = f"{PAIN_REGION_LABELS[region]}: {n} of {days} days"
        marks.append(
            f'<g class="pain-heat" data-region="{region.value}"><title>{escape(label)}</title>'
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" fill="#b3261e" '
            f'fill-opacity="{shade:.2f}" stroke="#000" stroke-width="1"/>'
            f'<text x="{px:.1f}" y="{py + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="#000">{n}</text></g>'
        )
    return head_outline_svg(
        title=f"Where the pain sat over the last {days} days", extra="".join(marks)
    )
