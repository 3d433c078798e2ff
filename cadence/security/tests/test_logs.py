"""Issue 21, finding 6: no patient data in logs.

- the documented gunicorn command (docs/deploy.md) runs with config/gunicorn.py, whose
  access log names the path without its query string or referer: a FHIR search by family
  name and birth date is logged as its path only;
- production refuses the e-mail backends that write e-mails into the log (or a file).
"""

from __future__ import annotations

import datetime as dt
import logging
import runpy
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from cadence.security.tests.helpers import BASE_DIR, manage, production_env

SEARCH = "family=Lindqvist&birthdate=1979-03-02"


def gunicorn_access_line(environ: dict) -> str:
    cfg = Config()
    for name, value in runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = Logger(cfg)
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger.access_log.addHandler(Capture())
    response = SimpleNamespace(status="200 OK", sent=123, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ.get("HTTP_REFERER", ""))])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    return "\n".join(lines)


def test_the_documented_gunicorn_command_uses_the_config_file():
    deploy = (BASE_DIR / "docs" / "deploy.md").read_text()
    assert "gunicorn -c config/gunicorn.py config.wsgi:application" in deploy
    assert "--access-logfile" not in deploy  # no second, unconfigured way


def test_the_access_log_has_the_path_without_the_query_string():
    line = gunicorn_access_line(
        {
            "REMOTE_ADDR": "10.0.0.7",
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/fhir/r4/Patient?{SEARCH}",
            "PATH_INFO": "/fhir/r4/Patient",
            "QUERY_STRING": SEARCH,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://cadence.example.org/patients/?q=Lindqvist&{SEARCH}",
        }
    )
    assert '"GET /fhir/r4/Patient HTTP/1.1" 200' in line
    assert "Lindqvist" not in line and "1979" not in line and "?" not in line


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_production_refuses_an_e_mail_backend_that_writes_to_the_log(tmp_path, backend):
    env = production_env(
        tmp_path, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    )
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "needs a real EMAIL_BACKEND" in result.stderr


def test_production_refuses_the_default_console_backend(tmp_path):
    env = production_env(tmp_path)
    env.pop("EMAIL_BACKEND")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "needs a real EMAIL_BACKEND" in result.stderr
