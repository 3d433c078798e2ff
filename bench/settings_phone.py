"""Settings for the Lighthouse run (`bench.phone`): the bench settings, with static files
served the way production serves them (settings.PRODUCTION): collected into a folder of
their own with content-hashed names, pre-compressed (gzip and Brotli) and cached for a
year by WhiteNoise. Production's HTTPS-only settings stay off: the run is plain HTTP on
the loopback address."""

import os
from pathlib import Path

from bench.settings import *  # noqa: F403
from bench.settings import STORAGES, VAR_DIR

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", VAR_DIR / "bench" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve only the collected (hashed, compressed) files, as in production.
WHITENOISE_USE_FINDERS = False
