"""QA15 A, second finding: one deal's 退订 recorded twice — by a rep's tablet offline and by the
manager — both counted in the funnel's 退订 and 退订金额. Pushed over HTTP to a real server (both
backends), the numbers read back from the server's database count the deal's cancellation once:
the earlier captured, whatever arrived first; withdrawn, the other counts. Neither is refused."""

from __future__ import annotations

from datetime import timedelta

from sync_server.storage import open_reporting, open_store
from tests.server.helpers import Tablet, now_cst


def _funnel_cancellations(server) -> tuple[int, float, int, float]:
    """退订, 退订金额 and 小定, 小定金额 of the site over yesterday and today (the records were captured
    in the last hours; this module's server holds no other deal)."""
    store = open_store(server.db_url)
    try:
        today = now_cst().date()
        [total] = open_reporting(store).funnel("s1", today - timedelta(days=1), today, "total")
        return total.cancellations, total.cancelled_amount, total.small_deposits, total.small_deposit_amount
    finally:
        store.close()


def test_qa15_a_deal_cancelled_twice_counts_once(live_server):
    zhang = Tablet(live_server, "zhang.qiang", "cancellations zhang")
    manager = Tablet(live_server, "zhao.min", "cancellations manager")
    phone = "138 0015 3001"
    deal = zhang.record("deal", rep="zhang.qiang", phone=phone, ago=timedelta(hours=3),
                        data={"stage": "small_deposit", "unit": "3-1201", "amount": 20000})
    assert zhang.statuses(deal) == ["accepted"]

    def cancellation(tablet: Tablet, ago: timedelta, amount: int) -> dict:
        return tablet.record("deal", rep="zhang.qiang", phone=phone, ago=ago, data={
            "stage": "small_deposit", "unit": "3-1201", "event": "cancellation", "refers_to": deal["id"],
            "reason": "客户放弃", "amount": amount})

    by_manager = cancellation(manager, timedelta(hours=2), 20000)  # at the desk, 2 hours ago: the first
    by_rep = cancellation(zhang, timedelta(hours=1), 18000)  # the rep's, offline, an hour later
    # the later-captured one arrives first; neither is refused (no ownership claim, principle 5)
    assert zhang.statuses(by_rep) == ["accepted"]
    assert _funnel_cancellations(live_server) == (1, 18000.0, 1, 20000.0)
    assert manager.statuses(by_manager) == ["accepted"]
    # by hand: one deal, one 退订 — the manager's, captured first, 20,000 given back
    assert _funnel_cancellations(live_server) == (1, 20000.0, 1, 20000.0)
    withdrawal = manager.record("withdrawal", rep=None, phone=phone, supersedes=by_manager["id"],
                                data={"reason": "重复登记"})
    assert manager.statuses(withdrawal) == ["accepted"]
    assert _funnel_cancellations(live_server) == (1, 18000.0, 1, 20000.0)  # the rep's counts now
