"""A drop-down that fits the screen and a date field with a month picker (issue 14: no typed
YYYY-MM-DD, no list over the header or with its last item cut off)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime

from kivy.app import App
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.dropdown import DropDown
from kivy.uix.gridlayout import GridLayout
from kivy.uix.popup import Popup

from .device_clock import wall_now
from .services.profile import site_tz

__all__ = ["FitDropDown", "DateField", "HEADER_HEIGHT_DP", "site_today"]

HEADER_HEIGHT_DP = 76  # the screens' header (widgets.kv <Header>): a list never covers it
MARGIN_DP = 8


class FitDropDown(DropDown):
    """Opens below its spinner when the whole list fits there, else on the side with more room,
    never over the header nor past the window's edge, sized to whole rows (the last one shown
    in full; the rest scroll)."""

    def open(self, widget):
        rows = [c for c in self.container.children] if self.container else []
        row = max((c.height for c in rows), default=dp(56)) or dp(56)
        _wx, wy = widget.to_window(*widget.pos)
        _wr, wtop = widget.to_window(widget.right, widget.top)
        below = wy - dp(MARGIN_DP)
        above = Window.height - dp(HEADER_HEIGHT_DP) - wtop - dp(MARGIN_DP)
        room = below if below >= len(rows) * row or below >= above else above
        self.max_height = max(row, int(room // row) * row)
        super().open(widget)


def site_today(site: Mapping | None, now: datetime | None = None) -> date:
    """Today on the site's calendar (its ``utc_offset_minutes``; Beijing until the site is
    pulled), not the device's: a tablet whose zone is unset said 12-01 at 06:00 Beijing on 12-02
    (QA6 M6). ``now``: an aware instant (default: the device's wall clock)."""
    return (now or wall_now()).astimezone(site_tz(site)).date()


class DateField(Button):
    """A button showing a date (``value``: ISO ``YYYY-MM-DD`` or ""); a tap opens a month grid."""

    value = StringProperty("")
    allow_empty = BooleanProperty(True)
    error = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.popup: Popup | None = None
        self.bind(value=self._show)
        self._show()

    @property
    def text_value(self) -> str:
        return self.value

    def _t(self, key: str, **values) -> str:
        app = App.get_running_app()
        return app.t(key, **values) if app is not None else key

    @staticmethod
    def today() -> date:
        """Today on the site's calendar (``site_today``) for the running app's site."""
        app = App.get_running_app()
        return site_today(app.profile.current.site if app is not None and getattr(app, "profile", None) else None)

    def _show(self, *_args) -> None:
        self.text = self.value or self._t("date.none")

    def on_release(self) -> None:
        self.open_picker()

    def open_picker(self) -> None:
        shown = date.fromisoformat(self.value) if self.value else self.today()
        self.popup = Popup(title=self._t("date.pick"), size_hint=(None, None), auto_dismiss=True,
                           size=(min(dp(520), Window.width - dp(16)), min(dp(600), Window.height - dp(16))))
        self._month(shown.year, shown.month)
        self.popup.open()

    def _month(self, year: int, month: int) -> None:
        popup = self.popup
        if popup is None:  # the picker was closed before a month button's event arrived
            return
        box = Factory.BoxLayout(orientation="vertical", spacing=dp(6))
        bar = Factory.BoxLayout(size_hint_y=None, height=dp(56), spacing=dp(6))
        prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
        next_year, next_month = (year, month + 1) if month < 12 else (year + 1, 1)
        bar.add_widget(Button(text="<", size_hint_x=None, width=dp(72),
                              on_release=lambda *_: self._month(prev_year, prev_month)))
        bar.add_widget(Factory.Label(text=self._t("date.month", year=year, month=month), font_size="22sp",
                                     color=(0.1, 0.1, 0.15, 1)))
        bar.add_widget(Button(text=">", size_hint_x=None, width=dp(72),
                              on_release=lambda *_: self._month(next_year, next_month)))
        box.add_widget(bar)
        grid = GridLayout(cols=7, spacing=dp(4))
        for day_name in self._t("date.weekdays").split():
            grid.add_widget(Factory.Label(text=day_name, font_size="18sp", color=(0.35, 0.35, 0.4, 1)))
        today = self.today()
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            for day in week:
                button = Factory.DayButton(text=str(day.day), disabled=day.month != month)
                button.today, button.chosen = day == today, day.isoformat() == self.value
                button.bind(on_release=lambda _b, d=day: self.choose(d.isoformat()))
                grid.add_widget(button)
        box.add_widget(grid)
        actions = Factory.BoxLayout(size_hint_y=None, height=dp(56), spacing=dp(6))
        actions.add_widget(Button(text=self._t("date.today"), on_release=lambda *_: self.choose(today.isoformat())))
        if self.allow_empty:
            actions.add_widget(Button(text=self._t("date.clear"), on_release=lambda *_: self.choose("")))
        actions.add_widget(Button(text=self._t("common.cancel"), on_release=lambda *_: popup.dismiss()))
        box.add_widget(actions)
        popup.content = box

    def choose(self, iso: str) -> None:
        self.value = iso
        self.error = False
        if self.popup is not None:
            self.popup.dismiss()
            self.popup = None


Factory.register("FitDropDown", cls=FitDropDown)
Factory.register("DateField", cls=DateField)
