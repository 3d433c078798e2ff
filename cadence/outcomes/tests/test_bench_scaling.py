"""The scaling table's arithmetic (bench/scaling.py, bench/run.py; docs/performance.md
section 7): growth per 10x patients, targets that are never passed by an estimate, and
the chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bench import run
from bench.scaling import extrapolate, growth_factors, scaling_svg


def _page(ms: float) -> dict:
    return {"available": True, "p50_ms": ms, "floor_p50_ms": 5.0}


def _scaling(sizes: dict[int, tuple[float, float, float, float]]) -> dict:
    by_size = {
        str(n): {
            "available": True,
            "clinic_report": {"available": True, "seconds": report, "floor_seconds": report / 2},
            "dashboard": _page(dashboard),
            "worklists": _page(worklists),
            "patient_page": _page(page),
        }
        for n, (report, dashboard, worklists, page) in sizes.items()
    }
    scaling = {"available": True, "days": 365, "sizes": sorted(sizes), "by_size": by_size}
    scaling["growth_per_10x"] = growth_factors(scaling)
    return scaling


def test_growth_is_per_ten_times_the_patients():
    scaling = _scaling({1_000: (0.5, 100, 100, 40), 10_000: (5.0, 100, 1_000, 44)})
    growth = scaling["growth_per_10x"]
    assert growth["clinic_report"] == [
        {"from": 1_000, "to": 10_000, "factor": 10.0, "floor_factor": 10.0}
    ]
    assert growth["dashboard"][0]["factor"] == 1.0
    assert growth["worklists"][0]["factor"] == 10.0
    assert growth["patient_page"][0]["factor"] == 1.1
    # Over 100x patients the factor is still per 10x: 100x the time is 10x per 10x.
    wide = _scaling({1_000: (1.0, 1, 1, 1), 100_000: (100.0, 1, 1, 1)})
    assert wide["growth_per_10x"]["clinic_report"][0]["factor"] == 10.0


def test_an_unmeasured_size_is_extrapolated_but_never_passes():
    scaling = _scaling({1_000: (0.1, 10, 10, 40), 10_000: (0.2, 20, 20, 40)})
    assert extrapolate(scaling, "clinic_report", "seconds", 100_000) == pytest.approx(0.4)
    targets = run.scale_targets(scaling)
    report = targets["scale_clinic_report_100k_seconds"]
    assert report["status"] == "not available" and report["pass"] is None
    assert report["extrapolated"] == pytest.approx(0.4)
    assert "not a pass" in report["reason"]
    assert targets["scale_patient_page_growth_per_10x"]["status"] == "pass"


def test_targets_at_100000_patients_pass_or_fail_on_the_measured_figure():
    scaling = _scaling(
        {1_000: (0.1, 10, 10, 40), 10_000: (0.5, 20, 20, 40), 100_000: (6.0, 250, 400, 60)}
    )
    targets = run.scale_targets(scaling)
    assert targets["scale_clinic_report_100k_seconds"]["status"] == "FAIL"  # 6 s >= 5 s
    assert targets["scale_dashboard_100k_ms"]["status"] == "pass"  # 250 < 300
    assert targets["scale_worklists_100k_ms"]["status"] == "FAIL"  # 400 >= 300
    # The page grew 1.5x from 10,000 to 100,000: not flat.
    assert targets["scale_patient_page_growth_per_10x"]["value"] == 1.5
    assert targets["scale_patient_page_growth_per_10x"]["status"] == "FAIL"


def test_the_chart_is_an_svg_with_one_line_per_figure():
    svg = scaling_svg(_scaling({1_000: (0.5, 100, 120, 40), 10_000: (5.0, 900, 1_100, 41)}))
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg"
    assert root.find(f"{namespace}title") is not None
    assert len(root.findall(f"{namespace}polyline")) == 4
    assert len(root.findall(f"{namespace}circle")) == 8


def test_lock_waits_are_attributed_to_the_audit_chain_head():
    """bench/lockwait.py names the statement a waiting backend is in (pg_stat_activity
    shows its first 80 characters, so the head's FOR UPDATE is cut off)."""
    from bench.lockwait import _statement

    head_select = 'SELECT "last_hash", "entry_count" FROM "audit_auditchainhead" WHERE "id" = 1'
    assert _statement(head_select[:80]) == "audit chain head SELECT ... FOR UPDATE"
    assert _statement('UPDATE "audit_auditchainhead" SET "last_hash" = ') == (
        "audit chain head UPDATE"
    )
    assert _statement('UPDATE "diary_diaryday" SET "headache_hours" = 6') == "diary day"
