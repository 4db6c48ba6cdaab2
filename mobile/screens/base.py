"""What every screen shares: the app, translations, and a status line."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

__all__ = ["FieldsyncScreen"]


class FieldsyncScreen(Screen):
    message = StringProperty("")
    message_kind = StringProperty("info")  # info | ok | warn | error

    @property
    def app(self):
        return App.get_running_app()

    def t(self, key: str, **values) -> str:
        return self.app.t(key, self.app.lang, **values)

    def say(self, text: str, kind: str = "info") -> None:
        self.message, self.message_kind = text, kind

    def on_pre_enter(self, *args) -> None:
        self.message = ""
        self.refresh()

    def refresh(self) -> None:
        """Reload what the screen shows (off the UI thread for anything stored)."""

    def alert_text(self, alerts, most: int | None = None) -> str:
        """Ownership alerts (``services.ownership_alerts``) as lines in the app's language;
        with ``most``, the first ``most`` and a line saying how many more there are."""
        shown = alerts if most is None else alerts[:most]
        lines = [self.t("alert.disputed" if a.disputed else "alert.owner", name=a.customer_name, rep=a.rep_name,
                        owner=a.owner_name, time=self.app.time_text(a.captured_at)[5:]) for a in shown]
        if len(alerts) > len(shown):
            lines.append(self.t("alert.more", count=len(alerts) - len(shown)))
        return "\n".join(lines)

    def on_profile_changed(self) -> None:
        """The tablet's profile (site, user) was reloaded after a sync; most screens ignore it."""

    def on_language(self) -> None:
        """Re-render strings made in Python when the language changes."""
        self.refresh()
