"""QA of issue 12 L1 on the tablet, through a real server: at a site whose decisions against
the rule wait for the sales director, the manager decides a dispute; after a sync the desk's
walk-in verdict and the customer card say 待总监审批 (not 待经理裁定); once the director returns
it, 待经理裁定 again."""

from __future__ import annotations

import requests

from mobile.services import CustomerLookup
from mobile.services.search import FoundCustomer, customer_card
from mobile.store import LocalStore
from mobile.sync import RequestsTransport, SyncClient
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet, two_organisations
from tests.server.test_director_api import awaiting_proposal


def test_the_desk_reads_awaiting_the_directors_approval_then_the_manager_again(tmp_path, server):
    two_organisations(server, PASSWORD)
    t = {user: Tablet(server, user) for user in ("desk.li", "zhao.min")}
    phone, body = awaiting_proposal(t)

    store = LocalStore(tmp_path / "desk" / "fieldsync.db")
    client = SyncClient(store, RequestsTransport(), batch_size=50)
    client.enroll(server.base_url, "desk.li", "secret-pass-1", "前台平板")
    client.sync()
    lookup = CustomerLookup(store)
    status = lookup.check(phone)
    assert status.verdict == "disputed" and status.awaiting_approval  # before the fix: 待经理裁定
    found = FoundCustomer("张伟", "", "", status.phone_hash, "", False, "phone")
    assert customer_card(store, found).approval == "awaiting"
    from mobile.i18n import tr as text

    assert "待总监审批" in text("verdict.disputed_awaiting", "zh", owner="王丽")
    assert "待总监审批" in text("card.status.awaiting_approval", "zh")

    token = requests.post(server.url("/auth/director"), json={"username": "dir.a", "password": PASSWORD},
                          timeout=30).json()["token"]
    returned = requests.post(server.url(f"/director/proposals/{body['approval']['id']}/return"),
                             headers={"Authorization": f"Bearer {token}"}, json={"reason": "请补充说明"}, timeout=30)
    assert returned.status_code == 200, returned.text
    client.sync()
    status = lookup.check(phone)
    assert status.verdict == "disputed" and not status.awaiting_approval
    assert customer_card(store, found).approval == ""
    store.close()
