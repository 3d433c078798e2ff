"""Issue 21, finding 8: one function neutralises every CSV cell, and every CSV export
uses it (the lot recall, the outcomes table, the diary, the audit log)."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.security.csvcells import csv_cell, csv_row

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.invalid","lot")', '\'=HYPERLINK("http://x.invalid","lot")'),
        ("+1 202 555 0143", "'+1 202 555 0143"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("C7002A", "C7002A"),
        ("", ""),
        (None, ""),
        (-3, -3),
        (Decimal("-2.5"), Decimal("-2.5")),
        (date(2026, 1, 2), date(2026, 1, 2)),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert csv_cell(value) == written


def test_a_row_is_neutralised_cell_by_cell():
    assert csv_row(["=1", 2, None]) == ["'=1", 2, ""]


def _modules_writing_csv() -> list[Path]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("writer", "DictWriter")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "csv"
            ):
                found.append(path)
                break
    return found


def test_every_module_that_writes_csv_uses_the_one_neutraliser():
    writers = _modules_writing_csv()
    assert len(writers) >= 4  # lot recall, outcomes/diary (interop), diary, audit log
    missing = [
        str(path.relative_to(PACKAGE))
        for path in writers
        if "cadence.security.csvcells" not in path.read_text()
    ]
    assert missing == []


@pytest.mark.django_db
def test_the_audit_export_neutralises_a_formula(client, admin_user):
    audit_record(actor=admin_user, action=AuditAction.VIEW, summary="=HYPERLINK(1)")
    client.force_login(admin_user)
    response = client.get("/audit/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body
