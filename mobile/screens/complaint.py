"""投诉登记: time, customer, content, contact, handler; the response deadlines are shown."""

from __future__ import annotations

from .forms import RecordFormScreen


class ComplaintScreen(RecordFormScreen):
    saved_key = "complaint.saved"
    record_type = "complaint"
    field_ids = {"customer.phone": "phone", "customer": "phone", "customer.name": "name",
                 "data.contact": "contact", "data.handler": "handler", "data.severity": "severity",
                 "data.content": "content"}
    # the severity sets the working-day limit (1 or 3): asked, never taken as 一般 (issue 14 F6)
    choice_fields = ("data.severity",)

    def prefill(self, name: str, phone: str) -> None:
        self.ids.name.text, self.ids.phone.text = name, phone

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        severity = "major" if ids.major.state == "down" else "general" if ids.general.state == "down" else None
        data = {"status": "open", "content": ids.content.text.strip(), "contact": ids.contact.text.strip(),
                "handler": ids.handler.text.strip()}
        if severity:
            data["severity"] = severity
        self.save_record("complaint", name=ids.name.text, phone=ids.phone.text, rep=self.my_rep(), data=data,
                         missing=self.unanswered(severity=severity))

    def clear_form(self) -> None:
        super().clear_form()
        self.ids.general.state = self.ids.major.state = "normal"
