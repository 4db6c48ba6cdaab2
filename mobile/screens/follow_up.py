"""客户跟进记录: date, customer, method, content, feedback, next action (renews the owner's window)."""

from __future__ import annotations

from .forms import RecordFormScreen

METHODS = ("phone", "visit", "message")
GRADES = ("A", "B", "C", "D")
TIERS = ("vip", "core", "regular")


class FollowUpScreen(RecordFormScreen):
    saved_key = "follow.saved"
    record_type = "follow_up"
    field_ids = {"customer.phone": "phone", "customer": "phone", "customer.name": "name", "data.method": "method",
                 "data.contact": "contact", "data.content": "content", "data.feedback": "feedback",
                 "data.next_action": "next_action", "data.next_action_on": "next_on"}
    choice_fields = ("data.method",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.customer: tuple[str, str] | None = None  # (name, phone) when opened for a customer
        self._opened_for_customer = False

    def prefill(self, name: str, phone: str) -> None:
        """Open for one customer (from 我的客户): their name and phone stay after saving."""
        self.customer, self._opened_for_customer = (name, phone), True
        self.ids.name.text, self.ids.phone.text = name, phone

    def on_pre_enter(self, *args) -> None:
        if not self._opened_for_customer:
            self.customer = None  # opened from the home tile or returned to: keep nothing after saving
        self._opened_for_customer = False
        super().on_pre_enter(*args)

    def clear_form(self) -> None:
        super().clear_form()
        # a re-grade is said once, at the contact that made it; the method is asked each time
        for choice in [*("grade_" + g for g in GRADES), *("tier_" + t for t in TIERS), *("method_" + m for m in METHODS)]:
            self.ids[choice].state = "normal"
        if self.customer:  # the rep may go on to a visit report, complaint or deal for them
            self.ids.name.text, self.ids.phone.text = self.customer

    def start(self, screen_name: str) -> None:
        """Start a visit report, complaint or deal (成交登记) for the customer on this form."""
        name, phone = self.ids.name.text.strip(), self.ids.phone.text.strip()
        if not (name and phone):
            self.say(self.t("follow.need_customer"), "error")
            return
        self.app.screen(screen_name).prefill(name, phone)
        self.app.show(screen_name)

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        # no method is taken for an answer (issue 14 F6): none chosen is refused by its label
        method = next((m for m in METHODS if ids["method_" + m].state == "down"), None)
        data = {"method": method, "contact": ids.contact.text.strip(), "content": ids.content.text.strip(),
                "feedback": ids.feedback.text.strip(), "next_action": ids.next_action.text.strip(),
                "next_action_on": ids.next_on.value}
        # 000 四(三): grades are adjusted as the customer changes; none chosen keeps the current one
        grade = next((g for g in GRADES if ids["grade_" + g].state == "down"), None)
        tier = next((t for t in TIERS if ids["tier_" + t].state == "down"), None)
        data.update({k: v for k, v in (("grade", grade), ("tier", tier)) if v})
        missing = self.unanswered(method=method)
        if method is None:
            del data["method"]
        self.save_record("follow_up", name=ids.name.text, phone=ids.phone.text, rep=self.my_rep(), data=data,
                         missing=missing)
