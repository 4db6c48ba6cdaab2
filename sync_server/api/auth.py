from __future__ import annotations

from fastapi import APIRouter

from ..services.auth import enroll
from .deps import StoreDep
from .schemas import ERRORS, EnrolledUser, EnrollRequest, EnrollResponse

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/enroll", response_model=EnrollResponse, responses=ERRORS(401, 403, 422))
def enroll_device(body: EnrollRequest, store: StoreDep) -> EnrollResponse:
    """Enrol a tablet for a user; the token is shown only in this answer."""
    device, token, user = enroll(store, body.username, body.password, body.device_name)
    return EnrollResponse(device_id=device.id, token=token,
                          user=EnrolledUser(username=user.username, name=user.name, role=user.role,
                                            site_id=user.site_id))
