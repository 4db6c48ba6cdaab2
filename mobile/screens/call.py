"""来电登记: phone inquiries are recorded, never decide ownership (R3). The caller's number is
looked up as on the walk-in screen, so the desk sees at once whose customer is calling."""

from __future__ import annotations

from shared.records import WALKIN_SOURCES

from ..services.lookup import CustomerStatus
from .forms import VERDICT_KIND, PhoneLookupScreen


class CallScreen(PhoneLookupScreen):
    saved_key = "call.saved"
    record_type = "call"
    field_ids = {"customer.name": "name", "customer.phone": "phone", "customer": "phone", "data.topic": "topic",
                 "data.notes": "notes"}

    def refresh(self) -> None:
        values = self.ids.source.values
        chosen = WALKIN_SOURCES[values.index(self.ids.source.text)] if self.ids.source.text in values else "online"
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        self.ids.source.text = self.t("source." + chosen)
        self.on_typed()

    def show_status(self, status: CustomerStatus) -> None:
        self.status = status
        self.verdict_text = self.t("call.lookup") + self.verdict_line(status) + self.kind_line(status)
        self.verdict_kind = VERDICT_KIND.get(status.verdict, "info")
        self.fill_known_name(status)

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        source = WALKIN_SOURCES[ids.source.values.index(ids.source.text)]
        grade = next((b.text for b in ids.intent.children if b.state == "down"), "C")
        self.save_record("call", name=ids.name.text, phone=ids.phone.text, rep=None,
                         data={"source": source, "intent": grade, "topic": ids.topic.text.strip(),
                               "notes": ids.notes.text.strip()})

    def clear_form(self) -> None:
        super().clear_form()
        self.ids.source.text = self.t("source.online")
        for button in self.ids.intent.children:
            button.state = "down" if button.text == "C" else "normal"
