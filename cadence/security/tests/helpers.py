"""Helpers for security tests that run Django in a subprocess (production mode etc.)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
PYTHON = sys.executable


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment of a subprocess that is not a test run (no CADENCE_TESTING)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CADENCE_", "PYTEST", "DJANGO_"))
    }
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    env.pop("ALLOWED_HOSTS", None)
    env.pop("DEBUG", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def production_env(tmp_path: Path | None = None, **overrides: str) -> dict[str, str]:
    env = clean_env(
        CADENCE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        CADENCE_AUDIT_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="cadence.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    if tmp_path is not None:
        env["CADENCE_VAR_DIR"] = str(tmp_path)
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def settings_in_subprocess(name: str, env: dict[str, str]) -> str:
    full_env = production_env() if env.get("CADENCE_ENV") == "production" else clean_env()
    full_env.update(env)
    code = f"import django.conf as c; from config import settings as s; print(getattr(s, {name!r}))"
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
