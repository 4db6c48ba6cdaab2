"""今日待跟进 / 逾期: my customers due today or overdue (most overdue first) and my open
complaints with their next deadline; offline, from the local store (issue 11). Tap a
customer to open the follow-up form for them."""

from __future__ import annotations

from kivy.factory import Factory

from ..fonts import readable
from .base import FieldsyncScreen

OVERDUE_COLOUR = (0.75, 0.15, 0.15, 1)


class DueScreen(FieldsyncScreen):
    def refresh(self) -> None:
        me = (self.app.user or {}).get("username", "")
        self.app.tasks.run(lambda: self.app.care.due_today(me), self._show)

    def on_sync_status(self, status) -> None:
        self.refresh()  # a pull may have brought records or complaint steps

    def _show(self, due) -> None:
        today = due.today.date()
        rows = self.ids.rows
        rows.clear_widgets()
        overdue = [c for c in due.customers if c.days_overdue(today) > 0]
        self.ids.summary.text = self.t("due.summary", due=len(due.customers) - len(overdue), overdue=len(overdue),
                                       complaints=len(due.complaints))
        if not due.customers:
            rows.add_widget(Factory.InfoLabel(text=self.t("due.none")))
        for customer in due.customers:
            days = customer.days_overdue(today)
            when = self.t("due.overdue_days", days=days) if days > 0 else self.t("due.today")
            text = self.t("due.row", name=customer.name, phone=customer.phone, grade=customer.grade,
                          due=self.day_text(customer.due, today), when=when,
                          why=self.t("due.reason." + customer.reason))
            row = Factory.DueRow(text=readable(text))
            if days > 0:
                row.color = OVERDUE_COLOUR
            row.bind(on_release=lambda _row, c=customer: self.follow_up(c))
            rows.add_widget(row)
        rows.add_widget(Factory.FieldLabel(text=self.t("due.complaints")))
        if not due.complaints:
            rows.add_widget(Factory.InfoLabel(text=self.t("due.no_complaints")))
        for case in due.complaints:
            deadline = case.next_deadline()
            text = self.t("due.complaint_row", name=case.customer_name, content=case.content.strip()[:40] or "—",
                          severity=self.t("complaint." + case.severity), step=self.t("due.step." + deadline.step),
                          at=self._at(deadline.due, due.today))
            close = next((d for d in case.deadlines if d.step == "close"), None)
            if close is not None and close is not deadline and close.done_at is None:
                # the close-by limit in working days beside the next hour step (QA of issue 11, F9:
                # the tablet showed only the hour steps, so never a provisional limit either)
                text += self.t("due.close_by_one" if case.limit_days == 1 else "due.close_by",
                               at=self._at(close.due, due.today), days=case.limit_days)
                if close.due < due.today:
                    text += self.t("due.close_overdue")
                if not close.official:
                    text += self.t("due.provisional")
            if not deadline.official:
                text += self.t("due.provisional")
            row = Factory.DueRow(text=readable(text))
            if deadline.due < due.today:
                row.color = OVERDUE_COLOUR
            row.bind(on_release=lambda _row, c=case: self.record_step(c))
            rows.add_widget(row)

    def _at(self, moment, now) -> str:
        """A deadline in the site's time (``now``'s zone), the year shown when not this year's."""
        local = moment.astimezone(now.tzinfo)
        return self.day_text(local.date(), now.date(), f"{local:%H:%M}")

    def record_step(self, case) -> None:
        """Open 投诉处理进度 for ``case`` (a ``ComplaintCase``), its next step preselected."""
        self.app.show("complaint_step")
        self.app.screen("complaint_step").open_case(case)

    def follow_up(self, customer) -> None:
        """Open the follow-up form (跟进) for ``customer``, name and phone filled in."""
        self.app.screen("follow").prefill(customer.name, customer.phone)
        self.app.show("follow")
