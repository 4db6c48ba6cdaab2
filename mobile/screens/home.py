"""Home: big tiles for what this user's role does."""

from __future__ import annotations

from .base import FieldsyncScreen

TILES = {
    "reception": ["walkin", "call", "rotation", "complaint", "sync"],
    "rep": ["customers", "walkin", "visit", "follow", "complaint", "sync"],
    "manager": ["walkin", "call", "rotation", "customers", "visit", "follow", "complaint", "sync"],
}
LABELS = {"walkin": "home.walkin", "call": "home.call", "rotation": "home.rotation", "customers": "home.customers",
          "visit": "home.visit", "follow": "home.follow", "complaint": "home.complaint", "sync": "home.sync"}


class HomeScreen(FieldsyncScreen):
    def refresh(self) -> None:
        from kivy.factory import Factory

        user = self.app.user or {}
        self.ids.title_bar.title = self.t("home.title", site=self.app.profile.current.site_name,
                                           name=user.get("name") or user.get("username", ""))
        self.ids.role.text = self.t("role." + user.get("role", "reception"))
        grid = self.ids.tiles
        grid.clear_widgets()
        for target in TILES.get(user.get("role"), TILES["reception"]):
            tile = Factory.BigButton(text=self.t(LABELS[target]), height="120dp", font_size="26sp")
            tile.bind(on_release=lambda _b, name=target: self.app.show(name))
            grid.add_widget(tile)

    def on_profile_changed(self) -> None:
        self.refresh()  # the first pull brings the site's name

    def switch_user(self) -> None:
        self.app.show("enrol")
