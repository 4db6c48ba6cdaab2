"""来电登记: phone inquiries are recorded, never decide ownership (R3). The caller's number is
looked up as on the walk-in screen, so the desk sees at once whose customer is calling."""

from __future__ import annotations

from shared.records import WALKIN_SOURCES

from ..services.lookup import CustomerStatus
from .forms import PhoneLookupScreen, verdict_kind

CALL_VERDICTS = ("new", "lapsed")  # said without a reception (a call takes no turn, R3)


class CallScreen(PhoneLookupScreen):
    saved_key = "call.saved"
    record_type = "call"
    field_ids = {"customer.phone": "phone", "customer": "phone", "customer.name": "name", "data.source": "source",
                 "data.topic": "topic", "data.notes": "notes"}

    def refresh(self) -> None:
        chosen = self._source()
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        self.ids.source.text = self.t("source." + chosen) if chosen else self.t("form.pick")
        self.on_typed()

    def _source(self) -> str | None:
        values = self.ids.source.values
        return WALKIN_SOURCES[values.index(self.ids.source.text)] if self.ids.source.text in values else None

    def show_status(self, status: CustomerStatus) -> None:
        self.status = status
        self.verdict_text = self.t("call.lookup") + self.verdict_line(status) + self.kind_line(status)
        self.verdict_kind = verdict_kind(status)
        self.fill_known_name(status)

    def verdict_line(self, status: CustomerStatus) -> str:
        """As on 来访登记, but a call takes no turn (R3): a new or lapsed number reads without
        按排班接待 / 按新客户接待 (QA of issue 14 F9)."""
        if status.verdict in CALL_VERDICTS:
            until = self.app.time_text(status.protected_until.isoformat(), with_time=False) if status.protected_until else ""
            return self.t("call.verdict." + status.verdict, owner=status.owner_name or status.owner or "", until=until)
        return super().verdict_line(status)

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        # a channel or grade the desk did not choose is not recorded (issue 14 F6: no 网络 / C
        # stands for an answer nobody gave)
        grade = next((b.text for b in ids.intent.children if b.state == "down"), None)
        data = {"source": self._source(), "intent": grade, "topic": ids.topic.text.strip(),
                "notes": ids.notes.text.strip()}
        self.save_record("call", name=ids.name.text, phone=ids.phone.text, rep=None,
                         data={k: v for k, v in data.items() if v is not None})

    def clear_form(self) -> None:
        super().clear_form()
        self.ids.source.text = self.t("form.pick")
        for button in self.ids.intent.children:
            button.state = "normal"
