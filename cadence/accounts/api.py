"""Who am I: the signed-in user's role and patient link, for API clients."""

from ninja import Router, Schema

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import ALL_ROLES

router = Router(tags=["Accounts"])


class MeOut(Schema):
    username: str
    role: str
    patient_id: int | None


@router.get("/me", response=MeOut, summary="The authenticated user")
@api_roles(ALL_ROLES)
def me_get(request):
    user = request.user
    return MeOut(username=user.username, role=user.role, patient_id=user.patient_id)
