"""The pain sketch as a drawing: the diary's head map (``treatments.headmap``, the same
drawing as the plan and the diary's pain map) with each trigger site marked by its
numeral and its share of the headache days of the last 28 days."""

from __future__ import annotations

from django.utils.html import escape

from cadence.rules.surgery import TRIGGER_SITES, TriggerSite
from cadence.treatments.headmap import head_outline_svg, view_point

#: Where each trigger site is drawn: (view, x, y) in the 0-100 box of the head map.
#: Drawing positions only (front: the patient's right on the viewer's left).
SITE_PLACES: dict[TriggerSite, tuple[tuple[str, float, float], ...]] = {
    TriggerSite.frontal: (("front", 50, 24),),
    TriggerSite.temporal: (("left", 50, 28), ("right", 50, 28)),
    TriggerSite.rhinogenic: (("front", 50, 52),),
    TriggerSite.occipital: (("back", 50, 50),),
    TriggerSite.auriculotemporal: (("left", 72, 36), ("right", 28, 36)),
    TriggerSite.lesser_occipital: (("back", 22, 38), ("back", 78, 38)),
}


def sketch_svg(rows: list[dict], *, days: int) -> str:
    """``rows``: the sketch's rows (``trigger_site``, ``label``, ``headache_days``,
    ``located_days``, ``percent``). A site with headache days is a filled circle whose
    size grows with its share; one without is a dashed circle; every mark carries the
    site's numeral and its percent as text (readable without colour)."""
    marks = []
    for row in rows:
        site = TriggerSite(row["trigger_site"])
        percent = row["percent"]
        share = (percent or 0) / 100
        words = (
            f"{row['label']}: {row['headache_days']} of {row['located_days']} headache days"
            if percent is not None
            else f"{row['label']}: no located headache days"
        )
        for view, x, y in SITE_PLACES[site]:
            px, py = view_point(view, x, y)
            r = 11 + 10 * share
            if row["headache_days"]:
                circle = (
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" fill="#b3261e" '
                    f'fill-opacity="{0.2 + 0.6 * share:.2f}" stroke="#000" stroke-width="1"/>'
                )
            else:
                circle = (
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="11" fill="#fff" stroke="#555" '
                    'stroke-width="1" stroke-dasharray="3 2"/>'
                )
            marks.append(
                f'<g class="trigger-site-mark" data-trigger-site="{site.value}">'
                f"<title>{escape(words)}</title>{circle}"
                f'<text x="{px:.1f}" y="{py - 1:.1f}" text-anchor="middle" font-size="10" '
                f'font-weight="700" fill="#000">{TRIGGER_SITES[site].numeral}</text>'
                f'<text x="{px:.1f}" y="{py + 10:.1f}" text-anchor="middle" font-size="9" '
                f'fill="#000">{"" if percent is None else f"{percent}%"}</text></g>'
            )
    return head_outline_svg(
        title=f"Pain sketch: each trigger site's share of the headache days of the last {days} days",
        extra="".join(marks),
    )
