"""Nothing lost: gunicorn serves Cadence against a real database; several clients write
diary days through the API; the server is killed with SIGKILL mid-stream and restarted;
every write that was acknowledged (200/201) is there afterwards, with its value.

Runs on a file SQLite database in a temporary directory, and on PostgreSQL when the run
has one (DATABASE_URL=postgres://... as in CI, or CADENCE_BACKUP_TEST_PG).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from datetime import date, timedelta

import pytest
import requests

from cadence.security.tests.helpers import BASE_DIR, clean_env, manage

WRITERS = 4
KILL_AFTER_SECONDS = 1.5
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
            "--graceful-timeout",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: SIGKILL reaches the workers too
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            pass
        if process.poll() is not None:
            raise AssertionError("gunicorn exited: " + process.stderr.read().decode()[-2000:])
        time.sleep(0.2)
    kill(process)
    raise AssertionError("gunicorn did not become healthy in 20 s")


def kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def diary_body(hours: float) -> dict:
    return {
        "headache_hours": hours,
        "peak_severity": "moderate" if hours else "none",
        "unilateral": True,
        "pulsating": bool(hours),
        "worse_with_activity": False,
        "nausea": False,
        "vomiting": False,
        "photophobia": True,
        "phonophobia": False,
        "aura": False,
        "missed_activity": False,
        "acute_medications": [],
        "notes": "",
    }


def prepare(env) -> tuple[str, str]:
    for args in (
        ("migrate", "--noinput"),
        (
            "createuser",
            "killtest_clinician",
            "--role",
            "clinician",
            "--password",
            "long-enough-pw-3",
        ),
    ):
        result = manage(*args, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
    result = manage("issue_token", "killtest_clinician", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1], ""


def run_kill_test(env) -> None:
    token, _ = prepare(env)
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = start_server(env, port)
    try:
        created = requests.post(
            f"{base}/patients",
            headers=headers,
            timeout=10,
            json={
                "first_name": "Kill",
                "last_name": "Test",
                "date_of_birth": "1980-05-01",
                "sex": "female",
                "email": "kill.test@example.invalid",
                "phone": "",
            },
        )
        assert created.status_code == 201, created.text
        patient_id = created.json()["id"]
        acknowledged: dict[str, float] = {}
        lock = threading.Lock()
        stop = threading.Event()
        first_day = date.today() - timedelta(days=3)  # noqa: DTZ011 - a safely past date anywhere

        def writer(index: int):
            session = requests.Session()
            n = 0
            while not stop.is_set() and n < 300:
                day = first_day - timedelta(days=index + WRITERS * n)
                hours = float((index * 7 + n) % 25)
                n += 1
                try:
                    response = session.put(
                        f"{base}/patients/{patient_id}/diary/{day.isoformat()}",
                        headers=headers,
                        json=diary_body(hours),
                        timeout=5,
                    )
                except requests.RequestException:
                    if stop.is_set():
                        return
                    time.sleep(0.05)
                    continue
                if response.status_code in (200, 201):
                    with lock:
                        acknowledged[day.isoformat()] = hours

        threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(KILL_AFTER_SECONDS)
        kill(server)  # mid-stream: writers are in flight
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        assert len(acknowledged) >= 5, (
            "too few writes were acknowledged before the kill to mean anything"
        )
        server = start_server(env, port)
        start = min(acknowledged)
        end = max(acknowledged)
        stored = requests.get(
            f"{base}/patients/{patient_id}/diary",
            params={"start": start, "end": end},
            headers=headers,
            timeout=10,
        )
        assert stored.status_code == 200, stored.text
        payload = stored.json()
        entries = (
            payload
            if isinstance(payload, list)
            else payload.get("entries", payload.get("items", []))
        )
        found = {entry["date"]: float(entry["headache_hours"]) for entry in entries}
        lost = sorted(day for day in acknowledged if day not in found)
        changed = sorted(
            day for day in acknowledged if day in found and found[day] != acknowledged[day]
        )
        assert lost == [], f"{len(lost)} acknowledged writes lost: {lost[:10]}"
        assert changed == [], f"acknowledged values changed: {changed[:10]}"
    finally:
        kill(server)


def test_no_acknowledged_write_is_lost_on_sqlite(tmp_path):
    env = clean_env(
        CADENCE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'cadence.sqlite3'}",
        DEBUG="0",
    )
    run_kill_test(env)


@pytest.mark.postgres
def test_no_acknowledged_write_is_lost_on_postgresql(tmp_path):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        base_url = os.environ.get("CADENCE_BACKUP_TEST_PG", "")
    if not base_url:
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://... (CI) or CADENCE_BACKUP_TEST_PG")
    import psycopg

    scratch = f"cadence_kill_{uuid.uuid4().hex[:8]}"
    server_url = base_url.rsplit("/", 1)[0]
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        run_kill_test(
            clean_env(
                CADENCE_VAR_DIR=str(tmp_path), DATABASE_URL=f"{server_url}/{scratch}", DEBUG="0"
            )
        )
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
