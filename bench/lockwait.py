"""Lock wait per diary write on PostgreSQL (issue 20): does the single audit-chain head
row (`cadence.audit.services.audit_record`, `SELECT ... FOR UPDATE` on AuditChainHead
pk=1) make concurrent writers queue?

While the diary-write load runs (BENCH_CLIENTS closed-loop clients against gunicorn with
W sync workers, so at most W writers at once), a sampler thread reads
`pg_stat_activity` every few milliseconds from its own connection and counts, per
sample, the backends that are running a statement and those waiting on a heavyweight
lock (`wait_event_type = 'Lock'`: a row lock shows as `transactionid` or `tuple`), with
the statement they wait in. The lock-wait time is the number of waiting backends summed
over the samples times the sampling interval; divided by the writes served, it is the
lock wait per write. Measured at 2 workers (the bench's server) and at more workers (more
writers than cores, as several app servers would give).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import date, timedelta

SAMPLE_SQL = """
SELECT wait_event_type, wait_event, left(query, 80)
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
"""


class ActivitySampler(threading.Thread):
    def __init__(self, database_url: str, interval: float = 0.002):
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.samples = 0
        self.active = 0
        self.waiting = Counter()  # (wait_event, statement) -> backend-samples
        self.stop_event = threading.Event()
        self.started_at = self.ended_at = 0.0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cursor = conn.cursor()
            self.started_at = time.perf_counter()
            while not self.stop_event.is_set():
                cursor.execute(SAMPLE_SQL)
                self.samples += 1
                for wait_type, wait_event, query in cursor.fetchall():
                    self.active += 1
                    if wait_type == "Lock":
                        self.waiting[(wait_event, _statement(query))] += 1
                time.sleep(self.interval)
            self.ended_at = time.perf_counter()

    def stop(self) -> None:
        self.stop_event.set()
        self.join()

    @property
    def seconds(self) -> float:
        return self.ended_at - self.started_at


def _statement(query: str) -> str:
    text = " ".join((query or "").split()).lower()
    # The sampled text is cut at 80 characters: the head's SELECT shows its table, not
    # its FOR UPDATE (the only SELECT of that table in the write path).
    if text.startswith("select") and "auditchainhead" in text:
        return "audit chain head SELECT ... FOR UPDATE"
    if text.startswith("update") and "auditchainhead" in text:
        return "audit chain head UPDATE"
    if "diary" in text:
        return "diary day"
    return text[:60]


def bench_lock_wait(
    database_url: str,
    *,
    patient_ids: list[int],
    task,
    workers_list: tuple[int, ...],
    clients: int,
    seconds: float,
    log,
) -> dict:
    from bench.loadgen import build_request, run_load
    from bench.run import DIARY_DAY, VAR
    from bench.server import Gunicorn, free_port

    if not patient_ids:
        return {"available": False, "reason": "no seeded patients"}
    prepared = task("prepare_write", database_url, patient_id=patient_ids[0])
    if not prepared.get("available"):
        return prepared
    token, today = prepared["token"], date.fromisoformat(prepared["today"])
    days = [(today - timedelta(days=2 + k)).isoformat() for k in range(300)]
    body = json.dumps(DIARY_DAY).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def diary_request(client: int, sequence: int) -> bytes:
        patient = patient_ids[(client * 131 + sequence * 17) % len(patient_ids)]
        day = days[(client * 7 + sequence) % len(days)]
        return build_request(
            "PUT",
            f"/api/v1/patients/{patient}/diary/{day}",
            host="127.0.0.1",
            headers=headers,
            body=body,
        )

    out: dict = {"available": True, "clients": clients, "seconds_per_run": seconds, "runs": {}}
    for workers in workers_list:
        log(f"lock wait: {workers} gunicorn workers, {clients} clients, {seconds} s")
        port = free_port()
        VAR.mkdir(parents=True, exist_ok=True)
        try:
            with Gunicorn(database_url, port, VAR / f"lockwait-{port}.log", workers=workers):
                run_load(
                    host="127.0.0.1",
                    port=port,
                    make_request=diary_request,
                    concurrency=clients,
                    seconds=1.5,
                )
                sampler = ActivitySampler(database_url)
                sampler.start()
                result = run_load(
                    host="127.0.0.1",
                    port=port,
                    make_request=diary_request,
                    concurrency=clients,
                    seconds=seconds,
                )
                sampler.stop()
        except RuntimeError as error:  # gunicorn did not start (a loaded machine)
            out["runs"][str(workers)] = {"available": False, "reason": str(error)}
            continue
        writes = result.requests - result.errors
        interval = sampler.seconds / max(1, sampler.samples)
        waited = sum(sampler.waiting.values())
        head_waited = sum(
            n
            for (_event, statement), n in sampler.waiting.items()
            if "audit chain head" in statement
        )
        out["runs"][str(workers)] = {
            "workers": workers,
            "writes": writes,
            "errors": result.errors,
            "throughput_rps": round(result.throughput, 1),
            "samples": sampler.samples,
            "sample_interval_ms": round(interval * 1000, 2),
            "mean_active_backends": round(sampler.active / max(1, sampler.samples), 3),
            "mean_backends_waiting_on_lock": round(waited / max(1, sampler.samples), 4),
            "lock_wait_ms_per_write": round(waited * interval * 1000 / max(1, writes), 3),
            "audit_head_lock_wait_ms_per_write": round(
                head_waited * interval * 1000 / max(1, writes), 3
            ),
            "share_of_active_time_waiting_on_lock": round(waited / max(1, sampler.active), 4),
            "waits": [
                {"wait_event": event, "statement": statement, "backend_samples": n}
                for (event, statement), n in sampler.waiting.most_common(6)
            ],
        }
    return out
