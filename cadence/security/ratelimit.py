"""A small fixed-window rate limit on Django's cache (per process with the default
local-memory cache; configure a shared cache when several app servers run, see
docs/deploy.md).

    if not rate_allow(f"login:{ip}", limit=20, window_seconds=60): answer 429
"""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; False once the window already holds `limit` hits."""
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
