"""A year of one busy sales office, built fast for ``bench/console.py`` (issue 11).

    python bench/console_data.py URL RECORDS   # build into an empty database (normally bench/console.py does)

What is in it (all seeded, so a rebuild gives the same rows): 12 reps, 4 reception desks and
one tablet per rep; walk-ins (first and return visits, households, 义务接待/指定接待), calls, deals
at every stage, follow-ups, site visit reports, complaints with later status steps,
corrections and withdrawals, spread over the 365 days before the build, weekends busier and one
promotion day (``BUSY_DAY_AGO``) with thousands of registrations. About one record in four names
a new customer; return visits come to other desks, so a customer is registered on several
tablets. Most registrations older than three days are confirmed.

How: every record is a wire object validated by the push's own ``parse_record`` and stored as
``services.push`` stores it (same ``StoredRecord`` fields, digest, links, ``ensure_customers``),
through the store's own write methods in transactions of ``CHUNK`` records; the push's
clock reconciliation is skipped (each record's estimate is its capture time, ``same_boot``).
Then ownership is decided for every customer by the server's own ``services.ownership.recompute``
as of the build time, so customers, conflicts and explanations are the ones the push would have
left, and a few conflicts are decided through ``services.conflicts.decide``.
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.records import parse_record  # noqa: E402
from shared.timeutil import format_time  # noqa: E402
from sync_server.errors import Unprocessable  # noqa: E402
from sync_server.services import conflicts as conflict_service  # noqa: E402
from sync_server.services.auth import Caller, hash_password  # noqa: E402
from sync_server.services.ownership import recompute  # noqa: E402
from sync_server.storage import open_store  # noqa: E402
from sync_server.storage.base import ConfirmationRow, Device, Site, StoredRecord, User  # noqa: E402

__all__ = ["build", "PASSWORD", "MANAGER", "BUSY_DAY_AGO"]

CST = timezone(timedelta(hours=8))
PASSWORD = "bench-pass-1"
MANAGER = "zhao.min"
BUSY_DAY_AGO = 3
"""The promotion day, this many days before the build (the confirm page's busy day)."""
CHUNK = 5000
REPS = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰", "liu.yang": "刘洋", "zhao.lei": "赵磊",
        "sun.na": "孙娜", "zhou.min": "周敏", "wu.hao": "吴昊", "zheng.shuang": "郑爽", "feng.tao": "冯涛",
        "he.jing": "何静", "lin.feng": "林峰"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞鑫宇浩博文斌宁欣怡佳琪婷雪梅晨阳凯"
SOURCES = ("walk_in", "passing_by", "friend", "newspaper", "outdoor", "online", "tv_radio", "event", "old_customer")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


class _Gen:
    """Wire records in capture order, each with the tablet that sends it."""

    def __init__(self, total: int, end: datetime, seed: int = 11) -> None:
        self.rng, self.total, self.end = random.Random(seed), total, end
        self.phones: list[str] = []  # every customer's phone, in order of first registration
        self.owner: dict[str, str] = {}  # phone -> the rep who first registered it
        self.names: dict[str, str] = {}
        self.walkins: list[dict] = []  # recent walk-ins a correction or withdrawal may name
        self.complaints: list[tuple[str, dict]] = []  # open complaint id, its customer

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def times(self) -> list[datetime]:
        """``total`` capture instants over the 365 days before ``end`` (office hours, weekends
        busier, the promotion day ``BUSY_DAY_AGO`` with ~0.5 % of the year at least 3,000)."""
        rng, days = self.rng, []
        local_end = self.end.astimezone(CST).date()
        for ago in range(1, 366):
            day = local_end - timedelta(days=ago)
            days.append((day, 1.6 if day.weekday() >= 5 else 1.0))
        weight = sum(w for _, w in days)
        busy = max(3000, self.total // 200)
        out: list[datetime] = []
        for day, w in days:
            n = round((self.total - busy) * w / weight) + (busy if day == local_end - timedelta(days=BUSY_DAY_AGO) else 0)
            for _ in range(n):
                at = datetime(day.year, day.month, day.day, 9, tzinfo=CST) + timedelta(seconds=rng.randrange(11 * 3600))
                out.append(at)
        out.sort()
        return out[: self.total]

    def phone(self, new: bool) -> str:
        rng = self.rng
        if new or not self.phones:
            phone = f"{rng.choice(('13', '15', '18'))}{rng.choice('0125689')}{rng.randrange(10**8):08d}"
            self.phones.append(phone)
            self.names[phone] = _name(rng)
            return phone
        recent = self.phones[-20_000:] if rng.random() < 0.8 else self.phones  # most come back within weeks
        return rng.choice(recent)

    def record(self, at: datetime) -> tuple[str, dict]:
        """``(tablet, wire)``: tablet ``desk-N`` or a rep's username."""
        rng, roll = self.rng, self.rng.random()
        reps = list(REPS)
        base = {"id": self.uuid(), "captured_at": at.isoformat(timespec="milliseconds")}
        if roll < 0.36:  # walk-in at a desk
            new = rng.random() < 0.55
            phone = self.phone(new)
            rep = self.owner.get(phone) if not new and rng.random() < 0.97 else None
            rep = rep or rng.choice(reps)
            self.owner.setdefault(phone, rep)
            data: dict = {"visit": "first" if new else "return", "party_size": rng.choice((1, 1, 2, 2, 2, 3, 4)),
                          "source": rng.choice(SOURCES), "intent": rng.choice("ABCD")}
            if rng.random() < 0.3:
                data["notes"] = rng.choice(("看三居室", "关注学区", "预算三百万左右", "第二次带父母来"))
            if rng.random() < 0.04 and len(self.phones) > 10:
                data["household_phone"] = rng.choice(self.phones[-5000:])
            if rng.random() < 0.03:
                data[rng.choice(("designated", "duty"))] = True
            wire = {**base, "type": "walkin", "rep": rep, "customer": {"name": self.names[phone], "phone": phone},
                    "data": data}
            self.walkins = [*self.walkins[-200:], wire]
            return f"desk-{rng.randrange(4)}", wire
        if roll < 0.56:  # a call at a desk
            phone = self.phone(rng.random() < 0.5)
            wire = {**base, "type": "call", "customer": {"name": self.names[phone], "phone": phone},
                    "data": {"source": rng.choice(SOURCES), "intent": rng.choice("ABCD"), "topic": "价格和户型"}}
            if phone in self.owner:
                wire["rep"] = self.owner[phone]
            return f"desk-{rng.randrange(4)}", wire
        phone = self.phone(False)
        rep = self.owner.setdefault(phone, rng.choice(reps))
        customer = {"name": self.names[phone], "phone": phone}
        if roll < 0.80:
            return rep, {**base, "type": "follow_up", "rep": rep, "customer": customer, "data": {
                "method": rng.choice(("phone", "phone", "visit", "message")), "content": "回访，了解购房进度",
                "feedback": rng.choice(("考虑中", "下周再来", "")), "grade": rng.choice("ABCD")}}
        if roll < 0.87:
            return rep, {**base, "type": "deal", "rep": rep, "customer": customer, "data": {
                "stage": rng.choice(("small_deposit", "large_deposit", "contract")), "unit": f"{rng.randrange(1, 30)}-"
                f"{rng.randrange(1, 33)}0{rng.randrange(1, 5)}", "amount": rng.randrange(150, 600) * 10_000}}
        if roll < 0.92:
            return rep, {**base, "type": "visit_report", "rep": rep, "customer": customer, "data": {
                "organisation": rng.choice(("市第一中学", "华润置地", "人民医院", "税务局")), "visited_on": at.date().isoformat(),
                "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"}, "suggestions": "希望增加看房车"}}
        if roll < 0.95 or not self.complaints:  # a complaint opened at a desk
            wire = {**base, "type": "complaint", "customer": customer,
                    "data": {"status": "open", "content": "样板间开放时间不准确", "severity": rng.choice(("general", "major")),
                             "handler": rng.choice(reps)}}
            self.complaints = [*self.complaints[-300:], (wire["id"], customer)]
            return f"desk-{rng.randrange(4)}", wire
        if roll < 0.975:  # a later step of a complaint
            opened, customer = self.complaints.pop(rng.randrange(len(self.complaints)))
            return f"desk-{rng.randrange(4)}", {**base, "type": "complaint", "customer": customer, "data": {
                "refers_to": opened, "status": rng.choice(("responded", "resolved", "closed"))}}
        old = rng.choice(self.walkins)  # a correction or a withdrawal of a recent walk-in
        if roll < 0.995:
            return f"desk-{rng.randrange(4)}", {**old, **base, "supersedes": old["id"],
                                                "rep": rng.choice(reps), "customer": dict(old["customer"])}
        return f"desk-{rng.randrange(4)}", {**base, "type": "withdrawal", "supersedes": old["id"],
                                            "customer": dict(old["customer"]), "data": {"reason": "重复登记"}}


def _stored(wire: dict, device: Device, seq: int, change_id: int, received: str) -> StoredRecord:
    """The row ``services.push._store_records`` writes for ``wire`` (estimate: its capture time)."""
    record = parse_record({**wire, "seq": seq}, "CN", datetime.fromisoformat(wire["captured_at"]) + timedelta(minutes=5))
    return StoredRecord(
        id=record.id, site_id=device.site_id, device_id=device.id, author=device.username, seq=record.seq,
        type=record.type, rep=record.rep, phone_key=record.customer.phone_key, household_key=record.household_key,
        supersedes=record.supersedes, captured_at=format_time(record.captured_at),
        estimated_at=format_time(record.captured_at.astimezone(UTC)), uncertainty_ms=200, clock_method="same_boot",
        received_at=received, digest=record.digest, wire=dict(record.wire), name=record.customer.name,
        change_id=change_id)


def build(url: str, total: int, log=print) -> dict:
    """Fill the empty database at ``url`` with ``total`` records; return what the benchmark
    needs to know about it (site, busy day, a customer, a query, the build time)."""
    started = time.monotonic()
    end = datetime.now(UTC).replace(microsecond=0)
    store = open_store(url)
    site = Site("s1", "星河湾销售中心")
    store.add_site(site)
    site = store.get_site(site.id) or site
    hashed = hash_password(PASSWORD)
    store.add_user(User(MANAGER, site.id, "赵敏", "manager", hashed))
    store.add_user(User("desk.li", site.id, "李静", "reception", hashed))
    for username, name in REPS.items():
        store.add_user(User(username, site.id, name, "rep", hashed))
    enrolled = format_time(end - timedelta(days=400))
    devices: dict[str, Device] = {}
    for n in range(4):
        devices[f"desk-{n}"] = Device(f"desk-{n}", site.id, "desk.li", f"前台平板{n + 1}", enrolled)
    for username, name in REPS.items():
        devices[username] = Device(f"tablet-{username}", site.id, username, f"{name}的平板", enrolled)
    for key, device in devices.items():
        store.add_device(device, f"token-hash-{key}")
    gen = _Gen(total, end)
    seqs = dict.fromkeys(devices, 0)
    keys: set[str] = set()
    stored_ids: list[tuple[str, str, str]] = []  # (id, type, estimated_at) of registrations
    times = gen.times()
    for offset in range(0, len(times), CHUNK):
        pending = []
        for at in times[offset:offset + CHUNK]:
            tablet, wire = gen.record(at)
            seqs[tablet] += 1
            pending.append((tablet, wire, seqs[tablet]))
        with store.write(site.id):
            received = format_time(max(datetime.fromisoformat(w["captured_at"]) for _, w, _ in pending)
                                   + timedelta(minutes=3))
            ids = store.next_change_ids(len(pending))
            rows = [_stored(w, devices[t], seq, cid, received) for (t, w, seq), cid in zip(pending, ids, strict=True)]
            store.insert_records(rows)
            by_id = {r.id: r for r in rows}
            links = [(r.phone_key, r.household_key) for r in rows]
            links += [(r.phone_key, by_id[r.supersedes].phone_key) for r in rows if r.supersedes in by_id]
            store.add_links(site.id, links)
            names: dict[str, str] = {}
            for r in rows:
                names[r.phone_key] = r.name or names.get(r.phone_key, "")
            store.ensure_customers(site.id, names)
        keys.update(names)
        stored_ids += [(r.id, r.type, r.estimated_at) for r in rows if r.type in ("walkin", "call")]
        if offset // CHUNK % 20 == 0:
            log(f"  records {offset + len(pending):,}/{total:,} ({time.monotonic() - started:.0f} s)")
    with store.write(site.id):
        for device in devices.values():
            store.advance_contiguous_seq(site.id, device.id)
    ordered = sorted(keys)
    for offset in range(0, len(ordered), CHUNK):
        with store.write(site.id):
            recompute(store, site, ordered[offset:offset + CHUNK], end)
        if offset // CHUNK % 10 == 0:
            log(f"  ownership {offset + CHUNK:,}/{len(ordered):,} customers ({time.monotonic() - started:.0f} s)")
    cutoff = format_time(end - timedelta(days=3))
    rng = random.Random(7)
    confirm = [ConfirmationRow(str(uuid.UUID(int=rng.getrandbits(128), version=4)), site.id, rid, MANAGER,
                               format_time(datetime.fromisoformat(at) + timedelta(hours=20)))
               for rid, _, at in stored_ids if at < cutoff and rng.random() < 0.95]
    for offset in range(0, len(confirm), CHUNK):
        with store.write(site.id):
            store.add_confirmations(confirm[offset:offset + CHUNK])
    manager = Caller(user=store.get_user(MANAGER), site=site, device=devices["desk-0"])  # type: ignore[arg-type]
    decided = 0
    for conflict in store.list_conflicts(site.id, "open")[:40:2]:
        try:
            conflict_service.decide(store, manager, conflict.id, conflict.owner, None, "经理核实：先到先得")
            decided += 1
        except Unprocessable:
            continue
    busy = (end.astimezone(CST).date() - timedelta(days=BUSY_DAY_AGO)).isoformat()
    probe = gen.phones[len(gen.phones) // 2]
    info = {"records": total, "built_at": format_time(end), "busy_day": busy, "customers": len(keys),
            "query_name": gen.names[probe][:2], "query_phone": probe[-4:], "probe_phone": probe,
            "confirmations": len(confirm), "decided": decided, "seconds": round(time.monotonic() - started, 1)}
    store.close()
    return info


if __name__ == "__main__":
    print(json.dumps(build(sys.argv[1], int(sys.argv[2])), ensure_ascii=False, indent=1))
