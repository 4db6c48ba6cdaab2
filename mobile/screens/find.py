"""查找客户: a keystroke or four — name (张), pinyin initials (zw), whole pinyin, the phone or
its last four digits — over the replica and this tablet's records; tap one for the card. Not
while a pinyin input method is mid-composition (the search runs on the committed hanzi)."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory

from ..fonts import readable
from ..services.search import FoundCustomer, is_whole_phone, name_placeholder_key, searchable
from .base import FieldsyncScreen
from .forms import composing


class FindScreen(FieldsyncScreen):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._search, 0.1)
        self.found: list[FoundCustomer] = []
        self.searches_done = 0

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        self.ids.query.bind(composing=lambda _field, now: None if now else self.on_typed())

    def refresh(self) -> None:
        self.on_typed()

    def on_typed(self, *_args) -> None:
        self._trigger()

    def _search(self, _dt=None) -> None:
        if composing(self.ids.query):
            return  # half-composed pinyin: searched once committed
        query = self.ids.query.text
        if not query.strip():
            self._show(query, [])
            return
        self.app.tasks.run(lambda: self.app.search.find(query), lambda found: self._show(query, found))

    def _show(self, query: str, found: list[FoundCustomer]) -> None:
        if query != self.ids.query.text:
            return  # an older answer: the desk typed on
        self.found, self.searches_done = found, self.searches_done + 1
        rows = self.ids.rows
        rows.clear_widgets()
        if query.strip() and not searchable(query):  # emoji or symbols only (QA5 F6f): say what is searched
            rows.add_widget(Factory.InfoLabel(text=self.t("find.unsearchable")))
        elif query.strip() and not found:
            rows.add_widget(Factory.InfoLabel(text=self.t(self._none_key(query))))
        for customer in found:
            text = self.t("find.row", name=customer.name or self.t(name_placeholder_key(customer.owner_name)), phone=customer.phone_shown,
                          owner=customer.owner_name or self.t("find." + (customer.ownership_note or "no_owner")))
            if customer.owner_name and customer.ownership_note:  # the owner, and this tablet's record held back
                text += self.t("find.own_" + customer.ownership_note)
            elif customer.own:
                text += self.t("find.own")
            row = Factory.ListRow(text=readable(text))
            row.bind(on_release=lambda _row, c=customer: self.open(c))
            rows.add_widget(row)

    def _none_key(self, query: str) -> str:
        """What an empty result says: on a rep's tablet a whole phone may be another rep's
        customer, whose number the tablet does not hold (issue 14, docs/privacy.md)."""
        rep = self.app.profile.current.user.get("role") == "rep"
        return "find.none_rep_phone" if rep and is_whole_phone(query) else "find.none"

    def open(self, customer: FoundCustomer) -> None:
        self.app.screen("card").show_customer(customer)
        self.app.show("card")
