"""Reads of the intake app."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from cadence.intake.models import STATUS_ORDER, ConsultationRequest

PAGE_SIZE = 25


def consultation_requests(*, status: str = "") -> QuerySet[ConsultationRequest]:
    """Newest first; `status` narrows to one status."""
    requests = ConsultationRequest.objects.select_related("patient")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-id")


def inbox(*, status: str = "") -> QuerySet[ConsultationRequest]:
    """The staff inbox: new requests first, then in the order of the workflow, newest
    first within each status."""
    order = Case(
        *[When(status=value, then=Value(index)) for index, value in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )
    return (
        consultation_requests(status=status)
        .annotate(status_rank=order)
        .order_by("status_rank", "-created_at", "-id")
    )
