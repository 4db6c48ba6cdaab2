"""Devices a manager manages."""

from __future__ import annotations

from shared.timeutil import format_time, utc_now

from ..storage.base import Store
from .auth import Actor

__all__ = ["revoke"]


def revoke(store: Store, actor: Actor, device_id: str) -> bool:
    """Revoke a device of the actor's site; False if the site has no such device (another
    site's devices are invisible, so they answer the same as unknown ones)."""
    device = store.get_device(device_id)
    if device is None or device.site_id != actor.site.id:
        return False
    store.revoke_device(device_id, format_time(utc_now()))
    return True
