"""JSON API operations of the intake app (mounted under /api/v1 by config/api.py)."""

from django.conf import settings
from ninja import Field, Query, Router, Schema, Status

from cadence.accounts.api_auth import api_public, api_roles
from cadence.accounts.roles import CARE_TEAM_ROLES
from cadence.accounts.validation import RefusalOut
from cadence.audit.services import audit_view, client_ip
from cadence.intake import selectors, services
from cadence.intake.models import RequestStatus
from cadence.intake.schemas import (
    ConsultationRequestCreatedOut,
    ConsultationRequestIn,
    ConsultationRequestOut,
)

router = Router(tags=["Intake"])


class ListFilters(Schema):
    status: RequestStatus | None = None
    # Bounded in the schema (422 naming the parameter): an offset beyond 64 bits used to
    # reach the database and answer 500.
    limit: int = Field(100, ge=1, le=settings.CADENCE_MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=settings.CADENCE_MAX_OFFSET)


@router.post(
    "/consultation-requests",
    auth=None,
    response={201: ConsultationRequestCreatedOut, 422: dict, 429: dict},
    summary="Ask for a consultation",
)
@api_public
def consultation_request_create(request, payload: ConsultationRequestIn):
    """Anyone may ask for a consultation. `consent_to_contact` must be true; the phone is
    read with US as the default region and stored in E.164; `date_of_birth` (optional) must
    be in the past. Answers 201 `{"id", "status": "new"}` and emails an acknowledgement.
    At most 5 requests an hour from one address (429 after that)."""
    receipt = services.consultation_request_submit(
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        phone=payload.phone,
        date_of_birth=payload.date_of_birth,
        preferred_contact=payload.preferred_contact,
        message=payload.message,
        consent_to_contact=payload.consent_to_contact,
        honeypot=payload.website,
        address=client_ip(request),
        request=request,
    )
    return Status(201, {"id": receipt.id, "status": receipt.status})


@router.get(
    "/consultation-requests",
    response={200: list[ConsultationRequestOut], 422: RefusalOut},
    summary="List consultation requests",
)
@api_roles(CARE_TEAM_ROLES)
def consultation_request_list(request, filters: Query[ListFilters]):
    """Staff: consultation requests, newest first; `status` (new, contacted, booked,
    closed) narrows the list; `limit` (at most 500) and `offset` page through it."""
    requests = selectors.consultation_requests(status=filters.status or "")
    rows = list(requests[filters.offset : filters.offset + filters.limit])
    if rows:
        audit_view(request, summary=f"Listed {len(rows)} consultation requests (API)")
    return Status(200, rows)
