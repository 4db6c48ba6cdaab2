"""QA8 finding 5, on SQLite and PostgreSQL: a dispute whose protection window ended undecided
is stored lapsed by the server's sweep (``services.lapsing``), not only when a later push
touches its customer: the queue no longer lists it as open, and deciding it is refused with
the reason (R2), the same answer as for a dispute a later push lapsed."""

from __future__ import annotations

from datetime import timedelta

from shared.timeutil import utc_now
from sync_server.services.lapsing import lapse_due
from sync_server.storage import open_store
from tests.server.helpers import Tablet
from tests.server.test_ownership import fresh_phone, open_conflict, register


def test_a_dispute_whose_window_ended_undecided_is_stored_lapsed_and_cannot_be_decided(live_server):
    t = {user: Tablet(live_server, user) for user in ("desk.li", "zhao.min")}
    phone = fresh_phone()
    register(t, "wang.li", phone, 10)
    register(t, "zhang.qiang", phone, 5)
    manager = t["zhao.min"]
    customer_id = manager.get("/customers/lookup", phone=phone).json()["customer_id"]
    conflict = open_conflict(t, customer_id)
    store = open_store(live_server.db_url)
    try:
        assert lapse_due(store) == 0  # the 30-day window runs: nothing to lapse today
        assert lapse_due(store, now=utc_now() + timedelta(days=31)) >= 1  # as the sweep will a month on
    finally:
        store.close()
    assert conflict["id"] not in {c["id"] for c in manager.get("/conflicts", status="open").json()}
    stored = manager.get(f"/conflicts/{conflict['id']}").json()
    assert stored["status"] == "lapsed" and stored["decision"] is None, stored
    response = manager.post(f"/conflicts/{conflict['id']}/decision", {"owner": "wang.li", "reason": "王丽先接待"})
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "already_decided" and "(R2)" in error["message"], error
    assert "保护期已过" in error["messages"]["zh"], error  # the reader's words: nothing to decide, and why
