"""Tablets: user, last sync, contiguous seq and gaps, clock offset; revoke through
``services/people.py`` (written to the audit log)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.admin import AdminError
from ...services.people import revoke_device as revoke
from ..deps import ManagerDep

router = APIRouter()


@router.get("/devices")
def devices(manager: ManagerDep) -> Response:
    page = manager.page
    rows = page.state.reporting.devices(manager.site.id)
    # 最大序号 counts every seq the server received, refused ones too: the contiguous run
    # includes refused seqs, the stored records do not (issue 9 QA: 连续序号 > 最大序号 was shown)
    highest = {r.device.id: max(r.highest_seq or 0, r.device.contiguous_seq or 0) for r in rows}
    return page.render("devices.html", manager=manager, devices=rows, highest=highest)


@router.post("/devices/{device_id}/revoke")
async def revoke_device(manager: ManagerDep, device_id: str) -> Response:
    page = manager.page
    await page.check_csrf()
    try:  # another site's tablet answers as unknown; the act goes to the audit log
        device = revoke(page.state.store, manager.origin, device_id, site_id=manager.site.id)
    except AdminError:
        return page.redirect("/console/devices", flash=page.t("error.not_found"), flash_kind="error")
    # redirect-after-post: reloading the list does not revoke again
    return page.redirect("/console/devices", flash=page.t("devices.revoked_ok", name=device.name))
