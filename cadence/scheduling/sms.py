"""Sending text messages: a small backend interface, like Django's email backends.

`get_sms_backend()` returns the backend named by `settings.CADENCE_SMS_BACKEND` (a dotted
path); by default the console backend (which logs the message) outside tests and the
in-memory outbox under tests. A real gateway is a class with the same `send` method.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SmsMessage:
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None:
        """Hand one message to the gateway; raise on failure."""


class ConsoleSmsBackend:
    """Writes each message to the log (development)."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


#: Messages "sent" by the in-memory backend (tests read and clear it).
outbox: list[SmsMessage] = []


class LocmemSmsBackend:
    """Keeps messages in `cadence.scheduling.sms.outbox` (tests)."""

    def send(self, *, to: str, body: str) -> None:
        outbox.append(SmsMessage(to=to, body=body))


def get_sms_backend() -> SmsBackend:
    default = (
        "cadence.scheduling.sms.LocmemSmsBackend"
        if getattr(settings, "TESTING", False)
        else "cadence.scheduling.sms.ConsoleSmsBackend"
    )
    return import_string(getattr(settings, "CADENCE_SMS_BACKEND", default))()
