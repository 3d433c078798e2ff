"""Signals the diary sends to the apps above it (they connect in their `AppConfig.ready()`;
the diary imports none of them).

`urgent_side_effect_reported(sender=SideEffectReport, report_id=...)` is sent once the
transaction that stored an urgent report has committed: scheduling's on-call alerts
(`cadence.scheduling.alerts`) e-mail and text the clinic's on-call people from it.
"""

from __future__ import annotations

from django.dispatch import Signal

urgent_side_effect_reported = Signal()
