"""Issue 12 QA (F7): the desk's explanation of a customer handed over with "deals too".

陈杰 registered 张伟 first at the desk, made a 小定, and was handed over to 王丽 with deals
included. The desk said 王丽 registered first "在 某台平板", signed (签约), and that 陈杰's
registration came after 王丽's deal — its own rebuild from the summary, since the server gave
it no steps. Now the server gives the desk the story (without the managers' reasons) and the
steps name the right rep, device and stage; the history fits a deal handed over. Checked in
the server's words (lookup, pull) and as a real desk tablet renders them (``SyncClient`` into a
``LocalStore``, ``CustomerLookup``)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from mobile.services import CustomerLookup
from mobile.store import LocalStore
from mobile.sync import RequestsTransport, SyncClient
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet

_numbers = itertools.count(1)
REASON = "陈杰调离，客户私事不对前台公开"


@pytest.fixture(scope="module")
def handed(live_server):
    """(desk tablet, manager, phone, rep): 陈杰-like rep's walk-in at the desk, his 小定, hand-over to 王丽."""
    number = next(_numbers)
    rep = f"chen.h{number}"
    # listed from long ago: his walk-in is 3 hours old, a rep listed from now may be named only
    # from today (site time, rep_not_started): after midnight it was yesterday's
    live_server.cli("users", "add", "--site", "s1", "--username", rep, "--password", PASSWORD, "--role", "rep",
                    "--name", "陈杰乙", "--listed-from", "2020-01-01")
    desk, manager = Tablet(live_server, "desk.li", "前台一"), Tablet(live_server, "zhao.min", "经理平板")
    phone = f"139 5{number:02d}0 0001"
    walkin = desk.record(rep=rep, phone=phone, name="张伟", ago=timedelta(hours=3))
    assert desk.statuses(walkin) == ["accepted"]
    deal = manager.record("deal", rep=rep, phone=phone, name="张伟", ago=timedelta(hours=2),
                          data={"stage": "small_deposit", "unit": "5-0801", "amount": 20000})
    assert manager.statuses(deal) == ["accepted"]
    live_server.cli("users", "deactivate", rep)
    units = manager.get("/handovers/candidates", from_rep=rep).json()["customers"]
    made = manager.post("/handovers", {"from_rep": rep, "method": "choice", "reason": REASON, "deals_too": True,
                                       "choices": {units[0]["id"]: "wang.li"}})
    assert made.status_code == 201, made.text
    return desk, manager, phone


def _zh(lookup: dict) -> list[str]:
    return [step["text"]["zh"] for step in lookup["explanation"]]


def test_f7_the_desk_is_told_who_registered_first_the_deal_and_the_handover(handed):
    desk, _, phone = handed
    lookup = desk.get("/customers/lookup", phone=phone).json()
    assert lookup["owner"] == "wang.li" and lookup["status"] == "deal"
    words = "\n".join(_zh(lookup))
    assert "在 前台一 首次登记，接待人 陈杰乙" in words, words
    assert "陈杰乙 于" in words and "成交（小定）" in words, words
    assert "签约" not in words and "某台平板" not in words and "王丽 成交" not in words, words
    assert "含已成交客户" in words and "归 王丽" in words and "成交仍记在 陈杰乙 名下" in words, words
    assert REASON not in str(lookup) and "理由：—" in words  # the manager's reason stays the manager's


def test_f7_a_deal_handed_over_is_not_told_as_final_nor_as_protected_afresh(handed):
    _, manager, phone = handed
    words = "\n".join(_zh(manager.get("/customers/lookup", phone=phone).json()))
    assert "归属不再变更" not in words and "重新计算保护期" not in words, words
    assert "此后的登记不改变归属" in words and REASON in words, words


def test_f7_another_reps_later_registration_meets_the_new_holder_not_the_old_deal(live_server, handed):
    desk, manager, phone = handed
    again = desk.record(rep="zhang.qiang", phone=phone, name="张伟", ago=timedelta(0))  # after the hand-over
    assert desk.statuses(again) == ["accepted"]
    words = "\n".join(_zh(manager.get("/customers/lookup", phone=phone).json()))
    assert "王丽 自" in words and "经交接接手该客户；张强" in words, words
    assert "在 王丽 成交之后" not in words, words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_f7_a_desk_tablet_renders_the_same_story(live_server, handed, tmp_path, lang):
    desk, _, phone = handed
    server_words = [s["text"][lang] for s in desk.get("/customers/lookup", phone=phone).json()["explanation"]]
    store = LocalStore(tmp_path / "desk.db")
    try:
        client = SyncClient(store, RequestsTransport())
        client.enroll(live_server.base_url, "desk.li", PASSWORD, f"前台二 {lang}")
        client.sync()
        status = CustomerLookup(store, lang=lambda: lang).check(phone)
        assert status.verdict == "deal" and status.owner == "wang.li"
        assert list(status.explanation) == server_words
        shown = "\n".join(status.explanation)
        assert ("签约" if lang == "zh" else "contract") not in shown, shown
        assert ("陈杰乙" in shown) and ("小定" if lang == "zh" else "small deposit") in shown, shown
    finally:
        store.close()
