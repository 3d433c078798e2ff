"""The bench's Cadence server: gunicorn with Cadence's WSGI application on a free loopback
port, its access log (status, service time, path) and the CPU its processes used."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def django_env(database_url: str, settings: str = "bench.settings") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=settings,
        CADENCE_ENV="development",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_task(name: str, database_url: str, *, settings: str = "bench.settings", **args) -> dict:
    """Run one bench.tasks measurement in its own process; return its JSON result."""
    completed = subprocess.run(
        [PYTHON, "-m", "bench.tasks", name, json.dumps(args)],
        cwd=ROOT,
        env=django_env(database_url, settings),
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT ") :])
    return {"available": False, "reason": f"task {name} failed (exit {completed.returncode})"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(
        self,
        database_url: str,
        port: int,
        access_log: Path,
        *,
        workers: int = 2,
        settings: str = "bench.settings",
    ):
        self.database_url, self.port, self.access_log = database_url, port, access_log
        self.workers, self.settings = workers, settings

    def __enter__(self) -> Gunicorn:
        self.access_log.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--workers",
                str(self.workers),
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
            env=django_env(self.database_url, self.settings),
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
