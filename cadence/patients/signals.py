"""Signals about a patient that apps on the same floor pass to each other through the
patients app (which owns the Patient): scheduling sends them, intake listens (the two sit on
one floor and import neither; see docs/architecture.md).

Both are sent inside the transaction that made the change, so that whatever a receiver
writes (with its audit entry) commits or rolls back with it.

- `appointment_booked(sender=Appointment, patient_id, kind, actor, request)`: a new
  appointment (`kind` is the appointment kind's value, e.g. "consultation").
- `appointment_attended(sender=Appointment, patient_id, kind, actor, request)`: the
  patient came to it.
"""

from __future__ import annotations

from django.dispatch import Signal

appointment_booked = Signal()
appointment_attended = Signal()
