"""HTTP routes: thin; each validates, calls one service function and maps errors to HTTP."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..services.auth import enroll
from ..services.client_address import request_address
from .body import read_json
from .deps import SettingsDep, StoreDep
from .openapi import body_ref
from .request_errors import validation_error
from .schemas import ERRORS, EnrolledUser, EnrollRequest, EnrollResponse

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/enroll", response_model=EnrollResponse, responses=ERRORS(401, 403, 413, 422, 429),
             openapi_extra=body_ref(EnrollRequest))
async def enroll_device(request: Request, store: StoreDep, settings: SettingsDep) -> EnrollResponse:
    """Enrol a tablet for a user; the token is shown only in this answer. After 5 wrong
    passwords in 10 minutes for a user or from an address, 429 until they age out. The body
    is read as strict JSON (``shared.boundary``), like a push. After a manager reset the
    password: 403 ``password_change_required`` until ``new_password`` comes along."""
    try:
        body = EnrollRequest.model_validate(await read_json(request, settings.max_body_bytes))
    except ValidationError as exc:
        raise validation_error(exc) from None
    device, token, user = await run_in_threadpool(
        enroll, store, body.username, body.password, body.device_name,
        throttle=request.app.state.sign_in_throttle, address=request_address(request),
        new_password=body.new_password)
    site = await run_in_threadpool(store.get_site, user.site_id)
    return EnrollResponse(device_id=device.id, token=token,
                          user=EnrolledUser(username=user.username, name=user.name, role=user.role,
                                            site_id=user.site_id),
                          replica_key=site.replica_key if site else None)
