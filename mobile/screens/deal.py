"""成交登记 (001 §14(三) 4–5 小定单/大定单登记, §14(六) 换房, 退订): the rep records a stage
reached (小定 / 大定 / 签约) with 房号 and 金额, a 退订 with its reason, or a 换房 (the old unit
prefilled from the customer's last deal). Saved offline to the outbox as a ``deal`` record
(``shared.deals``); the signed-in rep is the deal's rep and keeps it (R9). 退订 and 换房 refer to
the customer's current deal: offered only when the signed-in user may (its rep, its author or a
manager, ``services.deals.change_refusal``), else disabled with the reason under the last deal
(a shared tablet holding the previous rep's deal)."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from shared.deals import DEAL_STAGES
from shared.errors import Problem

from ..messages import problem_text
from ..services.deals import (
    DealEntry,
    cancellation_repeat,
    change_refusal,
    current_deal,
    customer_deals,
    deal_text,
    format_amount,
    parse_amount,
    refund_excess,
    stage_repeat,
)
from .forms import RecordFormScreen, composing


class DealScreen(RecordFormScreen):
    saved_key = "deal.what.stage"
    record_type = "deal"
    field_ids = {"customer.phone": "phone", "customer": "phone", "customer.name": "name", "data.stage": "stage",
                 "data.unit": "unit", "data.previous_unit": "previous_unit", "data.amount": "amount",
                 "data.reason": "reason"}
    choice_fields = ("data.stage",)  # asked each time, never taken as 小定 (issue 14 F6)
    event = StringProperty("stage")  # shared.deals.DEAL_EVENTS
    last_text = StringProperty("")
    # why 退订/换房 of the customer's deal are not offered to the signed-in user (another rep's
    # deal, a shared tablet: ``services.deals.change_refusal``); "" when they are
    refused_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.customer: tuple[str, str] | None = None
        self._opened_for_customer = False
        self.deals: list[DealEntry] = []  # the customer's deals this tablet knows, latest first
        self.refusal: Problem | None = None  # why 退订/换房 of the current deal are not offered
        self._deals_trigger = Clock.create_trigger(self.load_deals, 0.15)

    def prefill(self, name: str, phone: str) -> None:
        """Open for one customer (我的客户, 客户卡片): name and phone stay after saving."""
        self.customer, self._opened_for_customer = (name, phone), True
        self.ids.name.text, self.ids.phone.text = name, phone

    def on_pre_enter(self, *args) -> None:
        if not self._opened_for_customer:
            self.customer = None
            self.clear_form()
            self.ids.name.text = self.ids.phone.text = ""
        self._opened_for_customer = False
        super().on_pre_enter(*args)

    def refresh(self) -> None:
        self.ids.rep.text = self.t("deal.rep", rep=self._rep_name()) if self.my_rep() else self.t("deal.no_rep")
        self.load_deals()

    def _rep_name(self) -> str:
        user = self.app.user or {}
        return user.get("name") or user.get("username", "")

    # -- the customer's deals ---------------------------------------------------------------
    def on_phone_typed(self, *_args) -> None:
        self._deals_trigger()

    def load_deals(self, _dt=None) -> None:
        if composing(self.ids.phone):
            return  # an input method mid-composition: looked up once committed (the text changes then)
        store, capture, phone = self.app.store, self.app.capture, self.ids.phone.text

        def load() -> tuple[list[DealEntry], Problem | None]:
            deals = customer_deals(store, capture.phone_hash_of(phone))
            return deals, change_refusal(store, current_deal(deals))

        self.app.tasks.run(load, self._show_deals)

    def _show_deals(self, loaded: tuple[list[DealEntry], Problem | None]) -> None:
        deals, self.refusal = loaded
        self.deals = deals
        self.refused_text = problem_text(self.refusal, self.app.lang) if self.refusal is not None else ""
        if self.refusal is not None and self.event != "stage":  # 退订/换房 no longer offered
            self.ids.event_cancellation.state = self.ids.event_unit_change.state = "normal"
            self.ids.event_stage.state = "down"
            self.choose_event("stage")
        self.last_text = self.t("deal.last", deal=self.deal_text(deals[0])) if deals else (
            self.t("deal.none_yet") if self.ids.phone.text.strip() else "")
        self._prefill_previous()

    def deal_text(self, deal: DealEntry) -> str:
        return deal_text(deal, self.t)

    def _current(self) -> DealEntry | None:
        """The deal a 退订 or 换房 is about: the latest stage reached or unit change."""
        return current_deal(self.deals)

    def _prefill_previous(self) -> None:
        current = self._current()
        if current is None:
            return
        if self.event == "unit_change" and not self.ids.previous_unit.text.strip():
            self.ids.previous_unit.text = current.unit
        if self.event != "stage" and current.stage:
            self.ids["stage_" + current.stage].state = "down"

    # -- the form -----------------------------------------------------------------------------
    def choose_event(self, event: str) -> None:
        self.event = event
        self._prefill_previous()

    def amount_left(self, widget, focused: bool) -> None:
        """Leaving 金额: show what was typed with thousands separators (１２０００００ → 1,200,000)."""
        if not focused:
            value = parse_amount(widget.text, required=False)
            if isinstance(value, int | float):
                widget.text = format_amount(value)

    def clear_form(self) -> None:
        for widget_id in ("unit", "previous_unit", "amount", "reason"):
            self.ids[widget_id].text = ""
        self.ids.event_stage.state = "down"
        for stage in DEAL_STAGES:
            self.ids["stage_" + stage].state = "normal"
        self.choose_event("stage")
        if self.customer:
            self.ids.name.text, self.ids.phone.text = self.customer

    def submit(self) -> None:
        if self.second_tap():
            return
        ids, event = self.ids, self.event
        stage = next((s for s in DEAL_STAGES if ids["stage_" + s].state == "down"), None)
        problems: list[Problem] = self.unanswered(stage=stage)
        amount = parse_amount(ids.amount.text, required=event != "cancellation")
        if isinstance(amount, Problem):
            problems.append(amount)
            amount = None
        for field, widget_id, needed in (("data.unit", "unit", True), ("data.previous_unit", "previous_unit",
                                          event == "unit_change"), ("data.reason", "reason", event == "cancellation")):
            if needed and not ids[widget_id].text.strip():
                problems.append(Problem("missing_field", "", field))
        if event != "stage" and self.refusal is not None:
            problems.append(self.refusal)  # another rep's deal: the server would refuse it
        if event == "cancellation" and isinstance(amount, int | float) and (
                excess := refund_excess(self.deals, amount)):
            problems.append(excess)  # more given back than the deal: the server would refuse it (QA15 A)
        if event == "cancellation" and (cancelled := cancellation_repeat(self.deals)):
            problems.append(cancelled)  # cancelled already: the funnel would count it once (QA15 A)
        if event == "stage" and stage is not None and (repeat := stage_repeat(self.deals, stage, ids.unit.text, self.my_rep())):
            problems.append(repeat)  # she recorded this unit's stage already: the funnel would count it once
        if problems or stage is None:
            self.show_problems(problems)  # said in the form's order
            return
        current = self._current()
        data = {"stage": stage, "unit": ids.unit.text.strip(), "amount": amount}
        if event != "stage":
            data.update(event=event, refers_to=current.id if current else None)
        if event == "unit_change":
            data["previous_unit"] = ids.previous_unit.text.strip()
        if event == "cancellation":
            data["reason"] = ids.reason.text.strip()
        name, phone = ids.name.text, ids.phone.text
        # what was saved, not its words: the confirmation tells it again in the language switched to
        entry = DealEntry("", event, stage, data["unit"], data.get("previous_unit") or "", amount,
                          data.get("reason") or "", "", None, True)

        def saved(_wire: dict) -> None:
            self.unmark()
            self.saved_key = "deal.what." + event
            self.say(self.saved_text("deal.saved", name.strip(), detail=lambda: self.deal_text(entry)), "ok")
            self.saved_form()
            self.app.sync_now()
            self.load_deals()

        self.save_once(lambda: self.app.capture.capture("deal", name=name, phone=phone, rep=self.my_rep(),
                                                        data=data), saved, self.show_failure)

