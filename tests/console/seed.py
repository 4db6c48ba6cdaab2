"""A realistic day at the sales office, pushed over HTTP the way the tablets push it.

``seed_day(server)`` enrols the front-desk tablet and two reps' tablets, pushes walk-ins,
calls, a visit report with a signature, a follow-up, a complaint, and one customer (张伟)
registered by two reps: the dispute the browser tests decide.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import count

import requests

from tests.builders import wire
from tests.live_server import enroll

CST = timezone(timedelta(hours=8))


def now_cst() -> datetime:
    return datetime.now(CST)


def within_today(minutes_ago: float, span: float) -> timedelta:
    """``minutes_ago`` as a ``timedelta`` squeezed so that a module's events up to ``span``
    minutes back all stay on today's site day (UTC+8): just after midnight in Beijing (16:00
    UTC, when CI may run) they would fall on yesterday and miss today's board."""
    local = now_cst()
    since_midnight = local.hour * 60 + local.minute + local.second / 60
    return timedelta(minutes=minutes_ago * min(1.0, since_midnight * 0.9 / span))


def signature_png(width: int = 160, height: int = 48) -> str:
    """A small black-on-white scribble PNG, base64: what the tablet's signature pad sends."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter byte
        for x in range(width):
            on = abs(y - (height // 2 + int(12 * ((x % 40) - 20) / 20) * (1 if (x // 40) % 2 else -1))) <= 1
            row += bytes([0 if on else 255])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


@dataclass
class Tablet:
    server: object
    username: str
    name: str
    device_id: str = ""
    token: str = ""
    boot: str = ""
    boot_started: datetime = field(default_factory=lambda: now_cst() - timedelta(hours=6))
    seq: count = field(default_factory=lambda: count(1))

    def __post_init__(self) -> None:
        self.device_id, self.token = enroll(self.server.base_url, self.username, self.name)
        self.boot = f"boot-{self.device_id[:8]}"

    def record(self, type_: str, ago: timedelta, **kwargs) -> dict:
        at = now_cst() - ago
        return wire(type_, at=at, seq=next(self.seq), boot=self.boot,
                    elapsed_ms=int((at - self.boot_started) / timedelta(milliseconds=1)), **kwargs)

    def push(self, records: list[dict]) -> dict:
        now = now_cst()
        body = {"device_id": self.device_id, "sent_at": now.isoformat(timespec="milliseconds"),
                "clock": {"boot_id": self.boot, "elapsed_ms": int((now - self.boot_started) / timedelta(milliseconds=1))},
                "records": records}
        response = requests.post(self.server.url("/sync/push"), json=body,
                                 headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
        response.raise_for_status()
        result = response.json()
        bad = [r for r in result["results"] if r["status"] == "rejected"]
        assert not bad, bad
        return result


@dataclass
class SeededDay:
    desk: Tablet
    wang: Tablet
    zhang: Tablet
    walkin_ids: list[str]
    call_ids: list[str]


def seed_day(server) -> SeededDay:
    """Push the day; times are minutes before now (squeezed into today just after midnight in
    Beijing: ``within_today``), so "today" on the console shows them all."""
    desk = Tablet(server, "desk.li", "前台平板")
    wang = Tablet(server, "wang.li", "王丽的平板")
    zhang = Tablet(server, "zhang.qiang", "张强的平板")
    m = lambda n: within_today(n, 50)  # noqa: E731
    walkins = [
        desk.record("walkin", m(50), rep="wang.li", name="张伟", data={"source": "newspaper", "party_size": 2}),
        desk.record("walkin", m(45), rep="chen.jie", name="李娜", data={"source": "friend", "intent": "A"}),
        desk.record("walkin", m(40), rep="zhang.qiang", name="刘洋", phone="136 2222 3333",
                    data={"source": "online", "visit": "return"}),
        desk.record("walkin", m(35), rep="chen.jie", name="赵六", phone="135 1111 2222", data={"source": "outdoor"}),
    ]
    calls = [desk.record("call", m(30), rep=None, name="王芳", data={"source": "online", "topic": "户型和价格"})]
    desk.push(walkins + calls)
    wang.push([
        wang.record("follow_up", m(25), rep="wang.li", name="张伟",
                    data={"method": "phone", "content": "介绍新开楼栋", "feedback": "周末带家人再来"}),
        wang.record("visit_report", m(22), rep="wang.li", name="张伟", data={
            "organisation": "华夏建材", "address": "滨江路 88 号", "visited_on": now_cst().date().isoformat(),
            "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"}, "suggestions": "希望增加看房车",
            "signature": {"png_base64": signature_png(), "signed_on": now_cst().date().isoformat(), "signer": "张伟"}}),
        wang.record("complaint", m(21), rep="wang.li", name="李娜",
                    data={"status": "open", "content": "售楼处空调太冷", "handler": "王丽"}),
    ])
    # seq 4 of 王丽's tablet never arrives (still in its outbox): the devices page shows the gap
    next(wang.seq)
    wang.push([wang.record("follow_up", m(15), rep="wang.li", name="李娜", data={"method": "visit", "content": "送样板间资料"})])
    # 张强 registers 张伟 again on his own tablet, offline, later: a dispute for the manager
    zhang_walkin = zhang.record("walkin", m(20), rep="zhang.qiang", name="张伟", data={"source": "walk_in"})
    zhang.push([zhang_walkin])
    return SeededDay(desk=desk, wang=wang, zhang=zhang,
                     walkin_ids=[w["id"] for w in walkins] + [zhang_walkin["id"]], call_ids=[c["id"] for c in calls])
