"""客户跟进记录: date, customer, method, content, feedback, next action (renews the owner's window)."""

from __future__ import annotations

from .forms import RecordFormScreen

METHODS = ("phone", "visit", "message")


class FollowUpScreen(RecordFormScreen):
    saved_key = "follow.saved"

    def prefill(self, name: str, phone: str) -> None:
        self.ids.name.text, self.ids.phone.text = name, phone

    def submit(self) -> None:
        ids = self.ids
        method = next((m for m in METHODS if ids["method_" + m].state == "down"), "phone")
        self.save_record("follow_up", name=ids.name.text, phone=ids.phone.text, rep=self.my_rep(), data={
            "method": method, "contact": ids.contact.text.strip(), "content": ids.content.text.strip(),
            "feedback": ids.feedback.text.strip(), "next_action": ids.next_action.text.strip(),
            "next_action_on": ids.next_on.text.strip()})
