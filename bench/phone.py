"""6. The patient's phone: Lighthouse (npm `lighthouse`, pinned in bench/lighthouse/) in
its mobile preset on the patient's diary, My progress and side-effect pages, signed in as
the demo patient.

The clinic is the 60-patient story clinic (`seed_demo`) in a SQLite file of its own; the
server is gunicorn with static files collected, hashed and pre-compressed as production
serves them (bench/settings_phone.py). The patient's session comes from Django's test
client (`force_login`, a real session row) and goes to Lighthouse as a Cookie header.

Each page is audited BENCH_RUNS times; each score is the median of the runs (Lighthouse's
own advice: its performance score moves between runs). Chromium is Debian's
(/usr/bin/chromium, or CHROME_PATH), started headless with nothing that reaches the
internet.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.server import ROOT, Gunicorn, free_port, run_task

LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
SETTINGS = "bench.settings_phone"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices")
#: The demo clinic's patient (a responder with a year of diary).
PATIENT_USERNAME = "patient"
#: One Lighthouse run may take this long at most.
RUN_TIMEOUT_SECONDS = 240
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


def chromium_path() -> str | None:
    return os.environ.get("CHROME_PATH") or shutil.which("chromium") or None


def _not_available(reason: str) -> dict:
    return {"available": False, "reason": reason}


def _lighthouse(url: str, headers_file: Path, output: Path, chrome: str) -> dict | None:
    env = dict(os.environ, CHROME_PATH=chrome)
    completed = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--extra-headers={headers_file}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        cwd=LIGHTHOUSE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    if completed.returncode != 0 or not output.exists():
        return {"error": (completed.stderr or "")[-500:] or f"exit {completed.returncode}"}
    return json.loads(output.read_text())


def summarise(report: dict, origin: str) -> dict:
    """What latest.json keeps of one Lighthouse report: the category scores (0-100), the
    timing metrics, the transfer per request, the render-blocking scripts and the failing
    audits (the "profile" that says why a score misses)."""
    audits = report["audits"]
    scores = {
        name: round(report["categories"][name]["score"] * 100)
        if report["categories"][name]["score"] is not None
        else None
        for name in CATEGORIES
    }
    requests = [
        {
            "url": item["url"].removeprefix(origin),
            "transfer_bytes": item.get("transferSize") or 0,
            "resource_bytes": item.get("resourceSize") or 0,
            "status": item.get("statusCode"),
        }
        for item in (audits.get("network-requests", {}).get("details") or {}).get("items", [])
        if not item["url"].startswith("data:")
    ]
    blocking = [
        item["url"].removeprefix(origin)
        for item in (audits.get("render-blocking-resources", {}).get("details") or {}).get(
            "items", []
        )
    ]
    failing = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit.get("scoreDisplayMode") in {"informative", "manual", "notApplicable"}:
                continue
            if audit.get("score") is not None and audit["score"] < 1:
                failing.append(
                    {
                        "category": name,
                        "audit": ref["id"],
                        "score": audit["score"],
                        "weight": ref.get("weight", 0),
                        "display": audit.get("displayValue", ""),
                    }
                )
    return {
        **scores,
        # Lighthouse's CPU benchmark of this machine at the time of the run: the
        # simulated phone's 4x slowdown is applied to the task times observed here, so a
        # busy machine (a low index) inflates Total Blocking Time.
        "benchmark_index": round(report.get("environment", {}).get("benchmarkIndex") or 0),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "metrics_ms": {
            name: round(audits[name]["numericValue"], 3 if name == "cumulative-layout-shift" else 0)
            for name in METRICS
        },
        "render_blocking": blocking,
        "render_blocking_scripts": sum(
            1 for url in blocking if url.split("?")[0].endswith((".js", ".mjs"))
        ),
        "requests": requests,
        "failing_audits": failing,
    }


def _median_run(runs: list[dict]) -> dict:
    """Each score and size the median of the runs; the details those of the run whose
    performance score is the median."""
    ordered = sorted(runs, key=lambda r: r["performance"] or 0)
    middle = dict(ordered[(len(ordered) - 1) // 2])
    for name in (*CATEGORIES, "transfer_bytes", "render_blocking_scripts"):
        values = [r[name] for r in runs if r[name] is not None]
        middle[name] = statistics.median(values) if values else None
    middle["runs"] = {name: [r[name] for r in runs] for name in CATEGORIES}
    return middle


def bench_phone(*, runs: int, var: Path, log) -> dict:
    if not LIGHTHOUSE.exists():
        return _not_available(
            "Lighthouse is not installed: `make bench` runs `npm ci` in bench/lighthouse"
        )
    chrome = chromium_path()
    if not chrome:
        return _not_available("no Chromium (apt-get install chromium, or set CHROME_PATH)")
    database = var / "phone.sqlite3"
    for leftover in var.glob("phone.sqlite3*"):
        leftover.unlink()
    database_url = f"sqlite:///{database}"
    log("phone: demo clinic, static files (hashed, compressed), the patient's session")
    setup = run_task("phone_setup", database_url, settings=SETTINGS, username=PATIENT_USERNAME)
    if not setup.get("available"):
        return setup
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    pages: dict[str, dict] = {}
    try:
        with (
            Gunicorn(database_url, port, var / f"access-{port}.log", settings=SETTINGS),
            tempfile.TemporaryDirectory(prefix="cadence-lighthouse-") as scratch,
        ):
            headers_file = Path(scratch) / "headers.json"
            cookie = "; ".join(f"{k}={v}" for k, v in setup["cookies"].items())
            headers_file.write_text(json.dumps({"Cookie": cookie}))
            for name, path in setup["pages"].items():
                log(f"phone: Lighthouse (mobile) on {path}, {runs} runs")
                reports = []
                for index in range(runs):
                    output = Path(scratch) / f"{name}-{index}.json"
                    report = _lighthouse(origin + path, headers_file, output, chrome)
                    if "error" in report or report.get("runtimeError"):
                        reason = report.get("error") or report["runtimeError"].get("message")
                        pages[name] = {"available": False, "path": path, "reason": reason}
                        break
                    if report.get("finalDisplayedUrl", "").removeprefix(origin) != path:
                        pages[name] = {
                            "available": False,
                            "path": path,
                            "reason": f"redirected to {report.get('finalDisplayedUrl')}",
                        }
                        break
                    reports.append(summarise(report, origin))
                else:
                    pages[name] = {"available": True, "path": path, **_median_run(reports)}
    finally:
        for leftover in var.glob("phone.sqlite3*"):
            leftover.unlink()
    return {
        "available": True,
        "lighthouse": _lighthouse_version(),
        "chromium": chrome,
        "preset": "mobile (Lighthouse default: Moto G Power, simulated slow 4G, 4x CPU)",
        "runs": runs,
        "pages": pages,
    }


def _lighthouse_version() -> str | None:
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else None
