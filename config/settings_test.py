"""The settings of a test run (pytest-django uses them: pyproject.toml).

The project's settings with the explicit test setting CADENCE_TESTING=1: login rate limits
that tests do not trip, tasks run inline, no MFA requirement by default. Subprocesses that
tests start inherit it unless they clear it (cadence/security/tests/helpers.py does).
"""

import os

os.environ["CADENCE_TESTING"] = "1"

from config.settings import *  # noqa: E402, F403
