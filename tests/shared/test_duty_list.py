"""The duty list of a day (排班): the tablet's ``shared.rotation.duty_list`` gives the server's
``duty_order`` for every user whose deactivation time is known (docs/protocol.md, "What
carries over between days"), so a past day's board is the same on both."""

from __future__ import annotations

from dataclasses import asdict
from itertools import product

from shared.rotation import duty_list
from sync_server.services.rotation import duty_order
from sync_server.storage.base import User

TIMES = (None, "2026-11-29T15:59:59.999Z", "2026-11-29T16:00:00.000Z", "2026-11-30T09:00:00.000Z",
         "2026-12-01T01:00:00.000Z")
DAYS = ("2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02")


def _users() -> list[User]:
    """Every combination of role, active and deactivation time (replayable, no randomness)."""
    users = []
    for n, (role, active, at) in enumerate(product(("rep", "reception"), (True, False), TIMES)):
        if active and at is not None:
            continue  # activating clears the time (users activate)
        if not active and at is None:
            continue  # the server's migration 0005 gave every inactive user a time
        users.append(User(f"u{n:02d}", "s1", f"user {n}", role, "", active=active, deactivated_at=at))
    return users


def test_the_tablets_duty_list_is_the_servers_duty_order_on_every_day_and_offset():
    users = _users()
    rows = [asdict(u) for u in users]
    for day, offset in product(DAYS, (480, 0, -300)):
        assert duty_list(rows, day, offset) == duty_order(users, day, offset), (day, offset)


def test_an_inactive_user_of_unknown_time_is_left_out_on_the_tablet():
    """A replica pulled before the tablet kept the time; the server never has such a user."""
    assert duty_list([{"username": "a", "role": "rep", "active": False, "deactivated_at": None}], "2026-12-01") == []
