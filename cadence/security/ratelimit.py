"""A small fixed-window rate limit on the shared ``ratelimit`` cache: the database
(DatabaseCache, shared by every worker and host) or the cache `CADENCE_CACHE_URL` names
(see docs/deploy.md), so a limit holds across gunicorn workers.

    if not rate_allow(f"login:{ip}", limit=20, window_seconds=60): answer 429
"""

from __future__ import annotations

import time

from django.core.cache import caches

RATE_CACHE = "ratelimit"


def rate_allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; False once the window already holds `limit` hits."""
    cache = caches[RATE_CACHE]
    window = int(time.time() // window_seconds)
    cache_key = f"cadence-rate:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return True
    return hits <= limit
