"""The head map: an SVG drawing of the head and neck (front, both sides, back) with the
injection sites of a plan or procedure marked and labelled with their units.

Reusable by other apps (outcomes reports, PDFs)::

    from cadence.treatments.headmap import head_map_svg
    svg = head_map_svg([(site, units), ...], interactive=False)

`site` is anything with the attributes `code`, `label`, `view`, `x`, `y` and
`follow_the_pain` (an InjectionSite row or a cadence.rules.sites.InjectionSiteSpec);
`units` a Decimal/number or None. The drawing is black-and-white friendly: fixed PREEMPT
sites are filled circles, follow-the-pain sites filled diamonds, sites that can be added
dashed hollow circles marked "+", and every marked site carries its units as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.html import escape

from cadence.rules.sites import SITE_CATALOGUE, format_units

SCALE = 2.0  # site coordinates are in a 0-100 box
PANEL_W = 200
PANEL_H = 222
GAP = 12
CAPTION_H = 22
LEGEND_H = 46
PANELS = (
    ("front", "Front", 0, 0),
    ("left", "Left side", 1, 0),
    ("right", "Right side", 0, 1),
    ("back", "Back", 1, 1),
)

WIDTH = 2 * PANEL_W + GAP
HEIGHT = 2 * PANEL_H + GAP + LEGEND_H

_STROKE = 'fill="none" stroke="#444" stroke-width="1.5"'

# Outlines per view in the 0-100 box (paths and ellipses), drawn in grey line art.
_OUTLINES: dict[str, list[str]] = {
    "front": [
        '<ellipse cx="50" cy="37" rx="30" ry="34"/>',
        '<path d="M40 68 L40 80 M60 68 L60 80"/>',
        '<path d="M4 100 Q12 82 40 80 L60 80 Q88 82 96 100"/>',
        '<ellipse cx="40" cy="47" rx="5" ry="2.2"/><ellipse cx="60" cy="47" rx="5" ry="2.2"/>',
        '<path d="M50 48 L47 57 L53 57"/><path d="M44 63 Q50 66 56 63"/>',
    ],
    "left": [
        '<ellipse cx="52" cy="36" rx="32" ry="32"/>',
        '<path d="M21 42 L13 53 L22 55"/>',
        '<ellipse cx="66" cy="46" rx="4" ry="7"/>',
        '<path d="M38 66 L38 82 M66 64 L70 80"/>',
        '<path d="M6 100 Q14 84 38 82 L70 80 Q92 84 98 100"/>',
    ],
    "back": [
        '<ellipse cx="50" cy="30" rx="28" ry="30"/>',
        '<path d="M39 54 L39 70 M61 54 L61 70"/>',
        '<path d="M0 96 Q6 75 39 70 L61 70 Q94 75 100 96"/>',
        '<path d="M50 62 L50 92"/>',
    ],
}


def _mirror_outline(svg_fragment: str) -> str:
    return f'<g transform="translate(100 0) scale(-1 1)">{svg_fragment}</g>'


_OUTLINES["right"] = [_mirror_outline("".join(_OUTLINES["left"]))]


def _panel_origin(view: str) -> tuple[float, float]:
    for name, _caption, col, row in PANELS:
        if name == view:
            return col * (PANEL_W + GAP), row * (PANEL_H + GAP)
    raise ValueError(f"unknown head-map view {view!r}")


def _point(site) -> tuple[float, float]:
    ox, oy = _panel_origin(site.view)
    return ox + float(site.x) * SCALE, oy + CAPTION_H + float(site.y) * SCALE


def _marker(site, px: float, py: float, *, selected: bool) -> str:
    if not selected:
        return (
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="#fff" stroke="#000" '
            f'stroke-width="1.2" stroke-dasharray="2 1.5"/>'
            f'<text x="{px:.1f}" y="{py + 3.5:.1f}" text-anchor="middle" font-size="10" '
            f'font-weight="700">+</text>'
        )
    if site.follow_the_pain:
        r = 6
        return (
            f'<path d="M{px:.1f} {py - r:.1f} L{px + r:.1f} {py:.1f} L{px:.1f} {py + r:.1f} '
            f'L{px - r:.1f} {py:.1f} Z" fill="#000" stroke="#000"/>'
        )
    return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="#000"/>'


def _units_text(units) -> str:
    if units is None:
        return ""
    return format_units(Decimal(str(units)))


def head_map_svg(
    sites_with_units: Iterable[tuple[object, Decimal | int | float | None]],
    *,
    interactive: bool,
    toggle_urls: Mapping[str, str] | None = None,
    title: str = "Head map of the injection sites",
) -> str:
    """The head map as an inline SVG string (safe to mark_safe: every text is escaped).

    With ``interactive=True`` and ``toggle_urls`` (site code -> URL), each site in
    ``toggle_urls`` becomes a focusable SVG link: selected ones remove the site, the others
    (drawn as dashed "+" circles) add it. Links carry ``data-site-toggle`` for the page's
    script, and work without JavaScript as plain links.
    """
    toggle_urls = dict(toggle_urls or {}) if interactive else {}
    selected = [(site, units) for site, units in sites_with_units]
    selected_codes = {site.code for site, _ in selected}
    available = [
        SITE_CATALOGUE[code]
        for code in toggle_urls
        if code not in selected_codes and code in SITE_CATALOGUE
    ]
    total = sum((Decimal(str(u)) for _, u in selected if u is not None), Decimal(0))

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="head-map" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'role="{"group" if interactive else "img"}" aria-labelledby="head-map-title">',
        f'<title id="head-map-title">{escape(title)}: {len(selected)} sites, '
        f"{format_units(total)} U</title>",
    ]
    for view, caption, col, row in PANELS:
        ox, oy = col * (PANEL_W + GAP), row * (PANEL_H + GAP)
        parts.append(
            f'<g class="head-map-panel" data-view="{view}">'
            f'<rect x="{ox}" y="{oy}" width="{PANEL_W}" height="{PANEL_H}" fill="#fff" '
            f'stroke="#999" stroke-width="1"/>'
            f'<text x="{ox + 8}" y="{oy + 16}" font-size="13" font-weight="700">{caption}</text>'
            f'<g transform="translate({ox} {oy + CAPTION_H}) scale({SCALE})" {_STROKE} '
            f'stroke-linejoin="round">{"".join(_OUTLINES[view])}</g></g>'
        )

    def draw(site, units, *, is_selected: bool) -> None:
        px, py = _point(site)
        units_label = _units_text(units)
        name = (
            f"{site.label}: {units_label} U" if is_selected else f"{site.label} (not in the plan)"
        )
        body = f"<title>{escape(name)}</title>" + _marker(site, px, py, selected=is_selected)
        if is_selected and units_label:
            # text to the outer side of the site, so labels do not cover the drawing
            anchor_left = px < _panel_origin(site.view)[0] + PANEL_W / 2
            tx = px - 8 if anchor_left else px + 8
            body += (
                f'<text x="{tx:.1f}" y="{py + 4:.1f}" font-size="11" font-weight="700" '
                f'text-anchor="{"end" if anchor_left else "start"}" fill="#000">{units_label}</text>'
            )
        url = toggle_urls.get(site.code)
        if url:
            verb = "Remove" if is_selected else "Add"
            label = f"{verb} {site.label}" + (f" ({units_label} U)" if is_selected else "")
            parts.append(
                f'<a href="{escape(url)}" class="site-toggle" data-site-toggle="{escape(site.code)}" '
                f'aria-label="{escape(label)}">{body}</a>'
            )
        else:
            parts.append(f'<g class="site" data-site="{escape(site.code)}">{body}</g>')

    for site in available:
        draw(site, None, is_selected=False)
    for site, units in selected:
        draw(site, units, is_selected=True)

    # Legend, in shapes and words (legible in black and white).
    ly = 2 * PANEL_H + GAP + 18
    parts.append(
        f'<g class="head-map-legend" font-size="11">'
        f'<circle cx="10" cy="{ly - 4}" r="4.5" fill="#000"/>'
        f'<text x="20" y="{ly}">PREEMPT site</text>'
        f'<path d="M120 {ly - 10} L126 {ly - 4} L120 {ly + 2} L114 {ly - 4} Z" fill="#000"/>'
        f'<text x="132" y="{ly}">Follow-the-pain site</text>'
        + (
            f'<circle cx="270" cy="{ly - 4}" r="6" fill="#fff" stroke="#000" stroke-dasharray="2 1.5"/>'
            f'<text x="281" y="{ly}">Can be added</text>'
            if available
            else ""
        )
        + f'<text x="10" y="{ly + 20}" font-weight="700">Total {format_units(total)} U at '
        f"{len(selected)} sites (numbers are units per site)</text></g>"
    )
    parts.append("</svg>")
    return "".join(parts)


def head_outline_svg(*, title: str, extra: str = "", role: str = "img") -> str:
    """The bare drawing (front, both sides, back; no sites, no legend) as an inline SVG,
    with ``extra`` SVG drawn over it: the diary's pain regions use the same drawing as
    the plan (coordinates as ``_point``: panel origin + CAPTION_H + 0-100 box x SCALE)."""
    height = 2 * PANEL_H + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="head-map" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'role="{escape(role)}" aria-label="{escape(title)}">'
    ]
    for view, caption, col, row in PANELS:
        ox, oy = col * (PANEL_W + GAP), row * (PANEL_H + GAP)
        parts.append(
            f'<g class="head-map-panel" data-view="{view}">'
            f'<rect x="{ox}" y="{oy}" width="{PANEL_W}" height="{PANEL_H}" fill="#fff" '
            f'stroke="#999" stroke-width="1"/>'
            f'<text x="{ox + 8}" y="{oy + 16}" font-size="13" font-weight="700">{caption}</text>'
            f'<g transform="translate({ox} {oy + CAPTION_H}) scale({SCALE})" {_STROKE} '
            f'stroke-linejoin="round">{"".join(_OUTLINES[view])}</g></g>'
        )
    parts.append(extra)
    parts.append("</svg>")
    return "".join(parts)


def view_point(view: str, x: float, y: float) -> tuple[float, float]:
    """A point of the 0-100 box of ``view`` in the drawing's coordinates."""
    ox, oy = _panel_origin(view)
    return ox + float(x) * SCALE, oy + CAPTION_H + float(y) * SCALE
