"""客户卡片: what this user may see of one customer — owner, status and window, the rules'
reasons when the server lets this user read them, the deals (成交记录: stage, unit, amount,
time) and the visits, calls, follow-ups and complaints this tablet holds, latest first. The
phone is masked unless it is this user's own customer (the server sends its number: issue 14
F10); another rep's customer's name reads 姓名仅归属人可见. 成交登记 opens the deal form for this customer."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from ..fonts import readable
from ..services.deals import deal_text
from ..services.search import CustomerCard, FoundCustomer, customer_card, name_placeholder_key
from .base import FieldsyncScreen


class CardScreen(FieldsyncScreen):
    title_text = StringProperty("")
    summary_text = StringProperty("")
    explanation_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.customer: FoundCustomer | None = None
        self.card: CustomerCard | None = None

    def show_customer(self, customer: FoundCustomer) -> None:
        self.customer, self.card = customer, None
        self.title_text = readable(customer.name or self.t(name_placeholder_key(customer.owner_name)))

    def refresh(self) -> None:
        if self.customer is not None:
            store, customer = self.app.store, self.customer
            self.app.tasks.run(lambda: customer_card(store, customer), self._show)

    def _no_owner(self) -> str:
        """Why no owner shows: the own records' held or refused ownership (QA5 F3), else none yet."""
        return (self.customer.ownership_note if self.customer is not None else "") or "no_owner"

    def _show(self, card: CustomerCard) -> None:
        self.card = card
        until = self.app.time_text(card.protected_until, with_time=False) if card.protected_until else ""
        awaiting = card.status == "disputed" and card.approval == "awaiting"  # 待总监审批 (QA of issue 12 L1)
        status = self.t("card.status." + ("awaiting_approval" if awaiting else card.status or "unknown"), until=until)
        self.title_text = readable(card.name or self.t(name_placeholder_key(card.owner_name)))
        self.summary_text = readable(self.t("card.summary", phone=card.phone_shown,
                                            owner=card.owner_name or self.t("find." + self._no_owner()), status=status))
        lang = "zh" if self.app.lang.startswith("zh") else "en"
        self.explanation_text = "\n".join((step.get("text") or {}).get(lang, "") for step in card.explanation)
        rows = self.ids.rows
        rows.clear_widgets()
        if not card.entries:
            rows.add_widget(Factory.InfoLabel(text=self.t("card.no_records")))
        names = self.app.profile.current.names  # deactivated reps too: a handed-over customer's history
        for entry in card.entries:
            text = self.t("card.row", time=self.app.time_text(entry.captured_at), type=self.t("type." + entry.type),
                          rep=names.get(entry.rep or "", entry.rep or ""))
            if entry.own:
                text += self.t("card.own", state=self.t("sync.state." + entry.state))
            rows.add_widget(Factory.InfoLabel(text=text))
        self._show_deals(card, names)

    def _show_deals(self, card: CustomerCard, names: dict[str, str]) -> None:
        deals = self.ids.deals
        deals.clear_widgets()
        if not card.deals:
            deals.add_widget(Factory.InfoLabel(text=self.t("card.no_deals")))
        for deal in card.deals:
            text = self.t("card.deal_row", time=self.app.time_text(deal.captured_at),
                          deal=deal_text(deal, self.t), rep=names.get(deal.rep or "", deal.rep or ""))
            if deal.own:
                text += self.t("card.own", state=self.t("sync.state." + deal.state))
            deals.add_widget(Factory.InfoLabel(text=readable(text), markup=True))

    def record_deal(self) -> None:
        """成交登记 for this customer: name and phone filled in (the phone when this tablet
        holds it typed in a record; else the rep types it)."""
        if self.customer is None:
            return
        card = self.card
        self.app.screen("deal").prefill(card.name if card else self.customer.name, card.phone if card else "")
        self.app.show("deal")
