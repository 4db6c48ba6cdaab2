"""今日来访: the desk's day (来人来电) — today's walk-ins and calls on this tablet, newest first,
with the day's counts; tap a row to look the number up again on the walk-in screen.

QA of issue 14 F8: a record the server refused (still to correct or withdraw) is counted apart
as 待处理, never as a visitor; every row names its rep (a rep deactivated since too), "—" when
there is none (a call); the phone reads as the desk typed it (these are the desk's own records).
A refused record another user captured (a shared tablet after 切换用户) says who entered it and
who may correct or withdraw it (``Visitor.refusal``): the sync screen offers the signed-in user
nothing for it."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from shared.phones import dialled_text, normalise_phone

from ..messages import problem_text
from ..services.today import DeskDay, Visitor
from .base import FieldsyncScreen
from .forms import one_line


class TodayScreen(FieldsyncScreen):
    counts_text = StringProperty("")

    def refresh(self) -> None:
        self.app.tasks.run(self.app.today.today, self._show)

    def on_sync_status(self, status) -> None:
        self.refresh()

    def _show(self, day: DeskDay) -> None:
        self.day = day
        self.counts_text = self.t("today.counts", walkins=day.walkins, calls=day.calls) + (
            self.t("today.to_fix", count=day.to_fix) if day.to_fix else "")
        rows = self.ids.rows
        rows.clear_widgets()
        if not day.visitors:
            rows.add_widget(Factory.InfoLabel(text=self.t("today.empty")))
        for visitor in day.visitors:
            text = self.t("today.row", time=self.app.time_text(visitor.captured_at)[11:16],
                          type=self.t("type." + visitor.type), name=visitor.name, phone=self._phone(visitor),
                          rep=visitor.rep_name or self.t("today.no_rep"))
            if visitor.to_fix and visitor.refusal is not None:  # another user's: who may fix it, not her
                text += self.t("today.row_to_fix_by", why=problem_text(visitor.refusal, self.app.lang))
            elif visitor.to_fix:
                text += self.t("today.row_to_fix")
            # a plain row: every Label draws a name's emoji in the symbol font (symbol_labels)
            row = Factory.ListRow(text=text, markup=False)
            row.bind(on_release=lambda _row, v=visitor: self.open(v))
            rows.add_widget(row)

    def _phone(self, visitor: Visitor) -> str:
        """The number the desk typed, grouped as it is read aloud (138 0013 8000, 010 1234 5678):
        the list shows only this tablet's own records, so nothing is hidden from the desk that
        typed it; as typed when it cannot be read."""
        try:
            return one_line(dialled_text(normalise_phone(visitor.phone,
                                                          self.app.profile.current.site.get("region") or "CN")))
        except Exception:  # noqa: BLE001 - a number the store kept but cannot read: what was typed
            return visitor.phone.strip()

    def open(self, visitor: Visitor) -> None:
        screen_name = "walkin" if visitor.type == "walkin" else "call"
        screen = self.app.screen(screen_name)
        screen.ids.phone.text, screen.ids.name.text = visitor.phone, visitor.name
        self.app.show(screen_name)
