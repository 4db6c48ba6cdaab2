from __future__ import annotations

from fastapi import APIRouter, Response

from ..errors import NotFound
from ..services.devices import revoke
from .deps import ManagerDep, StoreDep
from .schemas import ERRORS

router = APIRouter(prefix="/devices", tags=["devices"])


@router.delete("/{device_id}", status_code=204, responses=ERRORS(401, 403, 404))
def revoke_device(device_id: str, caller: ManagerDep, store: StoreDep) -> Response:
    """Revoke a lost tablet of the manager's site: its token stops working at once."""
    if not revoke(store, caller, device_id):
        raise NotFound("unknown_device", "No such device at your site; check the id in the device list.")
    return Response(status_code=204)
