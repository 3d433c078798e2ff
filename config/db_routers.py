"""Reads of reports and exports from a PostgreSQL read replica (docs/performance.md,
"How Cadence scales past one machine").

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` database, this router and
``ReplicaReadsMiddleware``. During a request whose path starts with one of
``CADENCE_REPLICA_READ_PATHS`` (the clinic dashboard and its report, the CSV and FHIR
exports under /fhir/r4/), and only GET and HEAD requests, reads of clinical records go to the replica. Everything else stays on the
primary:
- every write, and every read outside those requests (a replica may lag the primary by
  a moment, so a page that reads what it has just written must read the primary);
- sessions, users, tokens, login limits, MFA devices, the audit trail (its chain head is
  locked with ``SELECT ... FOR UPDATE``) and the task queue, whatever the request: these
  are read to decide who the user is or are written in the same request.

Hand-written SQL reads through ``connections[router.db_for_read(Model)]`` to follow the
same rule (the clinic report does). A streaming answer's body is produced after the
middleware has returned, so its rows come from the primary. The Bulk Data $export runs in
the task worker, outside any request: its reads stay on the primary until its task wraps
them in ``replica_reads()``. Without ``DATABASE_REPLICA_URL`` nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
#: Only reads: a POST (a FHIR transaction Bundle, an acknowledgement) reads what it is
#: about to change, so it reads the primary.
SAFE_METHODS = frozenset({"GET", "HEAD"})

#: The apps whose records a report or an export reads (clinical records, not identity,
#: security, audit or queue state).
REPLICA_APPS = frozenset(
    {"patients", "diary", "treatments", "scheduling", "outcomes", "candidacy", "intake"}
)

_replica_reads: ContextVar[bool] = ContextVar("cadence_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside: reads of clinical records may go to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Clinical-record reads inside ``replica_reads()`` -> the replica; all else -> the
    primary (None: Django's default)."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Streaming replication copies the schema; never migrate the replica itself.
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks the GET/HEAD requests whose paths start with ``CADENCE_REPLICA_READ_PATHS``
    as replica reads (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "CADENCE_REPLICA_READ_PATHS", ()))

    def __call__(self, request):
        if (
            self.prefixes
            and request.method in SAFE_METHODS
            and request.path.startswith(self.prefixes)
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
