"""排班: the site's shared rotation board. The desk's "who's next" view (large: next rep, the
queue, turns owed back 补接, who is out, lunch desk, clashes) and each rep's status buttons
(present / absent / on the manager's errand). Refreshed after every sync: other tablets'
events change the board."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from shared.rotation_log import DayBoard

from .base import FieldsyncScreen

STATUS_KEYS = {"present": "rotation.present", "absent": "rotation.absent", "assigned": "rotation.assigned"}


class RotationScreen(FieldsyncScreen):
    next_text = StringProperty("")
    queue_text = StringProperty("")
    owed_text = StringProperty("")
    out_text = StringProperty("")
    clash_text = StringProperty("")
    at_lunch = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.board: DayBoard | None = None
        self.names: dict[str, str] = {}
        self._refresh_soon = Clock.create_trigger(lambda _dt: self.refresh(), 0.3)  # syncs come in bursts

    def refresh(self) -> None:
        def load():
            return self.app.rotation.reps(), self.app.rotation.board()

        self.app.tasks.run(load, self._show)

    def on_sync_status(self, status) -> None:
        if not status.syncing:
            self._refresh_soon()

    def set_status(self, rep: str, status: str) -> None:
        self.app.tasks.run(lambda: (self.app.rotation.reps(), self.app.rotation.set_status(rep, status)), self._saved,
                           self.show_failure)

    def toggle_lunch(self) -> None:
        starting = not self.at_lunch
        self.app.tasks.run(lambda: (self.app.rotation.reps(), self.app.rotation.lunch(starting)), self._saved,
                           self.show_failure)

    def _saved(self, loaded) -> None:
        self._show(loaded)
        self.app.sync_now()  # the other tablets should see it as soon as there is a network

    def show_failure(self, exc: BaseException) -> None:
        self.say(self.t("rotation.not_saved", reason=str(exc)), "error")

    def person(self, rep: str) -> str:
        return self.names.get(rep, rep)

    def _show(self, loaded) -> None:
        reps, board = loaded
        self.board = board
        self.names = {r["username"]: r["name"] for r in reps}
        rot = board.rotation
        turn = board.next_up
        self.next_text = self.t("rotation.next", rep=self.person(turn.rep)) if turn else self.t("rotation.nobody")
        self.at_lunch = bool(rot.lunch)
        waiting = [self.person(rep) for rep in rot.queue if rot.is_present(rep) and (not rot.lunch or rep in rot.lunch)]
        self.queue_text = self.t("rotation.queue", names="、".join(waiting) or "—")
        if rot.lunch:
            self.queue_text += "\n" + self.t("rotation.lunch_desk", names="、".join(self.person(r) for r in rot.lunch))
        owed = [self.t("rotation.owed_one", name=self.person(rep), n=n) for rep in rot.queue if (n := rot.owed.get(rep, 0))]
        self.owed_text = self.t("rotation.owed", names="、".join(owed) or "—")
        out = [self.t("rotation.out_one", name=self.person(rep), status=self.t(STATUS_KEYS[status]))
               for rep, status in board.out().items()]
        self.out_text = self.t("rotation.out", names="、".join(out) or "—")
        self.clash_text = "\n".join(
            self.t("rotation.clash" if c.kind == "same_turn" else "rotation.clash_order", turn=c.turn or "?",
                   names="、".join(self.person(r) for r in c.reps), expected=self.person(c.expected or "") or "—")
            for c in board.clashes)
        rows = self.ids.rows
        rows.clear_widgets()
        for pos, rep in enumerate(rot.queue, 1):
            row = Factory.BoxLayout(size_hint_y=None, height="72dp", spacing="8dp")
            row.add_widget(Factory.InfoLabel(text=self.t("rotation.row", pos=pos, name=self.person(rep),
                                                         counted=rot.counted.get(rep, 0),
                                                         uncounted=rot.uncounted.get(rep, 0),
                                                         owed=rot.owed.get(rep, 0), lost=rot.lost.get(rep, 0)),
                                             size_hint_x=0.5))
            for status, key in STATUS_KEYS.items():
                button = Factory.ChoiceButton(text=self.t(key), group=f"rot-{rep}", size_hint_x=0.5 / 3,
                                              state="down" if rot.status.get(rep) == status else "normal")
                button.bind(on_release=lambda _b, r=rep, s=status: self.set_status(r, s))
                row.add_widget(button)
            rows.add_widget(row)
