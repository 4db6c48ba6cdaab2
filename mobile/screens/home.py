"""Home: big tiles for what this user's role does, and, above them, alerts about walk-ins
this tablet registered that now belong to another rep or are disputed (issue 9)."""

from __future__ import annotations

from kivy.properties import StringProperty

from ..services.ownership_alerts import ownership_alerts
from .base import FieldsyncScreen

TILES = {
    "reception": ["walkin", "call", "find", "today", "rotation", "complaint", "sync"],
    "rep": ["due", "customers", "find", "deal", "walkin", "visit", "follow", "complaint", "sync"],
    "manager": ["walkin", "call", "find", "today", "rotation", "due", "customers", "visit", "follow", "complaint", "sync"],
}
LABELS = {"walkin": "home.walkin", "call": "home.call", "rotation": "home.rotation", "customers": "home.customers",
          "visit": "home.visit", "follow": "home.follow", "complaint": "home.complaint", "sync": "home.sync",
          "today": "today.title", "find": "find.title", "due": "due.title", "deal": "home.deal"}


class HomeScreen(FieldsyncScreen):
    alerts = StringProperty("")

    def refresh(self) -> None:
        from kivy.factory import Factory

        user = self.app.user or {}
        self.ids.title_bar.title = self.t("home.title", site=self.app.profile.current.site_name,
                                           name=user.get("name") or user.get("username", ""))
        self.ids.role.text = self.t("role." + user.get("role", "reception"))
        grid = self.ids.tiles
        grid.clear_widgets()
        for target in TILES.get(user.get("role", "reception"), TILES["reception"]):
            tile = Factory.BigButton(text=self.t(LABELS[target]), height="120dp", font_size="26sp")
            tile.bind(on_release=lambda _b, name=target: self.app.show(name))
            grid.add_widget(tile)
        self.load_alerts()

    def load_alerts(self) -> None:
        store = self.app.store
        self.app.tasks.run(lambda: ownership_alerts(store), lambda alerts: setattr(
            self, "alerts", self.alert_text(alerts, most=3)))

    def on_sync_status(self, status) -> None:
        self.load_alerts()  # a pull may have brought a new owner or a dispute

    def on_profile_changed(self) -> None:
        self.refresh()  # the first pull brings the site's name

    def switch_user(self) -> None:
        self.app.show("enrol")
