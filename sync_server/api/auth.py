from __future__ import annotations

from fastapi import APIRouter, Request

from ..services.auth import enroll
from ..services.client_address import request_address
from .deps import StoreDep
from .schemas import ERRORS, EnrolledUser, EnrollRequest, EnrollResponse

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/enroll", response_model=EnrollResponse, responses=ERRORS(401, 403, 422, 429))
def enroll_device(body: EnrollRequest, store: StoreDep, request: Request) -> EnrollResponse:
    """Enrol a tablet for a user; the token is shown only in this answer. After 5 wrong
    passwords in 10 minutes for a user or from an address, 429 until they age out."""
    device, token, user = enroll(store, body.username, body.password, body.device_name,
                                 throttle=request.app.state.sign_in_throttle,
                                 address=request_address(request))
    return EnrollResponse(device_id=device.id, token=token,
                          user=EnrolledUser(username=user.username, name=user.name, role=user.role,
                                            site_id=user.site_id))
