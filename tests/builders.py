"""Builders of wire records and timed records for tests: short to write, realistic in shape."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from itertools import count

from shared.clocks import CaptureEstimate
from shared.ownership import TimedRecord
from shared.records import parse_record

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=CST)
_seq = count(1)

PHONES = {
    "张伟": "138 0013 8000",
    "李娜": "139 1234 5678",
    "王芳": "137 0000 1111",
    "刘洋": "136 2222 3333",
}


def new_id() -> str:
    return str(uuid.uuid4())


def wire(type_: str = "walkin", *, rep: str | None = "wang.li", name: str = "张伟", phone: str | None = None,
         at: datetime = T0, data: dict | None = None, id: str | None = None, seq: int | None = None,
         boot: str = "boot-1", elapsed_ms: int = 1_000_000, supersedes: str | None = None) -> dict:
    """A wire record as a tablet would push it."""
    defaults = {
        "walkin": {"party_size": 2, "source": "walk_in", "visit": "first", "intent": "B", "notes": ""},
        "call": {"source": "online", "topic": "价格"},
        "follow_up": {"method": "phone", "content": "介绍新开楼栋"},
        "deal": {"stage": "small_deposit", "unit": "3-1201"},
        "visit_report": {"organisation": "华夏建材", "visited_on": "2026-11-20",
                         "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"}},
        "complaint": {"status": "open", "content": "售楼处空调太冷", "severity": "general"},
        "referral": {"referrer": "李会计", "channel": "staff", "appointment_date": "2026-11-20"},
        "withdrawal": {"reason": "registered twice by mistake"},
        "rotation": {"day": at.date().isoformat(), "event": "receive", "visit": "new", "turn": 1, "reason": "turn"},
    }[type_]
    record = {
        "id": id or new_id(), "seq": seq or next(_seq), "type": type_,
        "captured_at": at.isoformat(timespec="milliseconds"),
        "clock": {"boot_id": boot, "elapsed_ms": elapsed_ms},
        "rep": rep, "customer": {"name": name, "phone": phone or PHONES.get(name, "138 0013 8000")},
        "data": {**defaults, **(data or {})},
    }
    if type_ == "rotation":  # 排班: no customer
        del record["customer"]
    if supersedes:
        record["supersedes"] = supersedes
    return record


def timed(type_: str = "walkin", *, at: datetime = T0, uncertainty_ms: int = 2_000, method: str = "same_boot",
          device: str = "desk-1", **kwargs) -> TimedRecord:
    """A record as the engine sees it: parsed, with its estimated capture time ``at``."""
    # the engine's tests place records at any time: bound them by their own time, not today's
    record = parse_record(wire(type_, at=at, **kwargs), now=max(at, datetime.now(UTC)))
    return TimedRecord(record=record, estimate=CaptureEstimate(at=at, uncertainty_ms=uncertainty_ms, method=method),
                       device_id=device, device_name=device)
