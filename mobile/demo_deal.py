"""The demo's 成交登记 steps (``--demo-shots``):
from 我的客户 the rep records a 小定 for 王芳 with the amount typed in full-width digits, then a
换房 whose old unit the form fills in. Yields the demo's waits, as ``Demo.script`` does."""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["deal_steps"]


def deal_steps(demo) -> Iterator:
    from .demo_kit import press

    app, t = demo.app, demo.app.t
    app.show("customers")
    customers = demo.screen("customers")

    def deal_button():
        for line in customers.ids.rows.children:
            if any("王芳" in str(getattr(w, "text", "")) for w in line.children):
                return next((w for w in line.children if getattr(w, "text", "") == t("card.record_deal")), None)
        return None

    yield demo.until(deal_button, 10, "成交登记 beside 王芳 in 我的客户")
    press(deal_button())
    yield demo.until(lambda: app.sm.current == "deal", 5, "成交登记 opens")
    deal = demo.screen("deal")
    yield demo.until(lambda: app.tasks.busy == 0 and deal.last_text != "", 10)
    demo.check("the deal form is for 王芳", deal.ids.name.text == "王芳")
    press(deal.ids.stage_small_deposit)  # the stage is asked: none preselected (issue 14 F6)
    deal.ids.unit.text = "3-1201"
    deal.ids.amount.focus = True
    deal.ids.amount.text = "５００００"  # a Chinese keyboard's full-width digits
    yield 0.2
    deal.ids.amount.focus = False
    yield demo.until(lambda: deal.ids.amount.text == "50,000", 5, "the amount shown with separators")
    demo.shot("deal_small_deposit")
    demo.tap_text("deal", t("common.save"))
    yield demo.until(lambda: deal.message_kind == "ok", 10, "小定 saved")
    first = deal.message
    demo.check("the 小定 is confirmed with unit and amount", "3-1201" in first and "50,000" in first)
    press(deal.ids.event_unit_change)
    yield demo.until(lambda: deal.ids.previous_unit.text == "3-1201", 10, "换房 prefills the old unit")
    deal.ids.unit.text, deal.ids.amount.text = "5-0802", "52,000"
    demo.tap_text("deal", t("common.save"))
    yield demo.until(lambda: deal.message_kind == "ok" and deal.message != first, 10, "换房 saved")
    yield 0.3
    demo.shot("deal_unit_change")
