"""Builders of stored rows for the contract suite: a seeded site and records with defaults."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from sync_server.storage.base import Device, Site, Store, StoredRecord, User

__all__ = ["seed", "make_record", "walkin_wires"]


def seed(store: Store) -> None:
    """Site ``s1`` with a manager, a reception user, two reps and the desk's device ``d1``."""
    store.add_site(Site("s1", "星河湾销售中心"))
    for username, role, name in (("zhao.min", "manager", "赵敏"), ("desk.li", "reception", "李静"),
                                 ("wang.li", "rep", "王丽"), ("chen.jie", "rep", "陈杰")):
        store.add_user(User(username, "s1", name, role, f"hash-{username}"))
    store.add_device(Device("d1", "s1", "desk.li", "front desk", "2026-11-20T00:00:00.000Z"), "token-1")


def make_record(*, seq: int, change_id: int = 0, site_id: str = "s1", device_id: str = "d1", author: str = "desk.li",
                type: str = "walkin", rep: str | None = "wang.li", phone_key: str = "k1", household_key: str | None = None,
                supersedes: str | None = None, estimated_at: str = "2026-11-20T10:00:00.000+08:00",
                name: str = "张伟", wire: dict | None = None, id: str | None = None,
                data: dict | None = None) -> StoredRecord:
    """A stored record (``id`` random unless given); ``wire`` defaults to a walk-in's shape."""
    rid = id or str(uuid.uuid4())
    wire = wire if wire is not None else {
        "id": rid, "seq": seq, "type": type, "captured_at": estimated_at, "rep": rep,
        "clock": {"boot_id": "boot-1", "elapsed_ms": 1000 + seq},
        "customer": {"name": name, "phone": "138 0013 8000"},
        "data": data if data is not None else {"party_size": 2, "source": "walk_in", "visit": "first"}}
    return StoredRecord(
        id=rid, site_id=site_id, device_id=device_id, author=author, seq=seq, type=type, rep=rep,
        phone_key=phone_key, household_key=household_key, supersedes=supersedes, captured_at=estimated_at,
        estimated_at=estimated_at, uncertainty_ms=2000, clock_method="same_boot",
        received_at="2026-11-20T02:05:00.000Z", digest=hashlib.sha256(rid.encode()).hexdigest(), wire=wire,
        name=name, change_id=change_id)


def walkin_wires(now: datetime, phones: list[tuple[str, str | None]]) -> list[dict]:
    """Walk-ins as a tablet pushes them, one per ``(phone, household phone or None)``, seqs
    from 1, captured a minute apart up to ``now``, received by 王丽 except seq 2 (陈杰: a
    dispute); ids derived from the seq (replayable)."""
    wires = []
    for seq, (phone, household) in enumerate(phones, start=1):
        wire = {"id": str(uuid.UUID(int=seq)), "seq": seq, "type": "walkin",
                "captured_at": (now - timedelta(minutes=10 - seq)).isoformat(timespec="milliseconds"),
                "clock": {"boot_id": "boot-1", "elapsed_ms": 1000 + seq},
                "rep": "wang.li" if seq != 2 else "chen.jie",
                "customer": {"name": "张伟", "phone": phone},
                "data": {"party_size": 2, "source": "walk_in", "visit": "first"}}
        if household:
            wire["data"]["household_phone"] = household
        wires.append(wire)
    return wires
