"""GET /sync/snapshot (issue 13): a fresh tablet's replica in one NDJSON answer, the same
changes a paged pull from the empty cursor gives, on both backends."""

from __future__ import annotations

import json

import pytest
import requests

from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def world(live_server):
    """Desk registers customers for three reps (a shared phone makes a conflict); wang.li logs
    a follow-up; the desk registers 30 more."""
    desk = Tablet(live_server, "desk.li")
    wang = Tablet(live_server, "wang.li")
    zhang = Tablet(live_server, "zhang.qiang")
    manager = Tablet(live_server, "zhao.min")
    desk.push(desk.record(rep="wang.li", name="张伟", phone="138 0013 8000"),
              desk.record(rep="zhang.qiang", name="李娜", phone="139 1234 5678"))
    wang.push(wang.record("follow_up", rep="wang.li", name="张伟", phone="138 0013 8000"))
    zhang.push(zhang.record(rep="zhang.qiang", name="张伟", phone="13800138000"))
    desk.push(*[desk.record(rep=("wang.li", "zhang.qiang", "chen.jie")[i % 3], name=f"客户{i}",
                            phone=f"137{i:08d}") for i in range(30)])
    manager.settle_tags()  # the tagger's ownership changes come after the pushes (issue 14)
    return {"desk": desk, "wang": wang, "zhang": zhang, "manager": manager}


def snapshot_lines(tablet: Tablet) -> list[dict]:
    answer = requests.get(tablet.server.base_url + "/api/v1/sync/snapshot", headers=tablet.headers, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    assert "content-length" not in answer.headers and answer.headers["transfer-encoding"] == "chunked"
    lines = [json.loads(line) for line in answer.content.splitlines()]
    assert int(answer.headers["x-fieldsync-count"]) == lines[0]["count"]
    return lines


@pytest.mark.parametrize("who", ["wang", "zhang", "desk", "manager"])
def test_the_snapshot_holds_what_a_paged_pull_from_the_start_holds(world, who):
    tablet = world[who]
    lines = snapshot_lines(tablet)
    header, changes, end = lines[0], lines[1:-1], lines[-1]
    assert header["kind"] == "snapshot" and header["count"] == len(changes)
    assert end == {"kind": "end", "count": len(changes)}
    paged, cursor = tablet.pull_all(limit=7)
    assert changes == paged  # same changes, same order, same shapes, same privacy
    assert header["cursor"] == cursor


def test_the_snapshot_is_scoped_like_the_pull(world):
    kinds = {who: {c["kind"] for c in snapshot_lines(world[who])[1:-1]} for who in ("wang", "manager")}
    assert "conflict" in kinds["manager"] and "conflict" not in kinds["wang"]
    rep_records = [c["record"] for c in snapshot_lines(world["wang"])[1:-1] if c["kind"] == "record"]
    assert rep_records and all(r.get("rep") == "wang.li" or r["device_id"] == world["wang"].device_id
                               for r in rep_records)


def test_pulling_on_from_the_snapshot_cursor_brings_only_what_came_later(world):
    wang = world["wang"]
    cursor = snapshot_lines(wang)[0]["cursor"]
    assert wang.pull_all(cursor)[0] == []
    world["desk"].push(world["desk"].record(rep="wang.li", name="王芳", phone="136 0000 0001"))
    later, _ = wang.pull_all(cursor)
    assert {c["kind"] for c in later} >= {"record", "ownership"}
    assert any(c["kind"] == "ownership" and c["customer"]["name"] == "王芳" for c in later)


def test_a_pull_page_says_about_how_many_changes_are_left(world):
    manager = world["manager"]
    first = manager.get("/sync/pull", limit=5).json()
    total = len(manager.pull_all()[0])
    assert first["more"] and first["about"] >= total
    last = manager.get("/sync/pull", cursor=manager.pull_all()[1]).json()
    assert (last["changes"], last["about"]) == ([], 0)


def test_the_snapshot_is_streamed_as_it_is_rendered_and_read_line_by_line(world):
    """No Content-Length: the server streams chunks while it renders (issue 13); the header
    line, with the count a progress display needs, is readable before the answer is whole."""
    manager = world["manager"]
    with requests.get(manager.server.base_url + "/api/v1/sync/snapshot?steps=params&keys=tag", headers=manager.headers,
                      timeout=60, stream=True) as answer:
        assert answer.status_code == 200 and "content-length" not in answer.headers
        lines = answer.iter_lines()
        header = json.loads(next(lines))
        rest = [json.loads(line) for line in lines]
    assert header["kind"] == "snapshot" and header["count"] == len(rest) - 1 > 30
    assert rest[-1] == {"kind": "end", "count": header["count"]}


def test_the_snapshot_needs_a_token(live_server):
    answer = requests.get(live_server.base_url + "/api/v1/sync/snapshot", timeout=30)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "not_authenticated"
