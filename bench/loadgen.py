"""A small closed-loop HTTP load generator (asyncio, raw HTTP/1.1, one connection per
request, as gunicorn's sync workers close the connection after each answer).

`concurrency` clients each send a request, wait for the whole answer, and send the next,
until `seconds` have passed or `max_requests` were sent. Traffic goes only to the given
loopback host. Latency is measured per request from connect to the last byte.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Never more than this many requests in one run, whatever the duration.
MAX_REQUESTS = 200_000
#: A request taking longer than this is counted as an error.
REQUEST_TIMEOUT_SECONDS = 30


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float | None:
        return percentile(self.latencies_ms, share)

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": _round(self.percentile(0.50)),
            "p95_ms": _round(self.percentile(0.95)),
            "p99_ms": _round(self.percentile(0.99)),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0-1) of the values, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(share * len(ordered) + 0.5))))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


RequestFactory = Callable[[int, int], bytes]


def build_request(
    method: str, path: str, *, host: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _client(
    client_id: int,
    host: str,
    port: int,
    make_request: RequestFactory,
    deadline: float,
    budget: list[int],
    result: LoadResult,
) -> None:
    sequence = 0
    while time.perf_counter() < deadline and budget[0] > 0:
        budget[0] -= 1
        request = make_request(client_id, sequence)
        sequence += 1
        started = time.perf_counter()
        status = 0
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), REQUEST_TIMEOUT_SECONDS
            )
            try:
                writer.write(request)
                await writer.drain()
                answer = await asyncio.wait_for(reader.read(-1), REQUEST_TIMEOUT_SECONDS)
            finally:
                writer.close()
            if answer.startswith(b"HTTP/1."):
                status = int(answer[9:12])
        except (TimeoutError, OSError, ValueError):
            status = 0
        elapsed_ms = (time.perf_counter() - started) * 1000
        result.requests += 1
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            result.latencies_ms.append(elapsed_ms)
        else:
            result.errors += 1


async def _run(host, port, make_request, concurrency, seconds, max_requests) -> LoadResult:
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + seconds
    budget = [min(max_requests, MAX_REQUESTS)]
    await asyncio.gather(
        *(
            _client(i, host, port, make_request, deadline, budget, result)
            for i in range(concurrency)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(
    *,
    host: str,
    port: int,
    make_request: RequestFactory,
    concurrency: int,
    seconds: float,
    max_requests: int = MAX_REQUESTS,
) -> LoadResult:
    """Drive `concurrency` closed-loop clients against host:port (loopback only)."""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("the load generator only targets this machine's loopback address")
    return asyncio.run(_run(host, port, make_request, concurrency, seconds, max_requests))
