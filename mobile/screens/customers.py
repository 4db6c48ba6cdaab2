"""我的客户: the rep's customers, soonest due first (cadence by grade); tap one to follow up, or
its 成交登记 button to record a deal for them."""

from __future__ import annotations

from datetime import datetime

from kivy.factory import Factory

from ..fonts import readable
from .base import FieldsyncScreen


class CustomersScreen(FieldsyncScreen):
    def refresh(self) -> None:
        me = (self.app.user or {}).get("username", "")
        self.app.tasks.run(lambda: self.app.customers.due_list(me), self._show)

    def _day(self, moment: datetime) -> str:
        return self.app.profile.current.local_text(moment, with_time=False)[5:]  # MM-DD in the site's zone

    def _show(self, due) -> None:
        rows = self.ids.rows
        rows.clear_widgets()
        now = datetime.now().astimezone()
        if not due:
            rows.add_widget(Factory.InfoLabel(text=self.t("customers.empty")))
        for customer in due:
            text = self.t("customers.row", name=customer.name, phone=customer.phone, grade=customer.grade,
                          last=self._day(customer.last_contact), due=self.day_text(customer.due, now.date()))
            if customer.overdue(now):
                text += "  · " + self.t("customers.overdue")
            if customer.provisional:
                text += "  · " + self.t("customers.pending")
            row = Factory.CustomerRow(text=readable(text))
            if customer.overdue(now):
                row.color = (0.75, 0.15, 0.15, 1)
            row.bind(on_release=lambda _row, c=customer: self.follow_up(c))
            line = Factory.CustomerLine()
            row.bind(height=line.setter("height"))
            line.add_widget(row)
            deal = Factory.CustomerDealButton(text=self.t("card.record_deal"))
            deal.bind(on_release=lambda _b, c=customer: self.record_deal(c))
            line.add_widget(deal)
            rows.add_widget(line)

    def follow_up(self, customer) -> None:
        """Open the follow-up form (跟进) for ``customer``, name and phone filled in."""
        self.app.screen("follow").prefill(customer.name, customer.phone)
        self.app.show("follow")

    def record_deal(self, customer) -> None:
        """Open 成交登记 for ``customer``, name and phone filled in."""
        self.app.screen("deal").prefill(customer.name, customer.phone)
        self.app.show("deal")
