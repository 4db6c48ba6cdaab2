"""排班: the rotation board. Mark reps present / absent / on the manager's errand; see who is next."""

from __future__ import annotations

from kivy.factory import Factory

from shared.rotation import Rotation

from .base import FieldsyncScreen

STATUS_KEYS = {"present": "rotation.present", "absent": "rotation.absent", "assigned": "rotation.assigned"}


class RotationScreen(FieldsyncScreen):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.board: Rotation | None = None
        self.names: dict[str, str] = {}

    def refresh(self) -> None:
        def load():
            return self.app.rotation.reps(), self.app.rotation.board()

        self.app.tasks.run(load, self._show)

    def set_status(self, rep: str, status: str) -> None:
        self.app.tasks.run(lambda: (self.app.rotation.reps(), self.app.rotation.set_status(rep, status)), self._show)

    def _show(self, loaded) -> None:
        reps, board = loaded
        self.board = board
        self.names = {r["username"]: r["name"] for r in reps}
        turn = board.next_up
        self.ids.next_up.text = (self.t("rotation.next", rep=self.names.get(turn.rep, turn.rep)) if turn
                                 else self.t("rotation.nobody"))
        rows = self.ids.rows
        rows.clear_widgets()
        for pos, rep in enumerate(board.queue, 1):
            row = Factory.BoxLayout(size_hint_y=None, height="72dp", spacing="8dp")
            row.add_widget(Factory.InfoLabel(text=self.t("rotation.row", pos=pos, name=self.names.get(rep, rep),
                                                         counted=board.counted.get(rep, 0),
                                                         uncounted=board.uncounted.get(rep, 0),
                                                         owed=board.owed.get(rep, 0), lost=board.lost.get(rep, 0)),
                                             size_hint_x=0.5))
            for status, key in STATUS_KEYS.items():
                button = Factory.ChoiceButton(text=self.t(key), group=f"rot-{rep}", size_hint_x=0.5 / 3,
                                              state="down" if board.status.get(rep) == status else "normal")
                button.bind(on_release=lambda _b, r=rep, s=status: self.set_status(r, s))
                row.add_widget(button)
            rows.add_widget(row)
