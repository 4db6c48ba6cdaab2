"""What every screen shares: the app, translations, and a status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from ..i18n import join_list
from ..line_breaks import shorten

__all__ = ["FieldsyncScreen"]


class FieldsyncScreen(Screen):
    message = StringProperty("")
    message_kind = StringProperty("info")  # info | ok | warn | error
    saving = BooleanProperty(False)  # a save is under way: the screen's save buttons are disabled

    @property
    def app(self):
        return App.get_running_app()

    def t(self, key: str, **values) -> str:
        return self.app.t(key, self.app.lang, **values)

    def join(self, items) -> str:
        """``items`` (strings) as one list in the app's language (``i18n.join_list``)."""
        return join_list(items, self.app.lang)

    _say_again: Callable[[], str] | None = None

    def say(self, text: str | Callable[[], str], kind: str = "info") -> None:
        """Show ``text`` in the screen's message bar; a callable is the text's recipe, run now and
        again when the language changes (QA6 M4: a message stayed in the language it was made in)."""
        self._say_again = text if callable(text) else None
        self.message, self.message_kind = (text() if callable(text) else text), kind

    # seconds ``saving`` stays on after a save came back: 0 for forms (their emptied form tells a
    # late second tap apart, ``RecordFormScreen.second_tap``); a screen of toggles sets more
    save_hold_s = 0.0

    def save_once(self, work: Callable[[], Any], done: Callable[[Any], None],
                  failed: Callable[[BaseException], None]) -> bool:
        """Run one save off the UI thread unless one is already under way (a double tap on
        登记 / 保存: one press = at most one record, QA of issue 12 F2). ``saving`` is True until
        ``done`` or ``failed`` has run on the UI thread (the kv files disable the buttons on it),
        so the form is reset or the problems are shown before another save can start (and for
        ``save_hold_s`` more). Returns False (nothing run) while a save is under way."""
        if self.saving:
            return False
        self.saving = True

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            try:
                callback(value)
            finally:
                if self.save_hold_s > 0:
                    Clock.schedule_once(lambda _dt: setattr(self, "saving", False), self.save_hold_s)
                else:
                    self.saving = False

        self.app.tasks.run(work, lambda value: finish(done, value), lambda exc: finish(failed, exc))
        return True

    def on_pre_enter(self, *args) -> None:
        self.message = ""
        self.refresh()

    def refresh(self) -> None:
        """Reload what the screen shows (off the UI thread for anything stored)."""

    @staticmethod
    def day_text(day: date, today: date, time_of_day: str = "") -> str:
        """A day as a list shows it: ``MM-DD`` in ``today``'s year, ``YYYY-MM-DD`` in any other
        (QA of issue 11, F11: a next date a year ahead, or an overdue one from last year, read as
        this year's); ``time_of_day`` (``HH:MM``) appended when given."""
        text = f"{day:%m-%d}" if day.year == today.year else day.isoformat()
        return f"{text} {time_of_day}" if time_of_day else text

    def alert_text(self, alerts, most: int | None = None) -> str:
        """Ownership alerts (``services.ownership_alerts``) as lines in the app's language;
        with ``most``, the first ``most`` and a line saying how many more there are."""
        shown = alerts if most is None else alerts[:most]
        lines = [self.t("alert.disputed" if a.disputed else "alert.owner", name=shorten(a.customer_name), rep=a.rep_name,
                        owner=a.owner_name, time=self.app.time_text(a.captured_at)[5:]) for a in shown]
        if len(alerts) > len(shown):
            lines.append(self.t("alert.more", count=len(alerts) - len(shown)))
        return "\n".join(lines)

    def on_profile_changed(self) -> None:
        """The tablet's profile (site, user) was reloaded after a sync; most screens ignore it."""

    def on_language(self) -> None:
        """Re-render strings made in Python when the language changes: the message shown (when
        ``say`` was given its recipe), then whatever ``refresh`` shows."""
        if self.message and self._say_again is not None:
            self.message = self._say_again()
        self.refresh()
