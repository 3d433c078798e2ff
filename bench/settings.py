"""Settings for the benchmark server: Cadence's own settings, plus the bench-only URLconf
that adds the framework floor view (`/bench/floor`). Production code is untouched."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Measure what production runs: no per-query bookkeeping, no debug pages.
DEBUG = False
