"""Run by test_ui_deal.py in a subprocess under Xvfb: rep 王丽's tablet (through a proxy the
driver cuts, as the office's network going down) opens 我的客户, taps 成交登记 beside 张伟,
is told what is missing, records a 小定 with 房号 and 金额 typed in full-width digits (a second
小定 of the unit is refused before saving), then a 换房 whose old unit is prefilled (saved in
English), all offline, each confirmation read again in the other language; the network returns,
the tablet syncs, and the customer card lists both deals. Then 陈杰 signs in on her tablet
(切换用户): the form for 张伟 does not offer 退订/换房 of her deal and says why.

argv: server_url data_dir result_json [shots_dir].
"""

import sys

from fault_proxy import FaultProxy
from ui_steps import run_steps, save_shot

from mobile.app import FieldsyncApp
from mobile.demo import find_widget, press
from mobile.services.search import CustomerSearch

server_url, data_dir, result_path = sys.argv[1:4]
shots_dir = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
proxy = FaultProxy(server_url).__enter__()
result: dict = {}


def shot(name: str) -> None:
    save_shot(shots_dir, name)


def texts(box) -> list[str]:
    return [getattr(w, "text", "") for w in reversed(box.children)]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = (proxy.base_url, "wang.li",
                                                                               "secret-pass-1")
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home"
    yield lambda: any(c.name == "张伟" for c in app.customers.due_list("wang.li"))  # pulled
    result["home_tiles"] = [w.text for w in reversed(app.screen("home").ids.tiles.children)]
    proxy.drop_all = True  # the rep is at the customer's, offline
    app.show("customers")
    customers = app.screen("customers")
    yield lambda: app.tasks.busy == 0 and find_widget(customers, lambda w: "张伟" in str(getattr(w, "text", "")))
    line = next(w for w in customers.ids.rows.children if any("张伟" in getattr(c, "text", "") for c in w.children))
    press(next(c for c in line.children if getattr(c, "text", "") == "成交登记"))
    yield lambda: app.sm.current == "deal"
    deal = app.screen("deal")
    yield lambda: app.tasks.busy == 0 and deal.last_text != ""
    result["prefill"] = [deal.ids.name.text, deal.ids.phone.text]
    result["last_before"] = deal.last_text
    result["rep_line"] = deal.ids.rep.text
    press(deal.ids.save)  # nothing typed: told what to fill in
    yield lambda: deal.message_kind == "error"
    result["empty_refused"] = deal.message
    result["empty_marked"] = deal.marked()
    result["stage_preselected"] = [s for s in ("small_deposit", "large_deposit", "contract")
                                   if deal.ids["stage_" + s].state == "down"]
    press(deal.ids.stage_small_deposit)  # the stage is asked: none preselected (issue 14 F6)
    deal.ids.unit.text = "3-1201"
    deal.ids.amount.text = "-5"
    press(deal.ids.save)
    yield lambda: deal.message_kind == "error" and deal.marked() == ["amount"]
    result["negative_refused"] = deal.message
    deal.ids.amount.focus = True
    deal.ids.amount.text = "５００００"  # a Chinese keyboard's full-width digits
    yield lambda: True
    deal.ids.amount.focus = False
    yield lambda: deal.ids.amount.text == "50,000"
    result["amount_shown"] = deal.ids.amount.text
    result["stage_chosen"] = [s for s in ("small_deposit", "large_deposit", "contract")
                              if deal.ids["stage_" + s].state == "down"]
    shot("deal_small_deposit_zh")
    press(deal.ids.save)
    yield lambda: deal.message_kind == "ok"
    result["saved_small"] = deal.message
    yield lambda: app.tasks.busy == 0 and "3-1201" in deal.last_text
    result["last_after_small"] = deal.last_text
    app.toggle_language()  # the confirmation is told again whole in English (its stage, unit line, 元)
    result["saved_small_en"] = deal.message
    yield lambda: app.tasks.busy == 0
    press(deal.ids.stage_small_deposit)  # her own 小定 of the unit again, typed full-width: refused unsaved
    deal.ids.unit.text = "３－１２０１"
    deal.ids.amount.text = "20000"
    press(deal.ids.save)
    yield lambda: deal.message_kind == "error"
    result["repeat_refused_en"] = deal.message
    app.toggle_language()
    result["repeat_refused"] = deal.message
    result["repeat_pending"] = app.store.counts()["pending"]
    deal.ids.unit.text = deal.ids.amount.text = ""
    yield lambda: app.tasks.busy == 0
    press(deal.ids.event_unit_change)
    yield lambda: deal.ids.previous_unit.text != ""
    result["previous_prefilled"] = deal.ids.previous_unit.text
    result["unit_after_change_chosen"] = deal.ids.unit.text
    deal.ids.unit.text = "5-0802"
    deal.ids.amount.text = "52,000"
    yield lambda: True
    shot("deal_unit_change_zh")
    app.toggle_language()  # saved in English, then read in Chinese: told again whole in Chinese
    press(deal.ids.save)
    yield lambda: deal.message_kind == "ok" and deal.message != result["saved_small"]
    result["saved_change_en"] = deal.message
    app.toggle_language()
    result["saved_change"] = deal.message
    result["waiting_offline"] = app.store.counts()
    # the header's count follows the worker's next status (under load it may lag the outbox)
    yield lambda: not app.status.online and not app.status.syncing and app.status.pending == 2
    result["status_offline"] = app.sync_line
    app.toggle_language()
    yield lambda: app.tasks.busy == 0
    result["title_en"] = app.t("deal.title", "en")
    result["last_en"] = deal.last_text
    press(deal.ids.event_cancellation)
    press(deal.ids.save)
    yield lambda: deal.message_kind == "error"
    result["cancel_refused_en"] = deal.message
    press(deal.ids.event_stage)
    app.toggle_language()
    proxy.drop_all = False  # back at the office
    app.sync_now()
    yield lambda: app.status.pending == 0 and not app.status.syncing and app.status.rejected == 0
    result["pushed"] = [(path, status, n) for path, status, n in proxy.answered if path.endswith("/push") and n]
    [found] = [f for f in CustomerSearch(app.store).find("张伟") if f.name == "张伟"]
    card = app.screen("card")
    card.show_customer(found)
    app.show("card")
    yield lambda: app.tasks.busy == 0 and len(card.ids.deals.children) == 2
    result["card_deals"] = texts(card.ids.deals)
    result["card_history"] = texts(card.ids.rows)
    shot("deal_card_zh")
    press(card.ids.record_deal)
    yield lambda: app.sm.current == "deal" and app.tasks.busy == 0 and "5-0802" in deal.last_text
    result["from_card"] = [deal.ids.name.text, deal.ids.phone.text, deal.last_text]
    yield lambda: app.tasks.busy == 0
    result["wang_refused"] = [deal.refused_text, deal.ids.event_cancellation.disabled]
    app.show("enrol")  # 切换用户: another rep on her tablet
    enrol.ids.username.text, enrol.ids.password.text = "chen.jie", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and (app.user or {}).get("username") == "chen.jie"
    deal.prefill("张伟", "138 0013 8000")
    app.show("deal")
    yield lambda: app.tasks.busy == 0 and deal.refused_text != ""
    result["chen_refused"] = [deal.refused_text, deal.ids.event_cancellation.disabled,
                              deal.ids.event_unit_change.disabled, deal.ids.event_stage.disabled]
    shot("deal_not_yours_zh")


try:
    run_steps(app, script(), result, result_path, timeout_s=40)
finally:
    proxy.__exit__(None, None, None)
