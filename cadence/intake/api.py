"""JSON API operations of the intake app (mounted under /api/v1 by config/api.py)."""

from ninja import Query, Router, Schema, Status

from cadence.accounts.api_auth import api_public, api_roles
from cadence.accounts.roles import STAFF_ROLES
from cadence.audit.services import client_ip
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
    limit: int = 100
    offset: int = 0


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
    response=list[ConsultationRequestOut],
    summary="List consultation requests",
)
@api_roles(STAFF_ROLES)
def consultation_request_list(request, filters: Query[ListFilters]):
    """Staff: consultation requests, newest first; `status` (new, contacted, booked,
    closed) narrows the list; `limit` (at most 500) and `offset` page through it."""
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    requests = selectors.consultation_requests(status=filters.status or "")
    return list(requests[offset : offset + limit])
