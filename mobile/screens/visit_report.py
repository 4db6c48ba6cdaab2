"""客户走访报告单: organisation, three scored ratings, suggestions, contact, on-screen signature."""

from __future__ import annotations

from datetime import date

from kivy.factory import Factory
from kivy.properties import StringProperty

from shared.records import RATING_SCALES, rating_score

from .forms import RecordFormScreen


class VisitReportScreen(RecordFormScreen):
    saved_key = "visit.saved"
    record_type = "visit_report"
    field_ids = {"data.organisation": "organisation", "data.address": "address", "data.legal_representative": "legal",
                 "data.visited_on": "visited_on", "data.suggestions": "suggestions", "data.contact.name": "contact_name",
                 "data.contact.title": "contact_title", "data.contact.phone": "contact_phone",
                 "data.contact.mobile": "contact_mobile", "customer.phone": "contact_mobile",
                 "customer": "contact_mobile", "data.signature.signer": "signer"}
    score_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choices: dict[str, str] = {}
        self._built = False

    def prefill(self, name: str, phone: str) -> None:
        """Start the report for a customer: they are the main contact (mobile)."""
        self.ids.contact_name.text, self.ids.contact_mobile.text = name, phone
        if not self.ids.signer.text:
            self.ids.signer.text = name

    def refresh(self) -> None:
        if not self.ids.visited_on.value:
            self.ids.visited_on.value = date.today().isoformat()
        self._build_ratings()

    def on_language(self) -> None:
        self._built = False
        self._build_ratings()

    def _build_ratings(self) -> None:
        if self._built:
            return
        self._built = True
        for scale, labels in RATING_SCALES.items():
            row = self.ids["rating_" + scale]
            row.clear_widgets()
            for label in labels:
                button = Factory.ChoiceButton(text=self.t("rating." + label), group="visit-" + scale,
                                              state="down" if self.choices.get(scale) == label else "normal",
                                              font_size="17sp")
                button.bind(on_release=lambda _b, s=scale, lab=label: self.choose(s, lab))
                row.add_widget(button)
        self._score()

    def choose(self, scale: str, label: str) -> None:
        self.choices[scale] = label
        self.just_saved = False  # a new report begun: its save is a new press
        self._score()

    def _score(self) -> None:
        parts = [f"{self.t('visit.' + s)} {rating_score(s, self.choices[s])}" for s in RATING_SCALES if s in self.choices]
        self.score_text = "  ·  ".join(parts)

    def submit(self) -> None:
        if self.second_tap():
            return
        ids = self.ids
        contact = {"name": ids.contact_name.text.strip(), "title": ids.contact_title.text.strip(),
                   "phone": ids.contact_phone.text.strip(), "mobile": ids.contact_mobile.text.strip()}
        data = {"organisation": ids.organisation.text.strip(), "address": ids.address.text.strip(),
                "legal_representative": ids.legal.text.strip(), "visited_on": ids.visited_on.value,
                "ratings": dict(self.choices), "suggestions": ids.suggestions.text.strip(),
                "contact": {k: v for k, v in contact.items() if v}}
        if not data["contact"]:
            data.pop("contact")
        if not ids.signature.signed:
            self.say(self.t("visit.unsigned"), "error")
            return
        data["signature"] = {"png_base64": ids.signature.png_base64(), "signed_on": date.today().isoformat(),
                             "signer": ids.signer.text.strip() or contact["name"]}
        phone = contact["mobile"] or contact["phone"]
        self.save_record("visit_report", name=ids.contact_name.text.strip() or data["organisation"], phone=phone,
                         rep=self.my_rep(), data=data)

    def clear_form(self) -> None:
        super().clear_form()
        self.ids.signature.clear()
        self.ids.visited_on.value = date.today().isoformat()
        self.choices.clear()
        self._built = False
        self._build_ratings()
