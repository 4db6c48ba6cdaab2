"""来电登记: phone inquiries are recorded, never decide ownership (R3). The caller's number is
looked up as on the walk-in screen, so the desk sees at once whose customer is calling."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from shared.records import WALKIN_SOURCES

from ..services.lookup import CustomerStatus
from .forms import RecordFormScreen

_KIND = {"new": "ok", "returning": "warn", "deal": "warn", "lapsed": "info", "disputed": "error", "invalid": "error"}


class CallScreen(RecordFormScreen):
    saved_key = "call.saved"
    record_type = "call"
    field_ids = {"customer.name": "name", "customer.phone": "phone", "customer": "phone", "data.topic": "topic",
                 "data.notes": "notes"}
    verdict_text = StringProperty("")
    verdict_kind = StringProperty("info")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lookup_trigger = Clock.create_trigger(self._lookup, 0.12)
        self.status: CustomerStatus | None = None

    def refresh(self) -> None:
        values = self.ids.source.values
        chosen = WALKIN_SOURCES[values.index(self.ids.source.text)] if self.ids.source.text in values else "online"
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        self.ids.source.text = self.t("source." + chosen)
        self.on_typed()

    def on_typed(self, *_args) -> None:
        self._lookup_trigger()

    def _lookup(self, _dt=None) -> None:
        phone, name = self.ids.phone.text, self.ids.name.text
        self.app.tasks.run(lambda: self.app.lookup.check(phone, name), self._show_status)

    def _show_status(self, status: CustomerStatus) -> None:
        self.status = status
        until = self.app.time_text(status.protected_until.isoformat(), with_time=False) if status.protected_until else ""
        text = self.t("verdict." + status.verdict, owner=status.owner_name or status.owner or "", until=until)
        if status.kind:
            text += self.t("verdict.kind", kind=self.t("phone.kind." + status.kind))
        self.verdict_text = self.t("call.lookup") + text
        self.verdict_kind = _KIND.get(status.verdict, "info")
        if status.known_name and not self.ids.name.text.strip():
            self.ids.name.text = status.known_name

    def submit(self) -> None:
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
