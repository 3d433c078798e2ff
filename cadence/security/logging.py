"""A logging filter that keeps patient data out of logs.

Log lines may carry exception messages (a database error quoting a row), request paths
with query strings (a search for a name) and free text. The filter renders each record's
message once, scrubs e-mail addresses, phone numbers, dates, query strings and quoted
values of database errors, and drops request bodies. It never raises.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),
    # database error details: Key (email)=(someone@x) / DETAIL: ... values
    (re.compile(r"(Key \([^)]*\)=\()[^)]*(\))"), r"\1" + REDACTED + r"\2"),
    (re.compile(r"(DETAIL:).*"), r"\1 " + REDACTED),
    # query strings of URLs and request lines
    (re.compile(r"(/[\w/.\-{}$]*)\?[^\s\"']*"), r"\1?" + REDACTED),
    # phone numbers: 7+ digits with optional separators and a leading +
    (re.compile(r"(?<![\w.])\+?\d[\d ()\-.]{6,}\d(?![\w.])"), REDACTED),
    # dates (dates of birth, diary days)
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), REDACTED),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubPatientData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the line
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            formatter = logging.Formatter()
            record.exc_text = scrub(formatter.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        # Django attaches the request to django.request records; its body may hold PHI.
        if hasattr(record, "request"):
            record.request = None
        return True
