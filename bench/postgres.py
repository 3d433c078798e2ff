"""A throwaway PostgreSQL cluster for the bench, started the way .ci/run starts CI's:
initdb/pg_ctl (as the non-root user `cadenceci` when running as root) on a free port in a
temporary directory, removed afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_USER = "cadenceci"


def _pg_bin() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        # Resolve symlinks (e.g. /usr/local/bin/initdb): pg_ctl and createdb sit beside
        # the real initdb.
        return Path(initdb).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb); install it (apt-get install postgresql) "
            "or set BENCH_DATABASE_URL."
        )
    return candidates[0].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """`with ThrowawayPostgres() as url:` a fresh, empty database `cadence`."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.directory = Path(tempfile.mkdtemp(prefix="cadence-bench-pg."))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", PG_USER, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def __enter__(self) -> str:
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> str:
        if self.as_root:
            exists = subprocess.run(["id", PG_USER], capture_output=True).returncode == 0
            if not exists:
                subprocess.run(["useradd", "--system", "--no-create-home", PG_USER], check=True)
            shutil.chown(self.directory, PG_USER)
        data = self.directory / "data"
        self._run("initdb", "-D", str(data), "-U", "cadence", "--auth=trust", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c shared_buffers=256MB -c work_mem=32MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "cadence", "cadence")
        return f"postgres://cadence@127.0.0.1:{self.port}/cadence"

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)
