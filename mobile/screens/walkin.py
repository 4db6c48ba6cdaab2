"""来访登记: the phone is looked up as it is typed; the desk sees at once who the customer is."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty

from shared.errors import RecordInvalid
from shared.records import WALKIN_SOURCES
from shared.rotation import NoRepOnDuty

from ..services.lookup import CustomerStatus
from .forms import RecordFormScreen

_EXPLAINED = ("returning", "deal", "lapsed", "disputed")  # verdicts about a known customer
MAX_EXPLANATION_LINES = 6  # compact: the banner stays the first thing the desk reads

_KIND = {"new": "ok", "returning": "warn", "deal": "warn", "lapsed": "info", "disputed": "error", "invalid": "error"}


class WalkinScreen(RecordFormScreen):
    verdict_text = StringProperty("")
    verdict_kind = StringProperty("info")
    explanation_text = StringProperty("")
    receiver_text = StringProperty("")
    status = ObjectProperty(None, allownone=True)
    turn = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lookup_trigger = Clock.create_trigger(self._lookup, 0.12)
        self.reps: list[dict] = []
        self.lookups_done = 0

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        if not self.ids.source.text or self.ids.source.text not in self.ids.source.values:
            self.ids.source.text = self.ids.source.values[0]
        self.app.tasks.run(self.app.rotation.reps, self._got_reps)
        self.on_typed()

    def _got_reps(self, reps: list[dict]) -> None:
        self.reps = reps
        keep = self.ids.designated.text
        self.ids.designated.values = [self.t("common.none")] + [r["name"] for r in reps]
        if keep not in self.ids.designated.values:
            self.ids.designated.text = self.t("common.none")
        self._plan()

    def on_typed(self, *_args) -> None:
        self._lookup_trigger()

    def _lookup(self, _dt=None) -> None:
        phone, name = self.ids.phone.text, self.ids.name.text
        self.app.tasks.run(lambda: self.app.lookup.check(phone, name), self._show_status)

    def _show_status(self, status: CustomerStatus) -> None:
        self.status = status
        self.lookups_done += 1
        until = self.app.time_text(status.protected_until.isoformat(), with_time=False) if status.protected_until else ""
        text = self.t("verdict." + status.verdict, owner=status.owner_name or status.owner or "", until=until)
        if status.provisional:
            text += " " + self.t("verdict.provisional")
        if status.similar:
            names = "、".join(f"{s.name} {s.phone_masked} {s.owner_name}".strip() for s in status.similar)
            text += "\n" + self.t("verdict.similar", names=names)
        self.verdict_text, self.verdict_kind = text, _KIND.get(status.verdict, "info")
        self.explanation_text = self._explanation(status)
        if status.similar and status.verdict in ("new", "typing"):
            self.verdict_kind = "warn"
        self._plan()

    @staticmethod
    def _explanation(status: CustomerStatus) -> str:
        """The rules' reasons for the owner, one line each (the lookup renders them in the
        current language: the server's text, or ``shared.explain.render`` when provisional)."""
        lines = [line for line in status.explanation if line] if status.verdict in _EXPLAINED else []
        if len(lines) > MAX_EXPLANATION_LINES:  # keep the first registration and the latest steps
            lines = lines[:1] + ["…"] + lines[-(MAX_EXPLANATION_LINES - 2):]
        return "\n".join(lines)

    def _designated_rep(self) -> str | None:
        chosen = self.ids.designated.text
        return next((r["username"] for r in self.reps if r["name"] == chosen), None)

    def _visit(self) -> tuple[str, str | None]:
        status = self.status
        if status is not None and status.verdict in ("returning", "deal", "disputed") and status.owner:
            return "returning", status.owner
        designated = self._designated_rep()
        if designated:
            return "designated", designated
        return "new", None

    def _plan(self) -> None:
        visit, rep = self._visit()

        def show(turn) -> None:
            self.turn = turn
            names = {r["username"]: r["name"] for r in self.reps}
            self.receiver_text = self.t("turn." + turn.reason, rep=names.get(turn.rep, turn.rep),
                                        owner=names.get(rep or "", rep or ""))

        def none(exc: BaseException) -> None:
            self.turn = None
            self.receiver_text = self.t("turn.nobody") if isinstance(exc, NoRepOnDuty) else str(exc)

        self.app.tasks.run(lambda: self.app.rotation.plan(visit, rep), show, none)

    # -- actions ---------------------------------------------------------------------------
    def register(self) -> None:
        ids = self.ids
        if self.turn is None:
            self.say(self.t("turn.nobody"), "error")
            return
        visit, owner = self._visit()
        turn = self.turn
        grade = next((b.text for b in ids.intent.children if b.state == "down"), "B")
        source = WALKIN_SOURCES[ids.source.values.index(ids.source.text)] if ids.source.text in ids.source.values else "walk_in"
        data = {"party_size": int(ids.party.text or 1), "source": source, "intent": grade, "notes": ids.notes.text.strip(),
                "visit": "return" if visit == "returning" else "first"}
        if visit == "designated":
            data["designated"] = True
        if turn.reason == "duty":
            data["duty"] = True
        name, phone = ids.name.text.strip(), ids.phone.text.strip()
        event = self.app.rotation.event_for(visit, turn, owner)

        def saved(wire: dict) -> None:
            names = {r["username"]: r["name"] for r in self.reps}
            self.say(self.t("walkin.saved", name=name, rep=names.get(turn.rep, turn.rep)), "ok")
            self.clear_form()
            self.app.sync_now()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecordInvalid):
                self.say(self.t("common.error", message="; ".join(self.problem_text(p) for p in exc.problems)), "error")
            else:
                self.say(self.t("common.error", message=str(exc)), "error")

        def save() -> dict:
            wire = self.app.capture.capture("walkin", name=name, phone=phone, rep=turn.rep, data=data,
                                            rotation_event=event)
            self.app.worker.refresh_counts()  # the header's count at once, even offline
            return wire

        self.app.tasks.run(save, saved, failed)

    def clear_form(self) -> None:
        ids = self.ids
        ids.phone.text = ids.name.text = ids.notes.text = ""
        ids.party.text = "1"
        ids.designated.text = self.t("common.none")
