"""Sections that apps above outcomes add to the clinic report (the dashboard).

Outcomes sits below the apps whose results the clinic report shows beside Botox (the
surgery app: outcomes after migraine surgery), so it imports none of them. Each such app
hands a callable to ``register_report_section`` from its ``AppConfig.ready()``, the way
navigation entries are registered (``accounts.navigation``); the dashboard asks each one
for its section, in the order they were registered.

A section provider is called as ``provider(today=date)`` and returns a ``ReportSection``
(or ``None`` to show nothing). It must keep the dashboard's query budget: a bounded
number of queries, whatever the size of the clinic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ReportSection:
    key: str  # a stable name, e.g. "surgery" (data-section on the page)
    title: str
    template: str  # rendered inside the dashboard's cards with ``section`` in the context
    context: dict = field(default_factory=dict)


SectionProvider = Callable[..., ReportSection | None]

# key -> provider, filled by the apps' AppConfig.ready().
_PROVIDERS: dict[str, SectionProvider] = {}


def register_report_section(key: str, provider: SectionProvider) -> None:
    """An app's section of the clinic report (call from its ``AppConfig.ready()``).
    Registering the same key again replaces the provider."""
    _PROVIDERS[key] = provider


def registered_keys() -> list[str]:
    return list(_PROVIDERS)


def report_sections(*, today: date) -> list[ReportSection]:
    """Every registered section for the clinic report of ``today``."""
    sections = []
    for provider in _PROVIDERS.values():
        section = provider(today=today)
        if section is not None:
            sections.append(section)
    return sections


# --- the patient's own progress page ------------------------------------------------------
# The same hand-over for "My progress": a provider is called as
# ``provider(patient=..., today=date)`` and returns a ``ReportSection`` or ``None`` (nothing
# to show this patient, e.g. no operation). At most one query each.
_PROGRESS_PROVIDERS: dict[str, SectionProvider] = {}


def register_progress_section(key: str, provider: SectionProvider) -> None:
    """An app's section of the patient's "My progress" page (from ``AppConfig.ready()``)."""
    _PROGRESS_PROVIDERS[key] = provider


def progress_sections(*, patient, today: date) -> list[ReportSection]:
    """Every registered section that has something to show this patient."""
    sections = []
    for provider in _PROGRESS_PROVIDERS.values():
        section = provider(patient=patient, today=today)
        if section is not None:
            sections.append(section)
    return sections
