"""来电登记: phone inquiries are recorded, never decide ownership (R3)."""

from __future__ import annotations

from shared.records import WALKIN_SOURCES

from .forms import RecordFormScreen


class CallScreen(RecordFormScreen):
    saved_key = "call.saved"

    def refresh(self) -> None:
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        if self.ids.source.text not in self.ids.source.values:
            self.ids.source.text = self.ids.source.values[WALKIN_SOURCES.index("online")]

    def submit(self) -> None:
        ids = self.ids
        source = WALKIN_SOURCES[ids.source.values.index(ids.source.text)]
        grade = next((b.text for b in ids.intent.children if b.state == "down"), "C")
        self.save_record("call", name=ids.name.text, phone=ids.phone.text, rep=None,
                         data={"source": source, "intent": grade, "topic": ids.topic.text.strip(),
                               "notes": ids.notes.text.strip()})
