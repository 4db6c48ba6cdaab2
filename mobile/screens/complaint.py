"""投诉登记: time, customer, content, contact, handler; the response deadlines are shown."""

from __future__ import annotations

from .forms import RecordFormScreen


class ComplaintScreen(RecordFormScreen):
    saved_key = "complaint.saved"
    record_type = "complaint"
    field_ids = {"customer.name": "name", "customer.phone": "phone", "customer": "phone", "data.content": "content",
                 "data.contact": "contact", "data.handler": "handler"}

    def prefill(self, name: str, phone: str) -> None:
        self.ids.name.text, self.ids.phone.text = name, phone

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        severity = "major" if ids.major.state == "down" else "general"
        self.save_record("complaint", name=ids.name.text, phone=ids.phone.text, rep=self.my_rep(), data={
            "status": "open", "content": ids.content.text.strip(), "contact": ids.contact.text.strip(),
            "handler": ids.handler.text.strip(), "severity": severity})
