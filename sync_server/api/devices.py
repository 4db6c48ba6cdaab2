from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ..errors import NotFound
from ..services.admin import AdminError
from ..services.audit import Origin
from ..services.client_address import request_address
from ..services.people import revoke_device as revoke
from .deps import ManagerDep, StoreDep
from .schemas import ERRORS

router = APIRouter(prefix="/devices", tags=["devices"])


@router.delete("/{device_id}", status_code=204, responses=ERRORS(401, 403, 404))
def revoke_device(device_id: str, caller: ManagerDep, store: StoreDep, request: Request) -> Response:
    """Revoke a lost tablet of the manager's site: its token stops working at once (written to
    the site's audit log, from the caller's address)."""
    try:
        revoke(store, Origin.api(caller.user.username, request_address(request)), device_id, site_id=caller.site.id)
    except AdminError:
        raise NotFound("unknown_device", "No such device at your site; check the id in the device list.",
                       zh="本案场没有这台平板：请在设备列表中核对编号。") from None
    return Response(status_code=204)
