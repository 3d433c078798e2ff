"""`make bench`: Cadence's benchmark suite (see docs/performance.md).

For SQLite and PostgreSQL in turn: load the scale clinic (BENCH_PATIENTS x BENCH_DAYS,
default 10,000 x 365), then measure

1. diary write: the diary PUT under 32 concurrent clients on gunicorn (2 workers),
   against a constant-JSON view on the same server (the framework's floor);
2. patient page: server time and query count of the clinician's patient page for a
   patient with 2 years of diary and 8 sessions, against the floor view;
3. clinic report: `clinic_report(today)` against one hand-written SQL query (the floor);
4. load: diary rows per second of the scale seeding, against a bare-table insert;
5. memory: peak RSS of one clinic report and of one FHIR $everything export.

Each figure is the median of several runs (BENCH_RUNS, default 3) and comes with its
ratio to the floor measured in the same run. Writes bench/results/latest.json (with a
`targets` object: value, target, pass) and prints a table. A benchmark whose feature is
not built answers "not available" instead of a number.

Environment: BENCH_PATIENTS, BENCH_DAYS (scale), BENCH_RUNS, BENCH_WRITE_SECONDS (per
write run), BENCH_CLIENTS (32), BENCH_BACKENDS ("sqlite,postgresql"),
BENCH_DATABASE_URL (a PostgreSQL database the bench may wipe; otherwise a throwaway
cluster is started as .ci/run does).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.loadgen import build_request, median, run_load
from bench.postgres import ThrowawayPostgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


PATIENTS = env_int("BENCH_PATIENTS", 10_000)
DAYS = env_int("BENCH_DAYS", 365)
RUNS = env_int("BENCH_RUNS", 3)
CLIENTS = env_int("BENCH_CLIENTS", 32)
WRITE_SECONDS = env_int("BENCH_WRITE_SECONDS", 8)
LOAD_PATIENTS = env_int("BENCH_LOAD_PATIENTS", max(1, min(1000, PATIENTS // 10)))
PAGE_RUNS = env_int("BENCH_PAGE_RUNS", 40)
BACKENDS = [b.strip() for b in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")]
GUNICORN_WORKERS = 2

# (key, label, comparison, target) -- the targets.
TARGETS = [
    ("diary_write_throughput_ratio", "diary write throughput / floor", ">=", 0.6),
    ("diary_write_p95_ms", "diary write p95 at 32 clients (ms)", "<", 25),
    ("patient_page_p95_ms", "patient page p95 (ms)", "<", 80),
    ("patient_page_queries", "patient page queries", "<=", 12),
    ("clinic_report_ratio", "clinic report / SQL floor", "<=", 2),
    ("clinic_report_seconds", "clinic report (s)", "<", 5),
    ("seed_rows_per_second", "seeding diary rows/s", ">=", 50_000),
    ("report_peak_rss_mb", "clinic report peak RSS (MB)", "<", 500),
]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def django_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        CADENCE_ENV="development",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def task(name: str, database_url: str, **args) -> dict:
    """Run one bench.tasks measurement in its own process; return its JSON result."""
    completed = subprocess.run(
        [PYTHON, "-m", "bench.tasks", name, json.dumps(args)],
        cwd=ROOT,
        env=django_env(database_url),
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT ") :])
    return {"available": False, "reason": f"task {name} failed (exit {completed.returncode})"}


# -- 1. Diary write under load -------------------------------------------------------------


class Gunicorn:
    def __init__(self, database_url: str, port: int, access_log: Path):
        self.database_url, self.port, self.access_log = database_url, port, access_log

    def __enter__(self) -> Gunicorn:
        self.access_log.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--workers",
                str(GUNICORN_WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                "%(s)s %(D)s %(U)s",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=django_env(self.database_url),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        """User+system CPU seconds used so far by the gunicorn master and its workers."""
        import psutil

        total = 0.0
        master = psutil.Process(self.process.pid)
        for process in [master, *master.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def log_lines(self) -> int:
        if not self.access_log.exists():
            return 0
        return len(self.access_log.read_text().splitlines())

    def server_ms(self, since_line: int, path_prefix: str) -> list[float]:
        """Service times (ms, from gunicorn's access log) of the 2xx answers since a line."""
        times = []
        for line in self.access_log.read_text().splitlines()[since_line:]:
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[0].startswith("2") and parts[2].startswith(path_prefix):
                times.append(int(parts[1]) / 1000)
        return times


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DIARY_DAY = {
    "headache_hours": 6,
    "peak_severity": "moderate",
    "unilateral": True,
    "pulsating": True,
    "worse_with_activity": False,
    "nausea": True,
    "vomiting": False,
    "photophobia": True,
    "phonophobia": True,
    "aura": False,
    "missed_activity": False,
    "acute_medications": [{"name": "sumatriptan 50 mg", "drug_class": "triptan", "relieved": True}],
    "notes": "",
}


def bench_diary_write(database_url: str, seeded: dict) -> dict:
    from bench.loadgen import percentile

    patient_ids = seeded.get("patient_ids_sample") or []
    if not patient_ids:
        return {"available": False, "reason": "no seeded patients"}
    prepared = task("prepare_write", database_url, patient_id=patient_ids[0])
    if not prepared.get("available"):
        return prepared
    token, today = prepared["token"], date.fromisoformat(prepared["today"])
    # Past days only (two days back, so that no clock or time zone makes one "future").
    days = [(today - timedelta(days=2 + k)).isoformat() for k in range(min(DAYS, 365) - 2)]
    body = json.dumps(DIARY_DAY).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    host = "127.0.0.1"

    def diary_request(client: int, sequence: int) -> bytes:
        patient = patient_ids[(client * 131 + sequence * 17) % len(patient_ids)]
        day = days[(client * 7 + sequence) % len(days)]
        return build_request(
            "PUT", f"/api/v1/patients/{patient}/diary/{day}", host=host, headers=headers, body=body
        )

    def floor_request(client: int, sequence: int) -> bytes:
        return build_request("PUT", "/bench/floor", host=host, headers=headers, body=body)

    port = _free_port()
    VAR.mkdir(parents=True, exist_ok=True)
    with Gunicorn(database_url, port, VAR / f"access-{port}.log") as server:
        probe = run_load(
            host=host,
            port=port,
            make_request=diary_request,
            concurrency=1,
            seconds=5,
            max_requests=1,
        )
        if probe.errors:
            return {
                "available": False,
                "reason": f"diary PUT answered {list(probe.statuses)} (not working yet)",
            }
        for make in (floor_request, diary_request):  # warm both up
            run_load(host=host, port=port, make_request=make, concurrency=CLIENTS, seconds=1.5)
        runs = {"floor": [], "diary": []}
        for _ in range(RUNS):
            for name, make, prefix in (
                ("floor", floor_request, "/bench/floor"),
                ("diary", diary_request, "/api/v1/patients/"),
            ):
                since, cpu_before = server.log_lines(), server.cpu_seconds()
                result = run_load(
                    host=host,
                    port=port,
                    make_request=make,
                    concurrency=CLIENTS,
                    seconds=WRITE_SECONDS,
                )
                summary = result.summary()
                summary["server_cpu_ms_per_request"] = _r(
                    (server.cpu_seconds() - cpu_before) * 1000 / max(1, result.requests), 3
                )
                time.sleep(0.5)  # let gunicorn flush its access log
                service = server.server_ms(since, prefix)
                summary["server_p50_ms"] = _r(percentile(service, 0.5))
                summary["server_p95_ms"] = _r(percentile(service, 0.95))
                runs[name].append(summary)

    def med(name: str, key: str):
        return median([r[key] for r in runs[name]])

    out = {
        "available": True,
        "clients": CLIENTS,
        "workers": GUNICORN_WORKERS,
        "seconds_per_run": WRITE_SECONDS,
        "runs": runs,
    }
    for name in ("floor", "diary"):
        for key in (
            "throughput_rps",
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "server_p50_ms",
            "server_p95_ms",
            "server_cpu_ms_per_request",
        ):
            out[f"{name}_{key}"] = _r(med(name, key))
        out[f"{name}_errors"] = sum(r["errors"] for r in runs[name])
    ratios = [
        d["throughput_rps"] / f["throughput_rps"]
        for d, f in zip(runs["diary"], runs["floor"], strict=True)
        if f["throughput_rps"]
    ]
    out["throughput_ratio"] = _r(median(ratios), 3)
    return out


def _r(value, digits: int = 2):
    return None if value is None else round(value, digits)


# -- one backend -------------------------------------------------------------------------


def bench_backend(vendor: str, database_url: str, *, wipe: bool) -> dict:
    out: dict = {"vendor": vendor}
    log(f"{vendor}: migrating")
    migrated = task("migrate", database_url, flush=wipe)
    if not migrated.get("ok"):
        return {"vendor": vendor, "error": "migrate failed"}
    log(f"{vendor}: load ({RUNS} runs of {LOAD_PATIENTS} patients x {DAYS} days)")
    out["load"] = task("load", database_url, patients=LOAD_PATIENTS, days=DAYS, runs=RUNS)
    log(f"{vendor}: seeding the bench clinic ({PATIENTS} patients x {DAYS} days)")
    seeded = task("seed", database_url, patients=PATIENTS, days=DAYS, progress=True)
    out["seed"] = {k: v for k, v in seeded.items() if k != "patient_ids_sample"}
    log(f"{vendor}: clinic report")
    out["clinic_report"] = task("report", database_url, runs=RUNS)
    page_patient = seeded.get("page_patient_id")
    log(f"{vendor}: patient page")
    out["patient_page"] = (
        task("patient_page", database_url, patient_id=page_patient, runs=PAGE_RUNS)
        if page_patient
        else {"available": False, "reason": "seeding failed"}
    )
    log(f"{vendor}: memory")
    out["memory_report"] = _median_memory(database_url, what="report")
    out["memory_fhir"] = _median_memory(database_url, what="fhir", patient_id=page_patient)
    log(f"{vendor}: diary write ({CLIENTS} clients, {RUNS} x {WRITE_SECONDS} s, and the floor)")
    out["diary_write"] = bench_diary_write(database_url, seeded)
    log(f"{vendor}: profiles (pyinstrument) of the report, the page and the write")
    save_profiles(vendor, database_url, seeded)
    return out


def save_profiles(vendor: str, database_url: str, seeded: dict) -> None:
    """pyinstrument profiles written next to latest.json: the evidence behind the causes
    named in docs/performance.md."""
    folder = RESULTS / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = {
        "report": {"what": "report"},
        "page": {"what": "page", "patient_id": seeded.get("page_patient_id"), "repeat": 10},
        "write": {
            "what": "write",
            "patient_id": seeded.get("page_patient_id"),
            "repeat": 30,
            "body": DIARY_DAY,
        },
    }
    for name, args in jobs.items():
        result = task("profile", database_url, **args)
        text = result.get("profile") or f"not available: {result.get('reason', 'failed')}\n"
        (folder / f"{name}-{vendor}.txt").write_text(text)


def _median_memory(database_url: str, **args) -> dict:
    runs = [task("memory", database_url, **args) for _ in range(RUNS)]
    if not all(r.get("available") for r in runs):
        return next(r for r in runs if not r.get("available"))
    result = dict(runs[0])
    for key in ("seconds", "baseline_rss_mb", "peak_rss_mb"):
        result[key] = statistics.median(r[key] for r in runs)
    result["peak_over_baseline_mb"] = round(result["peak_rss_mb"] - result["baseline_rss_mb"], 1)
    return result


# -- targets and table -------------------------------------------------------------------


def target_values(backends: dict) -> dict[str, dict]:
    """Each target's value per backend (the worse backend decides pass/fail)."""

    def pick(vendor, *path):
        node = backends.get(vendor, {})
        for key in path[:-1]:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict) and node.get("available") is False:
            return None, node.get("reason", "not available")
        return (node.get(path[-1]) if isinstance(node, dict) else None), ""

    sources = {
        "diary_write_throughput_ratio": ("diary_write", "throughput_ratio"),
        "diary_write_p95_ms": ("diary_write", "diary_p95_ms"),
        "patient_page_p95_ms": ("patient_page", "p95_ms"),
        "patient_page_queries": ("patient_page", "queries"),
        "clinic_report_ratio": ("clinic_report", "ratio"),
        "clinic_report_seconds": ("clinic_report", "seconds"),
        "seed_rows_per_second": ("seed", "rows_per_second"),
        "report_peak_rss_mb": ("memory_report", "peak_rss_mb"),
    }
    targets = {}
    for key, label, comparison, goal in TARGETS:
        vendors = ["postgresql"] if key == "seed_rows_per_second" else list(backends)
        per_backend, reasons = {}, []
        for vendor in vendors:
            value, reason = pick(vendor, *sources[key])
            per_backend[vendor] = value
            if value is None:
                reasons.append(f"{vendor}: {reason or 'not measured'}")
        values = [v for v in per_backend.values() if v is not None]
        if values and not reasons:
            worst = min(values) if comparison.startswith(">") else max(values)
            passed = {"<": worst < goal, "<=": worst <= goal, ">=": worst >= goal}[comparison]
            status = "pass" if passed else "FAIL"
        else:
            worst, passed, status = None, None, "not available"
        targets[key] = {
            "label": label,
            "value": worst,
            "target": goal,
            "comparison": comparison,
            "pass": passed,
            "status": status,
            "per_backend": per_backend,
            **({"reason": "; ".join(reasons)} if reasons else {}),
        }
    return targets


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(results: dict) -> None:
    backends = results["backends"]
    vendors = list(backends)
    rows = [("benchmark", *vendors)]

    def add(label, *path, digits=2):
        cells = []
        for vendor in vendors:
            node = backends[vendor]
            for key in path[:-1]:
                node = node.get(key, {})
            if node.get("available") is False:
                cells.append("not available")
            else:
                cells.append(fmt(node.get(path[-1]), digits))
        rows.append((label, *cells))

    add("1 diary write: req/s", "diary_write", "diary_throughput_rps", digits=0)
    add("  floor (constant JSON): req/s", "diary_write", "floor_throughput_rps", digits=0)
    add("  ratio write/floor", "diary_write", "throughput_ratio", digits=3)
    add("  p50 / p95 / p99 ms: p50", "diary_write", "diary_p50_ms")
    add("  p95", "diary_write", "diary_p95_ms")
    add("  p99", "diary_write", "diary_p99_ms")
    add("  floor p95 ms", "diary_write", "floor_p95_ms")
    add("  server time p95 ms (write)", "diary_write", "diary_server_p95_ms")
    add("  server time p95 ms (floor)", "diary_write", "floor_server_p95_ms")
    add("  server CPU ms/request (write)", "diary_write", "diary_server_cpu_ms_per_request")
    add("  server CPU ms/request (floor)", "diary_write", "floor_server_cpu_ms_per_request")
    add("2 patient page: p50 ms", "patient_page", "p50_ms")
    add("  p95 ms", "patient_page", "p95_ms")
    add("  floor p50 ms", "patient_page", "floor_p50_ms", digits=3)
    add("  ratio p50 page/floor", "patient_page", "ratio_p50", digits=1)
    add("  CPU p50 ms (page)", "patient_page", "cpu_p50_ms")
    add("  CPU p50 ms (floor)", "patient_page", "floor_cpu_p50_ms", digits=3)
    add("  queries", "patient_page", "queries")
    add("3 clinic report: s", "clinic_report", "seconds", digits=3)
    add("  SQL floor s", "clinic_report", "floor_seconds", digits=3)
    add("  ratio report/floor", "clinic_report", "ratio")
    add("4 load: diary rows/s (full seed)", "seed", "rows_per_second", digits=0)
    add("  rows/s (median of runs)", "load", "rows_per_second", digits=0)
    add("  bare-table floor rows/s", "load", "floor_rows_per_second", digits=0)
    add("  ratio load/floor", "load", "ratio")
    add("5 memory: report peak RSS MB", "memory_report", "peak_rss_mb", digits=1)
    add("  report over baseline MB", "memory_report", "peak_over_baseline_mb", digits=1)
    add("  FHIR export peak RSS MB", "memory_fhir", "peak_rss_mb", digits=1)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    print()
    print(
        f"Cadence bench: {results['config']['patients']:,} patients x "
        f"{results['config']['days']} days, median of {results['config']['runs']} runs"
    )
    for index, row in enumerate(rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("Targets")
    for target in results["targets"].values():
        value = fmt(target["value"], 3)
        line = (
            f"  [{target['status']:^13}] {target['label']}: {value} "
            f"(target {target['comparison']} {fmt(target['target'])})"
        )
        if target.get("reason"):
            line += f" -- {target['reason']}"
        print(line)


# -- main --------------------------------------------------------------------------------


def main() -> int:
    started = time.time()
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "config": {
            "patients": PATIENTS,
            "days": DAYS,
            "runs": RUNS,
            "clients": CLIENTS,
            "write_seconds": WRITE_SECONDS,
            "load_patients": LOAD_PATIENTS,
            "gunicorn_workers": GUNICORN_WORKERS,
        },
        "backends": {},
    }
    previous = RESULTS / "latest.json"
    if os.environ.get("BENCH_KEEP_OTHER_BACKENDS") and previous.exists():
        # Keep the figures of the backends not run this time (e.g. after BENCH_BACKENDS=sqlite).
        kept = json.loads(previous.read_text()).get("backends", {})
        for vendor, figures in kept.items():
            if vendor not in BACKENDS:
                figures.setdefault("measured_at", json.loads(previous.read_text())["started_at"])
                results["backends"][vendor] = figures
    with ExitStack() as stack:
        for vendor in BACKENDS:
            if vendor == "sqlite":
                path = VAR / "bench.sqlite3"
                for leftover in VAR.glob("bench.sqlite3*"):
                    leftover.unlink()
                url, wipe = f"sqlite:///{path}", False
            elif vendor == "postgresql":
                url = os.environ.get("BENCH_DATABASE_URL", "")
                wipe = bool(url)
                if not url:
                    log("postgresql: starting a throwaway cluster")
                    url = stack.enter_context(ThrowawayPostgres())
            else:
                raise SystemExit(f"unknown backend {vendor!r} in BENCH_BACKENDS")
            results["backends"][vendor] = bench_backend(vendor, url, wipe=wipe)
            if vendor == "sqlite":
                for leftover in VAR.glob("bench.sqlite3*"):
                    leftover.unlink()
    results["targets"] = target_values(results["backends"])
    results["seconds"] = round(time.time() - started, 1)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nWritten to {RESULTS / 'latest.json'} in {results['seconds']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
