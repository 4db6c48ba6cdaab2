"""Tablets: user, last sync, contiguous seq and gaps, clock offset; revoke through
``services/people.py`` (written to the audit log)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.admin import AdminError
from ...services.people import revoke_device as revoke
from ..deps import ManagerDep
from ..formatting import local

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
    """Revoke a tablet, then 303 to the list (a reload revokes nothing again). 404 (the
    console's page) for a tablet not of the site; one revoked already says when, and changes nothing."""
    page = manager.page
    await page.check_csrf()
    store = page.state.store
    before = store.get_device(device_id)
    if before is None or before.site_id != manager.site.id:  # another site's tablet answers as unknown
        return page.render("error.html", status_code=404, manager=manager, message=page.t("people.err.unknown_device"))
    if before.revoked_at:
        return page.redirect("/console/devices", flash=page.t("devices.already_revoked", name=before.name,
                                                              time=local(before.revoked_at, manager.site.utc_offset_minutes)),
                             flash_kind="error")
    try:  # the act goes to the audit log
        device = revoke(store, manager.origin, device_id, site_id=manager.site.id)
    except AdminError:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("people.err.unknown_device"))
    # redirect-after-post: reloading the list does not revoke again
    return page.redirect("/console/devices", flash=page.t("devices.revoked_ok", name=device.name))
