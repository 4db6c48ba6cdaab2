"""来访登记: the phone is looked up as it is typed; the desk sees at once who the customer is."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from shared.errors import Problem, RecordInvalid
from shared.phones import dialled_text
from shared.records import WALKIN_SOURCES
from shared.rotation import NoRepOnDuty

from ..line_breaks import shorten
from ..services.lookup import CustomerStatus
from ..services.rotation_board import visit_of
from .forms import PhoneLookupScreen, one_line, verdict_kind

_EXPLAINED = ("returning", "deal", "lapsed", "disputed")  # verdicts about a known customer
MAX_EXPLANATION_LINES = 6  # compact: the banner stays the first thing the desk reads


class WalkinScreen(PhoneLookupScreen):
    record_type = "walkin"
    saved_key = "walkin.saved"
    field_ids = {"customer.phone": "phone", "customer": "phone", "customer.name": "name",
                 "data.party_size": "party", "data.source": "source", "data.notes": "notes"}
    choice_fields = ("data.source",)
    explanation_text = StringProperty("")
    receiver_text = StringProperty("")
    turn = ObjectProperty(None, allownone=True)
    # the plan shown is the one for the current phone, name and 指定接待: 登记 is enabled only
    # then (QA of issue 12 F5: for 0.1–0.2 s the previous visitor's receiver could be registered)
    plan_ready = BooleanProperty(False)
    plan_gen = 0  # bumped at every plan asked for: an older plan's answer is dropped

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reps: list[dict] = []
        self.lookups_done = 0

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        chosen = self._source()
        self.ids.source.values = [self.t("source." + s) for s in WALKIN_SOURCES]
        self.ids.source.text = self.t("source." + chosen) if chosen else self.t("form.pick")
        self.app.tasks.run(self.app.rotation.reps, self._got_reps)
        self.on_typed()

    def _got_reps(self, reps: list[dict]) -> None:
        self.reps = reps
        keep = self.ids.designated.text
        self.ids.designated.values = [self.t("common.none")] + [r["name"] for r in reps]
        if keep not in self.ids.designated.values:
            self.ids.designated.text = self.t("common.none")
        self._plan()

    def show_status(self, status: CustomerStatus) -> None:
        self.status = status
        self.lookups_done += 1
        text = self.verdict_line(status)
        if status.kind == "landline" and not self._landlines_accepted():
            text = self.t("verdict.landline", number=one_line(dialled_text(status.phone_key)))
            status = CustomerStatus("invalid", status.phone_key, kind="landline")
            self.status = status
        else:
            text += self.kind_line(status)
        self.fill_known_name(status)
        if status.provisional:
            text += " " + self.t("verdict.provisional")
        if status.similar:
            # each name shortened, its masked phone one unbreakable piece (+86 / *******1002 split: QA14)
            names = self.join(f"{shorten(s.name, 16)} {one_line(s.phone_masked)} {s.owner_name}".strip()
                              for s in status.similar)
            text += "\n" + self.t("verdict.similar", names=names)
        self.verdict_text, self.verdict_kind = text, verdict_kind(status)
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

    def _landlines_accepted(self) -> bool:
        """A site setting: may a walk-in be registered by a landline? (default: no)"""
        return bool(self.app.profile.current.site.get("walkin_landlines"))

    def _source(self) -> str | None:
        values = self.ids.source.values
        return WALKIN_SOURCES[values.index(self.ids.source.text)] if self.ids.source.text in values else None

    def _designated_rep(self) -> str | None:
        chosen = self.ids.designated.text
        return next((r["username"] for r in self.reps if r["name"] == chosen), None)

    def _visit(self) -> tuple[str, str | None]:
        status = self.status
        return visit_of(status.verdict if status else None, status.owner if status else None,
                        {r["username"] for r in self.reps}, self._designated_rep())

    def inputs_changed(self) -> None:
        self._stale_plan()

    def _stale_plan(self) -> None:
        """Nothing may be registered on the plan shown until the one for the current inputs is in."""
        self.plan_gen += 1
        self.turn, self.plan_ready = None, False
        self.receiver_text = self.t("turn.planning")

    def _plan(self) -> None:
        self._stale_plan()
        if not self.status_current():
            return  # the look-up of the current inputs is under way: it plans when it is back
        visit, rep = self._visit()
        gen = self.plan_gen

        def show(planned) -> None:
            turn, out = planned
            if gen != self.plan_gen:
                return  # planned for older inputs
            self.turn, self.plan_ready = turn, True
            names = self.app.profile.current.names
            self.receiver_text = self.t("turn." + turn.reason, rep=names.get(turn.rep, turn.rep),
                                        owner=names.get(rep or "", rep or ""))
            if out:  # 指定接待 to a rep the board marks out: allowed, said first (QA of issue 12 L4)
                self.receiver_text += "\n" + self.t("turn.designated_out." + out, rep=names.get(turn.rep, turn.rep))

        def none(exc: BaseException) -> None:
            if gen != self.plan_gen:
                return
            self.turn = None
            self.receiver_text = self.t("turn.nobody") if isinstance(exc, NoRepOnDuty) else str(exc)

        def planned():
            turn = self.app.rotation.plan(visit, rep)
            return turn, self.app.rotation.marked_out(turn.rep) if turn.reason == "designated" else None

        self.app.tasks.run(planned, show, none)

    # -- actions ---------------------------------------------------------------------------
    def register(self) -> None:
        ids = self.ids
        if self.second_tap():
            return
        if self.turn is None or not self.plan_ready:
            return  # the receiver line says why: the plan is being made, or nobody is present
        visit, owner = self._visit()
        turn = self.turn
        desk_problems = self._desk_problems()
        # nothing is taken for an answer the desk did not give (issue 14 F6): party size and
        # channel are asked for each visitor; an intent grade not chosen is not recorded
        grade = next((b.text for b in ids.intent.children if b.state == "down"), None)
        data = {"party_size": int(ids.party.text) if ids.party.text.strip() else None, "source": self._source(),
                "intent": grade, "notes": ids.notes.text.strip(), "visit": "return" if visit == "returning" else "first"}
        data = {k: v for k, v in data.items() if v is not None}
        if visit == "designated":
            data["designated"] = True
        if turn.reason == "duty":
            data["duty"] = True
        name, phone = ids.name.text.strip(), ids.phone.text.strip()
        # made in the save, off the UI thread; a rep's own tablet keeps no rotation (001 §12.3:
        # the desk keeps it), so a walk-in a rep registers is no reception of the board
        event = None if self.my_rep() else self.app.rotation.reception(visit, turn, owner)

        def saved(result: tuple[dict, int]) -> None:
            names = self.app.profile.current.names
            self.unmark()
            self.say(self.saved_text("walkin.saved_n", name, rep=names.get(turn.rep, turn.rep), n=result[1]), "ok")
            self.saved_form()
            self.app.sync_now()

        def save() -> tuple[dict, int]:
            if desk_problems:  # said together with the record's own problems (an empty name, …)
                fields = {p.field for p in desk_problems}
                raise RecordInvalid(desk_problems + [p for p in self.app.capture.problems(
                    "walkin", name=name, phone=phone, rep=turn.rep, data=data) if p.field not in fields])
            wire = self.app.capture.capture("walkin", name=name, phone=phone, rep=turn.rep, data=data,
                                            rotation_event=event)
            self.app.worker.refresh_counts()  # the header's count at once, even offline
            return wire, self.app.today.walkins_today()

        self.save_once(save, saved, self.show_failure)

    def _desk_problems(self) -> list[Problem]:
        """What the desk must fix before saving that the record's own check would not say:
        an empty party size (never taken as 1), no channel chosen (never taken as 路过到访) and a
        landline where the site wants a mobile."""
        problems = self.unanswered(party_size=int(self.ids.party.text) if self.ids.party.text.strip() else None,
                                   source=self._source())
        status = self.status
        if status is not None and status.kind == "landline" and not self._landlines_accepted():
            problems.append(Problem("invalid_phone", "a landline; this site registers walk-ins by mobile", "customer.phone"))
        return problems

    def problem_text(self, problem) -> str:
        if problem.code == "invalid_phone" and self.status is not None and self.status.kind == "landline":
            return self.t("msg.landline", label=self.t("walkin.phone"),
                          number=one_line(dialled_text(self.status.phone_key)))
        return super().problem_text(problem)

    def clear_form(self) -> None:
        """Ready for the next visitor: nothing of this one carries over (channel included)."""
        ids = self.ids
        ids.phone.text = ids.name.text = ids.notes.text = ""
        ids.party.text = ""  # asked for each visitor (issue 14 F6)
        ids.source.text = self.t("form.pick")
        ids.designated.text = self.t("common.none")
        for button in ids.intent.children:
            button.state = "normal"
