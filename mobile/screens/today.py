"""今日来访: the desk's day (来人来电) — today's walk-ins and calls on this tablet, newest first,
with the day's counts; tap a row to look the number up again on the walk-in screen."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from shared.phones import mask_phone, normalise_phone

from ..fonts import readable
from ..services.today import DeskDay, Visitor
from .base import FieldsyncScreen


class TodayScreen(FieldsyncScreen):
    counts_text = StringProperty("")

    def refresh(self) -> None:
        self.app.tasks.run(self.app.today.today, self._show)

    def on_sync_status(self, status) -> None:
        self.refresh()

    def _show(self, day: DeskDay) -> None:
        self.day = day
        self.counts_text = self.t("today.counts", walkins=day.walkins, calls=day.calls)
        rows = self.ids.rows
        rows.clear_widgets()
        if not day.visitors:
            rows.add_widget(Factory.InfoLabel(text=self.t("today.empty")))
        names = self.app.profile.current.names  # deactivated reps too
        for visitor in day.visitors:
            row = Factory.ListRow(text=readable(self.t("today.row", time=self.app.time_text(visitor.captured_at)[11:16],
                                                  type=self.t("type." + visitor.type), name=visitor.name,
                                                  phone=self._phone(visitor), rep=names.get(visitor.rep or "", ""))))
            row.bind(on_release=lambda _row, v=visitor: self.open(v))
            rows.add_widget(row)

    def _phone(self, visitor: Visitor) -> str:
        """The number as the desk typed it, shown masked in the list (the desk sees it in full on the form)."""
        try:
            return mask_phone(normalise_phone(visitor.phone, self.app.profile.current.site.get("region") or "CN"))
        except Exception:  # noqa: BLE001 - a number the store kept but cannot read: show none
            return ""

    def open(self, visitor: Visitor) -> None:
        screen_name = "walkin" if visitor.type == "walkin" else "call"
        screen = self.app.screen(screen_name)
        screen.ids.phone.text, screen.ids.name.text = visitor.phone, visitor.name
        self.app.show(screen_name)
