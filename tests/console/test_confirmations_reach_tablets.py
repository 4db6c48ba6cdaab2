"""R4 end to end: a manager confirms the day in the console; the confirmations reach, in the
next pull, exactly the tablets that may see the confirmed records."""

from __future__ import annotations

import requests

from tests.console.conftest import csrf_of, requests_session
from tests.live_server import enroll


def _pull(server, token: str, cursor: str = "") -> tuple[list[dict], str]:
    changes: list[dict] = []
    while True:
        response = requests.get(server.url("/sync/pull"), params={"cursor": cursor, "limit": 7}, timeout=30,
                                headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        body = response.json()
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["more"]:
            return changes, cursor


def _confirmed(changes: list[dict]) -> dict[str, dict]:
    return {c["confirmation"]["record_id"]: c for c in changes if c["kind"] == "confirmation"}


def test_confirming_in_the_console_reaches_the_tablets_that_see_the_record(server, day):
    chen_token = enroll(server.base_url, "chen.jie", "陈杰的平板")[1]
    cursors = {name: _pull(server, token)[1] for name, token in
               (("desk", day.desk.token), ("wang", day.wang.token), ("chen", chen_token))}
    for_wang, for_chen = day.walkin_ids[0], day.walkin_ids[1]  # the desk registered both

    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/confirm", timeout=30).text)
    response = session.post(server.base_url + "/console/confirm", timeout=30,
                            data={"csrf_token": csrf, "record_id": [for_wang, for_chen]})
    assert response.status_code == 200 and "已确认 2 条" in response.text

    desk, _ = _pull(server, day.desk.token, cursors["desk"])  # reception: its own device's records
    assert set(_confirmed(desk)) == {for_wang, for_chen}
    change = _confirmed(desk)[for_wang]
    assert change == {"change_id": change["change_id"], "kind": "confirmation",
                      "confirmation": {"record_id": for_wang, "confirmed_by": "zhao.min",
                                       "confirmed_at": change["confirmation"]["confirmed_at"]}}
    assert change["confirmation"]["confirmed_at"].endswith("Z") or "+00:00" in change["confirmation"]["confirmed_at"]

    wang, wang_cursor = _pull(server, day.wang.token, cursors["wang"])  # a rep: records naming them
    assert set(_confirmed(wang)) == {for_wang}
    chen, _ = _pull(server, chen_token, cursors["chen"])
    assert set(_confirmed(chen)) == {for_chen}

    # confirming again changes nothing: the first confirmation stands and nothing new is pulled
    csrf = csrf_of(session.get(server.base_url + "/console/confirm", timeout=30).text)
    session.post(server.base_url + "/console/confirm", timeout=30, data={"csrf_token": csrf, "record_id": for_wang})
    assert _confirmed(_pull(server, day.wang.token, wang_cursor)[0]) == {}
    # a tablet starting from scratch gets the confirmation with the records
    assert set(_confirmed(_pull(server, day.wang.token)[0])) == {for_wang}
