"""The snapshot's lines as the server writes them since issue 13's CPU work (stored ``wire`` and
``explanation`` texts spliced in as ``orjson.Fragment``s, windows of change ids), on SQLite and
on PostgreSQL: every line is the same bytes as the change a paged pull from the empty cursor
gives, encoded (the lines the snapshot wrote before) — a wire stored by ``json`` rather than
orjson (an integer beyond 64 bits, which the line carried as orjson reads it back, a float)
included. Every caller (manager, reps, desk), both step forms (``steps=params`` and rendered
text for old tablets) and both key forms."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import orjson
import pytest

from sync_server.services.auth import Caller
from sync_server.services.pull import pull
from sync_server.services.snapshot import render_blocks
from sync_server.services.tagging import tag_pending
from sync_server.storage.base import Device, HeldRecord
from sync_server.storage.sql.engine import loads  # how the store reads its JSON texts
from tests.storage.records import make_record, seed

BIG = 2**70 + 1  # beyond orjson's integers: the wire is stored by json (and read back by orjson as a float)


def _id(n: int) -> str:
    return str(uuid.UUID(int=n))  # replayable ids


def _steps(owner_name: str, time: str, *, legacy_text: bool = False, reason: bool = False) -> list[dict]:
    first = {"rule": "R1", "key": "first_registration", "at": time,
             "params": {"rep": owner_name, "time": time, "device": "front desk"}}
    if legacy_text:  # a row written before issue 13 carries the rendered text
        first["text"] = {"zh": "R1：首次登记", "en": "R1: first registration"}
    steps = [first, {"rule": "R2", "key": "lapsed", "at": "2026-12-20T02:00:00+00:00",
                     "params": {"rep": owner_name, "until": "2026-12-20T02:00:00+00:00"}}]
    if reason:
        steps.append({"rule": "R5", "key": "decided", "at": "2026-11-21T02:00:00+00:00",
                      "params": {"owner": owner_name, "reason": "经理：客户本人确认"}})
    return steps


def _site(store) -> None:
    """Site s1: walk-ins for two reps (customers k1..k4 with stored explanations: plain, a
    legacy step with text, a manager's reason), a wire naming ``received_at`` inside its data,
    a wire stored by json (a 71-bit integer), a held record of 王丽's, a rotation record; a
    tablet for each user."""
    seed(store)
    for device, user in (("d2", "wang.li"), ("d3", "zhao.min"), ("d4", "chen.jie")):
        store.add_device(Device(device, "s1", user, f"{user} tablet", "2026-11-20T01:00:00.000Z"), f"t-{device}")
    rows = [make_record(seq=1, id=_id(1), rep="wang.li", phone_key="k1"),
            make_record(seq=2, id=_id(2), rep="chen.jie", phone_key="k2", name="李娜"),
            make_record(seq=3, id=_id(3), rep="wang.li", phone_key="k3", name="王芳",
                        data={"party_size": 1, "source": "walk_in", "visit": "first",
                              "notes": {"received_at": "a member of the same name, nested"}}),
            make_record(seq=4, id=_id(4), rep="chen.jie", phone_key="k4", name="赵雷",
                        data={"party_size": 2, "source": "walk_in", "visit": "first", "budget_fen": BIG}),
            make_record(seq=1, id=_id(5), device_id="d2", author="wang.li", rep="wang.li", phone_key="k2",
                        name="李娜"),
            make_record(seq=5, id=_id(6), type="rotation", rep="chen.jie", phone_key="", name="",
                        wire={"id": _id(6), "type": "rotation", "data": {"day": "2026-11-20", "event": "present"}})]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        store.hold_records([HeldRecord("s1", _id(5), "wang.li", "k2", "2026-11-20T02:06:00.000Z",
                                       rows[4].estimated_at)])
        made = store.ensure_customers("s1", {"k1": "张伟", "k2": "李娜", "k3": "王芳", "k4": "赵雷"})
        time = "2026-11-20T02:00:00+00:00"
        store.save_customers([
            replace(made["k1"], owner="wang.li", status="protected", protected_until="2026-12-20T02:00:00+00:00",
                    first_registered_at=time, explanation=_steps("王丽", time), change_id=store.next_change_id()),
            replace(made["k2"], owner="chen.jie", status="protected", first_registered_at=time,
                    explanation=_steps("陈杰", time, legacy_text=True), change_id=store.next_change_id()),
            replace(made["k3"], owner="wang.li", status="protected", first_registered_at=time,
                    split={"wang.li": 50, "chen.jie": 50},
                    explanation=_steps("王丽", time, reason=True), change_id=store.next_change_id()),
            replace(made["k4"], owner="chen.jie", status="protected", first_registered_at=time,
                    explanation=_steps("陈杰", time), change_id=store.next_change_id())])
    store.set_phone_tags("s1", {made["k1"].id: ("k1", "tag-k1"), made["k3"].id: ("k3", "tag-k3")})
    store.set_phone_tags("s1", {made["k1"].id: ("k1", "tag2-k1"), made["k2"].id: ("k2", "tag2-k2")}, "tag2")


def _paged(store, caller: Caller, rendered: bool, keys: str) -> tuple[list[dict], str | None]:
    """What the snapshot sent before: the changes of a paged pull from the empty cursor."""
    changes, cursor, more = [], None, True
    while more:
        page = pull(store, caller, cursor, 3, rendered, keys)
        changes += page["changes"]
        cursor, more = page["cursor"], page["more"]
    return changes, cursor


@pytest.mark.parametrize("username,device", [("zhao.min", "t-d3"), ("wang.li", "t-d2"), ("chen.jie", "t-d4"),
                                             ("desk.li", "token-1")])
@pytest.mark.parametrize("rendered", [False, True], ids=["params", "text"])
@pytest.mark.parametrize("keys", ["tag2", "tag", "hash"])
def test_the_snapshot_lines_decode_to_the_changes_a_paged_pull_gives(store, username, device, rendered, keys):
    _site(store)
    # the tagger settled first: a snapshot of records whose customers are untagged computes and
    # stores their tags (issue 13/14, new change ids), and the paged pull after it would differ
    tag_pending(store)
    caller = Caller(user=store.get_user(username), site=store.get_site("s1"), device=store.device_by_token(device))
    blocks = list(render_blocks(store, caller, chunk=4, rendered=rendered, keys=keys))  # windows of 4 ids
    lines = b"".join(blocks).splitlines()
    header, end = json.loads(lines[0]), json.loads(lines[-1])
    before, cursor = _paged(store, caller, rendered, keys)
    assert (header["count"], header["cursor"], end) == (len(before), cursor, {"kind": "end", "count": len(before)})
    assert lines[1:-1] == [orjson.dumps(change) for change in before]  # byte for byte what a tablet parsed before
    assert [json.loads(line) for line in lines[1:-1]] == json.loads(json.dumps(before))


def test_a_change_read_with_texts_carries_its_stored_text(store, db_url):
    """``changes_after(texts=True)``: a record's wire as stored (both backends: PostgreSQL's
    ``json`` keeps the text as written) and a customer's explanation (SQLite; PostgreSQL's
    driver hands its ``jsonb`` decoded: no text), the rows as without it."""
    _site(store)
    head = store.head("s1")
    plain = store.changes_after("s1", 0, head, 100, record_scope=None, conflicts=True)
    with_text = store.changes_after("s1", 0, head, 100, record_scope=None, conflicts=True, texts=True)
    assert [(c.change_id, c.kind, c.row) for c in with_text] == [(c.change_id, c.kind, c.row) for c in plain]
    assert all(c.text is None for c in plain)
    for change in with_text:
        if change.kind == "record" and change.text is not None:
            assert loads(change.text) == change.row.wire
        elif change.kind == "ownership" and change.text is not None:
            assert loads(change.text) == change.row.explanation
        else:
            assert change.text is None and (change.kind not in ("record", "ownership") or db_url.startswith("postgresql"))
    texts = {c.kind for c in with_text if c.text is not None}
    assert texts == ({"record", "ownership"} if db_url.startswith("sqlite") else {"record"})
    assert all(c.text is not None for c in with_text if c.kind == "record")
