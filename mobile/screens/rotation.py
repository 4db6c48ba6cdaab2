"""排班: the site's shared rotation board. The desk's "who's next" view (large: next rep, the
queue, turns owed back 补接, who is out, lunch desk, clashes) and each rep's status buttons
(present / absent / on the manager's errand). Refreshed after every sync: other tablets'
events change the board.

Undo (issue 12): 撤销上一位 withdraws this desk's last standing reception, 今日接待 lists
today's receptions by this desk (withdrawn ones with their reason, in the reader's language)
to withdraw any of them — those the signed-in user may (``DeskReception.refusal``: the desk's
and a manager's; another user's says why instead); both confirm with a reason first
(``UndoReceptionPopup``). The
withdrawal is a record like the others (saved offline, pushed at the next sync) and the board
is shown without the reception at once."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.config import Config
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.popup import Popup

from shared.errors import RecordInvalid
from shared.rotation_log import DayBoard

from ..messages import joined_sentences, problem_text, withdrawal_reason_text
from ..services.rotation_board import DeskReception
from .base import FieldsyncScreen

ROTATION_KEEPERS = ("reception", "manager")  # who records rotation events (server: rotation_desk_only)
STATUS_KEYS = {"present": "rotation.present", "absent": "rotation.absent", "assigned": "rotation.assigned"}


class UndoReceptionPopup(Popup):
    """Today's receptions by this desk (``mode`` ``list``) or the confirmation of one
    (``confirm``: what is undone, a reason required)."""

    screen = ObjectProperty(None)
    mode = StringProperty("list")
    chosen = ObjectProperty(None, allownone=True)  # the DeskReception to withdraw (confirm)
    chosen_text = StringProperty("")
    error = StringProperty("")

    def confirm(self, reception: DeskReception) -> None:
        self.screen.confirm(self, reception)


class RotationScreen(FieldsyncScreen):
    next_text = StringProperty("")
    queue_text = StringProperty("")
    owed_text = StringProperty("")
    out_text = StringProperty("")
    clash_text = StringProperty("")
    at_lunch = BooleanProperty(False)
    # a rep's own tablet shows the board without status, lunch or undo controls: the desk keeps
    # the rotation and the manager assigns errands (001 §12.3; QA of issue 12 F3)
    read_only = BooleanProperty(False)
    # a tap within a double tap's time of a saved change is the same press: without it a fast
    # double tap on 午餐值班开始 started and ended lunch (one press = at most one record)
    save_hold_s = Config.getint("postproc", "double_tap_time") / 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.board: DayBoard | None = None
        self.names: dict[str, str] = {}
        self.popup: UndoReceptionPopup | None = None
        self._refresh_soon = Clock.create_trigger(lambda _dt: self.refresh(), 0.3)  # syncs come in bursts

    def refresh(self) -> None:
        self.read_only = (self.app.user or {}).get("role") not in ROTATION_KEEPERS

        def load():
            return self.app.rotation.names(), self.app.rotation.board()

        self.app.tasks.run(load, self._show)

    def on_sync_status(self, status) -> None:
        if not status.syncing:
            self._refresh_soon()

    def set_status(self, rep: str, status: str) -> None:
        """Record ``rep``'s status (one tap = one record; none on a rep's tablet)."""
        if self.read_only or (self.board is not None and self.board.rotation.status.get(rep) == status):
            return  # a rep's tablet, or the status the board already shows: nothing to record
        self.save_once(lambda: (self.app.rotation.names(), self.app.rotation.set_status(rep, status)), self._saved,
                       self.show_failure)

    def toggle_lunch(self) -> None:
        if self.read_only:
            return
        starting = not self.at_lunch
        self.save_once(lambda: (self.app.rotation.names(), self.app.rotation.lunch(starting)), self._saved,
                       self.show_failure)

    def _saved(self, loaded) -> None:
        self._show(loaded)
        self.app.sync_now()  # the other tablets should see it as soon as there is a network

    def show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, RecordInvalid):  # what the check refused, in words (a board of a wrong day: QA F8e)
            self.say(joined_sentences([problem_text(p, self.app.lang, "rotation") for p in exc.problems],
                                      self.app.lang), "error")
            return
        self.say(self.t("rotation.not_saved", reason=str(exc)), "error")

    def person(self, rep: str) -> str:
        return self.names.get(rep, rep)

    def _show(self, loaded) -> None:
        names, board = loaded
        self.board = board
        self.names = names
        rot = board.rotation
        turn = board.next_up
        self.next_text = self.t("rotation.next", rep=self.person(turn.rep)) if turn else self.t("rotation.nobody")
        self.at_lunch = bool(rot.lunch)
        waiting = [self.person(rep) for rep in rot.queue if rot.is_present(rep) and (not rot.lunch or rep in rot.lunch)]
        self.queue_text = self.t("rotation.queue", names=self.join(waiting) or "—")
        if rot.lunch:
            self.queue_text += "\n" + self.t("rotation.lunch_desk", names=self.join(self.person(r) for r in rot.lunch))
        owed = [self.t("rotation.owed_one", name=self.person(rep), n=n) for rep in rot.queue if (n := rot.owed.get(rep, 0))]
        self.owed_text = self.t("rotation.owed", names=self.join(owed) or "—")
        out = [self.t("rotation.out_one", name=self.person(rep), status=self.t(STATUS_KEYS[status]))
               for rep, status in board.out().items()]
        self.out_text = self.t("rotation.out", names=self.join(out) or "—")
        self.clash_text = "\n".join(
            self.t("rotation.clash" if c.kind == "same_turn" else "rotation.clash_order", turn=c.turn or "?",
                   names=self.join(self.person(r) for r in c.reps), expected=self.person(c.expected or "") or "—")
            for c in board.clashes)
        if board.late:  # an earlier day's records that came late did not reorder today (QA of issue 12 M1)
            late = self.t("rotation.late", n=len(board.late), days=self.join(sorted({e.day for e in board.late if e.day})))
            self.clash_text = "\n".join(filter(None, (self.clash_text, late)))
        rows = self.ids.rows
        rows.clear_widgets()
        for pos, rep in enumerate(rot.queue, 1):
            row = Factory.BoxLayout(size_hint_y=None, height="72dp", spacing="8dp")
            row.add_widget(Factory.InfoLabel(text=self.t("rotation.row", pos=pos, name=self.person(rep),
                                                         counted=rot.counted.get(rep, 0),
                                                         uncounted=rot.uncounted.get(rep, 0),
                                                         owed=rot.owed.get(rep, 0), lost=rot.lost.get(rep, 0)),
                                             size_hint_x=1 if self.read_only else 0.5))
            for status, key in () if self.read_only else STATUS_KEYS.items():  # a rep reads the board only
                button = Factory.ChoiceButton(text=self.t(key), group=f"rot-{rep}", size_hint_x=0.5 / 3,
                                              state="down" if rot.status.get(rep) == status else "normal")
                button.bind(on_release=lambda _b, r=rep, s=status: self.set_status(r, s))
                row.add_widget(button)
            rows.add_widget(row)

    # -- undo a reception (issue 12) -----------------------------------------------------------
    def reception_text(self, r: DeskReception) -> str:
        """'10:02　第 3 轮　陈杰（新客户）' and, once withdrawn, '已撤销：<reason>'."""
        kind = self.t("rotation.undo.turn", turn=r.turn) if r.turn else self.t(f"rotation.undo.visit.{r.visit}")
        text = self.t("rotation.undo.row", time=self.app.time_text(r.captured_at)[11:16], kind=kind,
                      name=self.person(r.rep))
        if r.withdrawal is not None:
            text += "\n" + self.t("rotation.undo.withdrawn",
                                   reason=withdrawal_reason_text(r.withdrawal, self.app.lang, self.names))
        return text

    def undo_last(self) -> None:
        """Confirm and withdraw this desk's last standing reception of today."""
        def shown(receptions: list[DeskReception]) -> None:
            last = next((r for r in receptions if not r.withdrawn), None)
            if last is None:
                self.say(self.t("rotation.undo.none"), "info")
            elif last.refusal is not None:  # another user's, not desk work: the server would refuse it
                self.say(problem_text(last.refusal, self.app.lang), "error")
            else:
                self.open_undo().confirm(last)
        self.app.tasks.run(self.app.rotation.desk_receptions, shown, self.show_failure)

    def open_undo(self) -> UndoReceptionPopup:
        """The list of today's receptions by this desk (loaded off the UI thread)."""
        popup = UndoReceptionPopup(screen=self, title=self.t("rotation.undo.title"))
        self.popup = popup
        popup.bind(on_dismiss=lambda _p: setattr(self, "popup", None))
        popup.open()
        self.app.tasks.run(self.app.rotation.desk_receptions, lambda found: self._list(popup, found),
                           self.show_failure)
        return popup

    def _list(self, popup: UndoReceptionPopup, receptions: list[DeskReception]) -> None:
        rows = popup.ids.rows
        rows.clear_widgets()
        if not receptions:
            rows.add_widget(Factory.InfoLabel(text=self.t("rotation.undo.empty")))
        for r in receptions:
            refused = r.refusal is not None and not r.withdrawn  # not offered: why instead of 撤销
            row = Factory.BoxLayout(size_hint_y=None, height="112dp" if refused else "76dp", spacing="8dp")
            text = self.reception_text(r) + ("\n" + problem_text(r.refusal, self.app.lang) if refused else "")
            row.add_widget(Factory.InfoLabel(text=text, size_hint_x=1 if refused else 0.75,
                                             color=(0.5, 0.5, 0.55, 1) if r.withdrawn else (0.1, 0.1, 0.15, 1)))
            if not r.withdrawn and not refused:
                button = Factory.SmallButton(text=self.t("rotation.undo.one"), size_hint_x=0.25)
                button.bind(on_release=lambda _b, one=r: self.confirm(popup, one))
                row.add_widget(button)
            rows.add_widget(row)

    def confirm(self, popup: UndoReceptionPopup, reception: DeskReception) -> None:
        popup.chosen, popup.mode, popup.error = reception, "confirm", ""
        popup.chosen_text = self.t("rotation.undo.confirm", row=self.reception_text(reception))
        popup.ids.reason.text = ""

    def apply_undo(self, popup: UndoReceptionPopup) -> None:
        """Withdraw the chosen reception with the reason typed; the board without it at once."""
        chosen, reason = popup.chosen, popup.ids.reason.text.strip()
        if chosen is None or self.read_only:
            return
        if not reason:
            popup.error = self.t("common.required", fields=self.t("rotation.undo.reason"))
            return

        def done(loaded) -> None:
            popup.dismiss()
            kind = self.t("rotation.undo.turn", turn=chosen.turn) if chosen.turn else self.t(
                f"rotation.undo.visit.{chosen.visit}")
            self._show(loaded)
            self.say(self.t("rotation.undo.done", name=self.person(chosen.rep), kind=kind), "ok")
            self.app.sync_now()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecordInvalid):
                popup.error = joined_sentences([problem_text(p, self.app.lang, "withdrawal") for p in exc.problems],
                                               self.app.lang)
            else:
                popup.error = self.t("rotation.not_saved", reason=str(exc))

        self.save_once(lambda: (self.app.rotation.names(), self.app.rotation.withdraw_reception(chosen.id, reason)),
                       done, failed)
