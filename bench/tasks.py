"""The bench's measurements that run inside Django, one per process:

    python -m bench.tasks NAME '{"json": "arguments"}'

with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL set by bench.run. The last
line of stdout is `BENCH-RESULT {json}`. A measurement whose page answers an error status
answers {"available": false, "reason": ...} instead of a number.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import sys
import time
from datetime import timedelta

RESULT_PREFIX = "BENCH-RESULT "
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values, share):
    from bench.loadgen import percentile

    return percentile(values, share)


def _not_available(reason: str) -> dict:
    return {"available": False, "reason": reason}


# -- database set-up ---------------------------------------------------------------------


def task_migrate(args: dict) -> dict:
    from django.core.management import call_command

    if args.get("flush"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    return {"ok": True}


# -- 4. Load -------------------------------------------------------------------------------


def _delete_patients(first_id: int, last_id: int) -> None:
    from django.db import connection, transaction

    from cadence.diary.models import DiaryDay
    from cadence.patients.models import Patient
    from cadence.scheduling.models import Appointment, TreatmentRhythm
    from cadence.treatments.models import Procedure

    # Everything the scale seeder writes for a patient, the patient last.
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (DiaryDay, Procedure, Appointment, TreatmentRhythm, Patient):
            column = "id" if model is Patient else "patient_id"
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} "
                f"WHERE {column} BETWEEN %s AND %s",
                [first_id, last_id],
            )


def _load_floor(patients: int, days: int, seed: int) -> float:
    """Rows/s of the same rows, same bulk path, into a bare copy of the diary table (no
    index, no constraint, no foreign key): the database's ingest floor."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cadence.demo import scale
    from cadence.diary.models import DiaryDay

    table = "bench_diary_load_floor"
    quoted = connection.ops.quote_name(table)
    source = connection.ops.quote_name(DiaryDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted}")
        cursor.execute(f"CREATE TABLE {quoted} AS SELECT * FROM {source} WHERE 1 = 0")
    rng = random.Random(seed)
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    day_dates = [start + timedelta(days=offset) for offset in range(days)]
    iso_days = [d.isoformat() for d in day_dates]
    plans = [
        scale.ScalePatientPlan(
            patient_id=1_000_000 + index,
            response=scale.RESPONSE_CYCLE[index % len(scale.RESPONSE_CYCLE)],
            session_dates=scale.session_dates_for(rng, start=start, today=today),
        )
        for index in range(patients)
    ]
    scale.sqlite_pragmas(True)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            writer = scale.DiaryRowWriter(now=timezone.now(), table=table)
            writer.write(
                scale.diary_rows(plans, iso_days, day_dates, seed),
                patients * days,
                scale.NoProgress(),
            )
        seconds = time.perf_counter() - started
    finally:
        scale.sqlite_pragmas(False)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quoted}")
    return patients * days / seconds


def task_load(args: dict) -> dict:
    """Scale seeding of `patients` x `days`, `runs` times (each run's rows deleted
    afterwards), against the ingest floor measured in between."""
    from cadence.demo.scale import seed_scale_clinic

    runs, floors = [], []
    for run in range(args["runs"]):
        result = seed_scale_clinic(patients=args["patients"], days=args["days"], seed=run)
        runs.append(result.as_dict())
        _delete_patients(result.patient_ids[0], result.patient_ids[-1])
        floors.append(_load_floor(args["patients"], args["days"], seed=run))
    rates = [r["rows_per_second"] for r in runs]
    return {
        "available": True,
        "patients": args["patients"],
        "days": args["days"],
        "rows_per_second": statistics.median(rates),
        "floor_rows_per_second": round(statistics.median(floors)),
        "ratio": statistics.median(rates) / statistics.median(floors),
        "runs": runs,
        "floor_runs": [round(f) for f in floors],
    }


def task_seed(args: dict) -> dict:
    """The bench clinic: `patients` x `days`, plus one patient with 2 years of diary and 8
    sessions for the patient page."""
    from cadence.demo.scale import seed_scale_clinic
    from cadence.treatments.models import Procedure

    result = seed_scale_clinic(
        patients=args["patients"], days=args["days"], progress=args.get("progress", False)
    )
    page = seed_scale_clinic(patients=1, days=730, max_sessions=8, seed=7)
    page_patient = page.patient_ids[0]
    return {
        **result.as_dict(),
        "available": True,
        "patient_ids_sample": result.patient_ids[:2000],
        "page_patient_id": page_patient,
        "page_patient_sessions": Procedure.objects.filter(patient_id=page_patient).count(),
    }


# -- 1. Diary write: the token and an availability check ---------------------------------


def task_prepare_write(args: dict) -> dict:
    from django.utils import timezone

    from cadence.accounts.models import ApiToken
    from cadence.demo.scale import scale_clinician

    _token, raw = ApiToken.issue(scale_clinician(), name="bench")
    return {"available": True, "token": raw, "today": timezone.localdate().isoformat()}


# -- 2. Patient page -----------------------------------------------------------------------


def _client_for_clinician():
    from django.test import Client

    from cadence.demo.scale import scale_clinician

    client = Client()
    client.force_login(scale_clinician())
    return client


def _time_requests(client, path: str, runs: int, cpu: list | None = None):
    timings = []
    status = 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        status = response.status_code
    return timings, status


def task_patient_page(args: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/outcomes/patients/{args['patient_id']}/"
    client = _client_for_clinician()
    warm, status = _time_requests(client, path, 3)
    if status != 200:
        return _not_available(f"GET {path} answered {status}")
    runs = args["runs"]
    page, floor, page_cpu, floor_cpu = [], [], [], []
    # Interleave page and floor so that noise from other processes hits both alike.
    for _ in range(runs):
        page.extend(_time_requests(client, path, 1, page_cpu)[0])
        floor.extend(_time_requests(client, "/bench/floor", 1, floor_cpu)[0])
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Transaction control (BEGIN/COMMIT/SAVEPOINT) shows up on SQLite only; not a query.
    queries = [q for q in captured.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]
    p50, p95 = _percentile(page, 0.5), _percentile(page, 0.95)
    floor_p50 = _percentile(floor, 0.5)
    return {
        "available": True,
        "patient_id": args["patient_id"],
        "runs": runs,
        "p50_ms": round(p50, 2),
        "p95_ms": round(_percentile(page, 0.95), 2),
        "floor_p50_ms": round(floor_p50, 3),
        "floor_p95_ms": round(_percentile(floor, 0.95), 3),
        "ratio_p50": round(p50 / floor_p50, 1),
        "p95_over_floor_ms": round(p95 - _percentile(floor, 0.95), 2),
        # CPU time of this process per request: what the page costs, without the waiting
        # for a core that a busy machine adds to the wall-clock figures.
        "cpu_p50_ms": round(_percentile(page_cpu, 0.5), 2),
        "cpu_p95_ms": round(_percentile(page_cpu, 0.95), 2),
        "floor_cpu_p50_ms": round(_percentile(floor_cpu, 0.5), 3),
        "queries": len(queries),
        "statements_with_transaction_control": len(captured.captured_queries),
        "query_list": [q["sql"][:300] for q in queries],
    }


# -- 3. Clinic report ----------------------------------------------------------------------


def task_report(args: dict) -> dict:
    from django.utils import timezone

    from bench import report_floor
    from cadence.outcomes.selectors import clinic_report as function

    today = timezone.localdate()
    runs = args["runs"]
    function(today)  # warm-up (caches, plans); every side gets one
    for shape in report_floor.SHAPES:
        report_floor.run(today, shape)
    timings, floor_timings = [], {shape: [] for shape in report_floor.SHAPES}
    for _ in range(runs):
        started = time.perf_counter()
        function(today)
        timings.append(time.perf_counter() - started)
        for shape in report_floor.SHAPES:
            started = time.perf_counter()
            report_floor.run(today, shape)
            floor_timings[shape].append(time.perf_counter() - started)
    # The floor is the faster of the hand-written shapes on this database.
    shape = min(floor_timings, key=lambda name: statistics.median(floor_timings[name]))
    floors = floor_timings[shape]
    seconds, floor = statistics.median(timings), statistics.median(floors)
    return {
        "available": True,
        "runs": runs,
        "seconds": round(seconds, 4),
        "floor_seconds": round(floor, 4),
        "ratio": round(seconds / floor, 2) if floor else None,
        "timings": [round(t, 4) for t in timings],
        "floor_timings": [round(t, 4) for t in floors],
        "floor_shape": shape,
        "floor_shape_seconds": {
            name: round(statistics.median(values), 4) for name, values in floor_timings.items()
        },
        "floor_sql": report_floor.describe(shape),
    }


def task_profile(args: dict) -> dict:
    """pyinstrument profile of one benchmark's work, in this process (the evidence for
    docs/performance.md): `what` is report, page or write."""
    import json as jsonlib

    from django.test import Client
    from django.utils import timezone
    from pyinstrument import Profiler

    what = args["what"]
    repeat = args.get("repeat", 20)
    if what == "report":
        from cadence.outcomes.selectors import clinic_report as function

        repeat = 1

        def work():
            function(timezone.localdate())
    elif what == "page":
        client = _client_for_clinician()
        path = f"/outcomes/patients/{args['patient_id']}/"

        def work():
            client.get(path)
    else:
        from cadence.accounts.models import ApiToken
        from cadence.demo.scale import scale_clinician

        _token, raw = ApiToken.issue(scale_clinician(), name="bench-profile")
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        body = jsonlib.dumps(args["body"])
        today = timezone.localdate()
        calls = iter(range(1_000_000))

        def work():
            n = next(calls)
            on = (today - timedelta(days=2 + n % 300)).isoformat()
            client.put(
                f"/api/v1/patients/{args['patient_id']}/diary/{on}",
                body,
                content_type="application/json",
            )

    work()  # warm-up
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        work()
    profiler.stop()
    return {
        "available": True,
        "what": what,
        "repeat": repeat,
        "profile": profiler.output_text(unicode=False, color=False),
    }


# -- 5. Memory -----------------------------------------------------------------------------


def task_memory(args: dict) -> dict:
    """Peak RSS of this process after one clinic report or one FHIR $everything export."""
    from django.db import connection
    from django.utils import timezone

    connection.ensure_connection()
    baseline = _rss_mb()
    started = time.perf_counter()
    if args["what"] == "report":
        from cadence.outcomes.selectors import clinic_report

        clinic_report(timezone.localdate())
    else:
        path = f"/fhir/r4/Patient/{args['patient_id']}/$everything"
        response = _client_for_clinician().get(path)
        if response.status_code != 200:
            return _not_available(f"GET {path} answered {response.status_code}")
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    return {
        "available": True,
        "what": args["what"],
        "seconds": round(time.perf_counter() - started, 3),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
        **({"bytes": size} if args["what"] == "fhir" else {}),
    }


def task_bulk_memory(args: dict) -> dict:
    """RSS growth of the worker writing a FHIR Bulk Data $export of the scale clinic (every
    type, NDJSON streamed to a temporary directory, deleted afterwards). `patients` bounds
    the export to the clinic's first patients: a whole 10,000 x 365 clinic is ~13 GB of
    NDJSON and about an hour of mapping; memory must stay flat whatever the count."""
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    from cadence.demo.scale import scale_clinician
    from cadence.interop import bulk
    from cadence.interop.bulk import SYSTEM_TYPES, bulk_export_run
    from cadence.interop.models import BulkExportJob, BulkExportStatus

    connection.ensure_connection()
    every_patient = bulk._patients_for
    limit = args.get("patients")
    if limit:  # the first `limit` patients of the clinic, still read in chunks

        def _first_patients(job):
            patients = every_patient(job)
            last = patients.values_list("pk", flat=True)[limit - 1 : limit].first()
            return patients if last is None else patients.filter(pk__lte=last)

        bulk._patients_for = _first_patients
    folder = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    settings.CADENCE_BULK_EXPORT_DIR = folder
    job = BulkExportJob.objects.create(
        requested_by=scale_clinician(),
        level="system",
        types=list(args.get("types") or SYSTEM_TYPES),
        request_url="bench:$export",
    )
    baseline = _rss_mb()
    started = time.perf_counter()
    try:
        status = bulk_export_run(job_id=str(job.pk))
        seconds = time.perf_counter() - started
        peak = _rss_mb()
        job.refresh_from_db()
        size = sum(path.stat().st_size for path in folder.rglob("*.ndjson"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        BulkExportJob.objects.filter(pk=job.pk).delete()
    if status != BulkExportStatus.COMPLETED:
        return _not_available(f"the export ended {status}: {job.error}")
    return {
        "available": True,
        "seconds": round(seconds, 1),
        "patients": limit or "all",
        "resources": sum(entry["count"] for entry in job.output),
        "bytes": size,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
        "peak_over_baseline_mb": round(peak - baseline, 1),
    }


# -- 6. The patient's phone: the demo clinic, static files and a signed-in session --------


def task_phone_setup(args: dict) -> dict:
    """The story clinic, the static files collected as production serves them, and a
    session of the demo patient (the cookies a browser would send) for Lighthouse."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    user = get_user_model().objects.filter(username=args["username"]).first()
    if user is None:
        return _not_available(f"the demo clinic has no user {args['username']!r}")
    client = Client()
    client.force_login(user)
    pages = {
        "diary": reverse("diary:home"),
        "my_progress": reverse("outcomes:my-progress"),
        "side_effects": reverse("diary:side-effect-list"),
    }
    for path in pages.values():
        status = client.get(path).status_code
        if status != 200:
            return _not_available(f"GET {path} as the demo patient answered {status}")
    return {
        "available": True,
        "cookies": {name: morsel.value for name, morsel in client.cookies.items()},
        "pages": pages,
    }


# -- 7. Scaling: the same pages at 1,000, 10,000 (and 100,000) patients --------------------


#: The scale clinic's patients without a booking or a course review (all in the first
#: step of 1,000): the worklists' length at every size.
SCALE_WORKLIST_PATIENTS = 25


def task_scale_seed(args: dict) -> dict:
    """Add ``patients`` x ``days`` to the clinic (the scale clinic grows in steps: 1,000,
    then 9,000 more, ...); with ``page_patient`` also the 2-year, 8-session patient of the
    patient page."""
    from cadence.demo.scale import seed_scale_clinic
    from cadence.patients.models import Patient

    # A well-run clinic: every patient booked and reviewed but SCALE_WORKLIST_PATIENTS of
    # the first step's, so that the worklists hold the same patients at every size.
    result = seed_scale_clinic(
        patients=args["patients"],
        days=args["days"],
        seed=args.get("seed", 2026),
        appointments=True,
        worklist_patients=SCALE_WORKLIST_PATIENTS if args.get("page_patient") else 0,
    )
    out = {
        **result.as_dict(),
        "available": True,
        "patient_ids_sample": result.patient_ids[:50],
        "total_patients": Patient.objects.count(),
    }
    if args.get("page_patient"):
        page = seed_scale_clinic(patients=1, days=730, max_sessions=8, seed=7)
        out["page_patient_id"] = page.patient_ids[0]
        out["total_patients"] = Patient.objects.count()
    return out


def _page_figure(client, path: str, runs: int) -> dict:
    """p50/p95 wall and CPU ms of GET ``path`` and its query count (interleaved with the
    trivial-query floor, so that noise hits both alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm, status = _time_requests(client, path, 2)
    if status != 200:
        return _not_available(f"GET {path} answered {status}")
    page, floor, page_cpu, floor_cpu = [], [], [], []
    for _ in range(runs):
        page.extend(_time_requests(client, path, 1, page_cpu)[0])
        floor.extend(_time_requests(client, "/bench/floor-query", 1, floor_cpu)[0])
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = [q for q in captured.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]
    p50 = _percentile(page, 0.5)
    floor_p50 = _percentile(floor, 0.5)
    return {
        "available": True,
        "path": path,
        "runs": runs,
        "p50_ms": round(p50, 2),
        "p95_ms": round(_percentile(page, 0.95), 2),
        "cpu_p50_ms": round(_percentile(page_cpu, 0.5), 2),
        "floor_p50_ms": round(floor_p50, 3),
        "floor_cpu_p50_ms": round(_percentile(floor_cpu, 0.5), 3),
        "ratio_p50": round(p50 / floor_p50, 1) if floor_p50 else None,
        "queries": len(queries),
        "slowest_queries_ms": sorted(
            (round(float(q["time"]) * 1000, 1), q["sql"][:160]) for q in queries
        )[-3:],
    }


def task_scale_measure(args: dict) -> dict:
    """At the clinic's current size: the clinic report (and its SQL floor), the dashboard,
    the worklists and the clinician's patient page (each against the trivial-query floor
    view through the same client), and the worklists' lengths."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench import report_floor
    from cadence.outcomes.selectors import clinic_report
    from cadence.patients.models import Patient
    from cadence.scheduling.selectors import worklists

    settings.DEBUG = False
    connection.force_debug_cursor = True  # query times for slowest_queries_ms
    today = timezone.localdate()
    runs = args.get("runs", 3)
    clinic_report(today)
    timings, floor_timings = [], []
    for _ in range(runs):
        started = time.perf_counter()
        clinic_report(today)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        report_floor.run(today, "correlated")
        floor_timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    lists = worklists(today)
    worklists_selector_ms = (time.perf_counter() - started) * 1000
    connection.force_debug_cursor = True
    client = _client_for_clinician()
    page_runs = args.get("page_runs", 10)
    out = {
        "available": True,
        "patients": Patient.objects.count(),
        "clinic_report": {
            "available": True,
            "seconds": round(statistics.median(timings), 4),
            "floor_seconds": round(statistics.median(floor_timings), 4),
            "timings": [round(t, 4) for t in timings],
        },
        "worklist_lengths": {
            "due_this_week": len(lists.due_this_week),
            "overdue": len(lists.overdue),
            "reviews_due": len(lists.reviews_due),
            "lost_to_follow_up": len(lists.lost_to_follow_up),
        },
        "worklists_selector_ms": round(worklists_selector_ms, 1),
        "dashboard": _page_figure(client, "/outcomes/dashboard/", page_runs),
        # The dashboard's outcome cards, loaded by htmx after the page: the clinic report
        # through a request (its own target is the report's), so 3 runs.
        "dashboard_outcomes": _page_figure(client, "/outcomes/dashboard/outcomes/", 3),
        "worklists": _page_figure(client, "/schedule/worklists/", page_runs),
    }
    if args.get("page_patient_id"):
        out["patient_page"] = _page_figure(
            client, f"/outcomes/patients/{args['page_patient_id']}/", max(page_runs, 20)
        )
    return out


TASKS = {
    "migrate": task_migrate,
    "load": task_load,
    "seed": task_seed,
    "prepare_write": task_prepare_write,
    "patient_page": task_patient_page,
    "report": task_report,
    "profile": task_profile,
    "memory": task_memory,
    "bulk_memory": task_bulk_memory,
    "phone_setup": task_phone_setup,
    "scale_seed": task_scale_seed,
    "scale_measure": task_scale_measure,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    name = sys.argv[1]
    args = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    result = TASKS[name](args)
    sys.stdout.write("\n" + RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
