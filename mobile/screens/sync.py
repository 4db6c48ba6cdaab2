"""同步: what is waiting, what the server rejected and why; correct or withdraw a rejected record
(void, 作废, a rejected rotation record: it names no customer to correct) — only one the
signed-in user may (``RecordRights``: on a shared tablet another user's record says who entered
it and who may, instead of offering what the server would refuse);
which registrations a manager has confirmed (审核确认), by whom and when.

Nothing rejected disappears unseen: a rejected record stays listed, with the server's reason,
until a correction (a new record with ``supersedes``) or a withdrawal replaces it.
"""

from __future__ import annotations

import re

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.popup import Popup

from shared.errors import Problem, RecordInvalid

from ..messages import call_failure_text, joined_sentences, problem_text, refusal_text
from ..services.ownership_alerts import ownership_alerts
from ..services.record_rights import RecordRights
from ..store import OutboxEntry, StoreError
from .base import FieldsyncScreen


class CorrectionPopup(Popup):
    """Edit the name, phone and receiving rep of a rejected record, or give a withdrawal reason."""

    entry = ObjectProperty(None)
    mode = StringProperty("correct")  # correct | withdraw | void (a rotation record: withdraw, 作废)
    screen = ObjectProperty(None)
    applied = BooleanProperty(False)  # its record was saved: a later tap on 确定 does nothing


class SyncScreen(FieldsyncScreen):
    summary = StringProperty("")
    detail = StringProperty("")
    alerts = StringProperty("")  # own walk-ins now another rep's or disputed (issue 9)
    # "上次同步：HH:MM · N 条待发送" in the banner's reserved band while no banner shows (QA5 F5)
    status_line = StringProperty("")
    progress = StringProperty("")  # "已同步 N / 约 M 条" while a pull runs (issue 13); "" otherwise
    progress_done = NumericProperty(0)
    progress_about = NumericProperty(1)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: list[OutboxEntry] = []
        self.reps: list[dict] = []
        self.popup: CorrectionPopup | None = None
        self.rights = RecordRights()  # who may correct or withdraw which record (loaded with the list)

    def refresh(self) -> None:
        def load():
            store = self.app.store
            entries = store.outbox(("pending", "held", "rejected"), limit=200) + store.outbox(("accepted",), limit=20)
            taken_back = {e.supersedes for e in entries if e.type == "withdrawal" and e.supersedes}
            targets = []
            for record_id in taken_back:
                try:
                    targets.append(store.outbox_entry(record_id))
                except StoreError:  # not this tablet's (cannot happen for its own withdrawals)
                    pass
            return (entries, store.counts(), store.users(active_only=False), store.get_meta("last_success"),
                    ownership_alerts(store), targets, store.unsent_authors(), RecordRights.load(store))

        self.app.tasks.run(load, self._show)

    def on_sync_status(self, status) -> None:
        self.show_progress(status.progress)
        if status.progress is None:  # mid-pull the store is busy loading: the listing waits for the end
            self.refresh()

    def show_progress(self, progress: tuple[int, int] | None) -> None:
        """'已同步 N / 约 M 条' and the bar, from the worker's status (already on the UI thread)."""
        if progress is None:
            self.progress, self.progress_done, self.progress_about = "", 0, 1
            return
        done, about = progress
        self.progress_done, self.progress_about = done, max(about, done, 1)
        self.progress = self.t("sync.progress", done=done, about=about)

    def sync_now(self) -> None:
        self.app.sync_now()

    def _show(self, loaded) -> None:
        entries, counts, reps, last_success, alerts, targets, others, rights = loaded
        self.entries, self.rights = entries, rights
        self.alerts = self.alert_text(alerts)
        self.reps = [u for u in reps if u["role"] == "rep" and u["active"]]
        status = self.app.status
        names = self.app.profile.current.names  # every user the tablet holds, deactivated reps too
        self.summary = "\n".join([self.t("sync.summary", pending=counts["pending"], rejected=counts["rejected"]),
                                   *[self.t("sync.other_author", name=names.get(user, user), count=count)
                                     for user, count in sorted(others.items())]])  # 切换用户 (QA14 H1)
        self.status_line = self.t("sync.status_line", pending=counts["pending"],
                                  time=self.app.time_text(last_success) if last_success else self.t("status.never"))
        self.detail = self.t("sync.last_error", error=self._error_words(status)) if status.last_error else ""
        rows = self.ids.rows
        rows.clear_widgets()
        if not entries:
            rows.add_widget(Factory.InfoLabel(text=self.t("sync.empty")))
        by_id = {entry.id: entry for entry in [*targets, *entries]}  # what each withdrawal takes back
        for entry in entries:
            rows.add_widget(self._row(entry, names, by_id))

    def _error_words(self, status) -> str:
        if status.last_error_code == "offline":
            return self.t("err.offline")
        if status.last_error_code == "server_error":
            code = status.server_code if status.server_code not in ("", "server_error") else ""
            return self.t("err.server", status=status.last_error_status, code=f", {code}" if code else "")
        if status.last_error_code in ("device_revoked", "user_inactive"):
            return self.t("err.blocked." + status.last_error_code)
        if status.needs_sign_in:
            return self.t("err.auth")
        if status.last_error_code not in ("", "rejected", "internal"):  # the server's code: the tablet's words
            return call_failure_text(status.last_error_code, 0, status.last_error, self.app.lang)
        return status.last_error

    def _what(self, entry: OutboxEntry) -> str:
        """What a row is about: the customer's name, or for a rotation record what happened at
        the desk (到岗, 接待, …)."""
        if entry.type == "rotation":  # no customer
            return self.t("rotation.event." + str((entry.wire.get("data") or {}).get("event")))
        return entry.customer_name or "—"

    def _row(self, entry: OutboxEntry, names: dict, by_id: dict[str, OutboxEntry]):
        state = "superseded" if entry.superseded_by else entry.state
        name, rep = self._what(entry), entry.rep
        target = by_id.get(entry.supersedes or "") if entry.type == "withdrawal" else None
        if target is not None:  # a withdrawal says what it takes back (QA re-check of issue 12, C: "撤回 · · - ·")
            name = self.t("sync.withdraws", seq=target.seq, type=self.t("type." + target.type), what=self._what(target))
            rep = target.rep
        text = self.t("sync.row", seq=entry.seq, type=self.t("type." + entry.type), name=name,
                      rep=names.get(rep or "", rep or "—"), time=self.app.time_text(entry.captured_at))
        text += self.t("sync.state_mark", state=self.t("sync.state." + state))  # 【被退回】 / [rejected] (QA14 L4)
        if entry.confirmed:
            text += "  " + self.confirmation_text(entry, names)
        box = Factory.BoxLayout(orientation="vertical", size_hint_y=None, spacing="4dp", padding="6dp")
        label = Factory.InfoLabel(text=text)
        box.add_widget(label)
        height = label.height
        if entry.owner_withheld or entry.owner_dismissed:  # issue 14: stored; its owner waits, or was refused (N3)
            note = Factory.InfoLabel(text=self.dismissal_text(entry) if entry.owner_dismissed
                                     else self.t("sync.owner_withheld"))
            box.add_widget(note)
            height += note.height
        if entry.state == "held":
            label.color = (0.7, 0.4, 0.0, 1)
            status = re.search(r"Server error \((\d{3})", entry.error_message or "")  # client.py's wording
            reason = self.t("err.server", status=status.group(1), code="") if status else entry.error_message
            why = Factory.InfoLabel(text=self.t("sync.reason", reason=reason or entry.error_code or ""))
            box.add_widget(why)
            height += why.height
        if entry.state == "rejected":
            label.color = (0.7, 0.1, 0.1, 1)
            # the tablet's own words for the server's code, the person by display name; never the
            # server's English sentence beside it (issue 14 F7: it named the rep by username)
            error = {"code": entry.error_code, "message": entry.error_message, "field": entry.error_field}
            reason = refusal_text(error, self.app.lang, entry.type, names, rep=entry.rep or "",
                                  user=str(self.app.profile.current.user.get("username") or ""))
            why = Factory.InfoLabel(text=self.t("sync.reason", reason=reason))
            box.add_widget(why)
            height += why.height
            refusal = self.refusal(entry) if entry.needs_attention else None
            if refusal is not None:  # another user's (a shared tablet): not offered, and why
                note = Factory.InfoLabel(text=problem_text(refusal, self.app.lang), color=(0.45, 0.3, 0.0, 1))
                box.add_widget(note)
                height += note.height
            elif entry.needs_attention:
                buttons = Factory.BoxLayout(size_hint_y=None, height="64dp", spacing="12dp")
                for key, mode in self.actions(entry):
                    button = Factory.SmallButton(text=self.t(key))
                    button.bind(on_release=lambda _b, e=entry, m=mode: self.open_popup(e, m))
                    buttons.add_widget(button)
                buttons.add_widget(Factory.Widget())
                box.add_widget(buttons)
                height += 64
        box.height = height + 24
        return box

    def refusal(self, entry: OutboxEntry) -> Problem | None:
        """Why the signed-in user may not correct, withdraw or void ``entry`` (another user's
        record on a shared tablet: the server would refuse it ``not_own_record``, ``RecordRights``);
        None: the actions are offered."""
        return self.rights.entry_refusal(entry, "void" if entry.type == "rotation" else "correct_or_withdraw")

    @staticmethod
    def actions(entry: OutboxEntry) -> tuple[tuple[str, str], ...]:
        """What a person can do with a rejected record: correct or withdraw it; a rotation
        record (排班) names no customer, so there is nothing to correct: void it (作废, a
        withdrawal kept on the tablet) and record the event again on the board."""
        if entry.type == "rotation":
            return (("sync.void", "void"),)
        return (("sync.correct", "correct"), ("sync.withdraw", "withdraw"))

    def confirmation_text(self, entry: OutboxEntry, names: dict) -> str:
        """'已确认：赵敏 11-22 18:05': who confirmed the registration (审核确认) and when, in the
        site's zone; the manager's username when the replica does not know the name."""
        who = entry.confirmed_by_name or names.get(entry.confirmed_by or "") or entry.confirmed_by or ""
        return self.t("sync.confirmed", name=who, time=self.app.time_text(entry.confirmed_at)[5:])

    def dismissal_text(self, entry: OutboxEntry) -> str:
        """'赵敏 于 12-01 18:05 不予确认（原因：…）…': who refused the record's ownership and when
        (issue 14 N3), from the record as pulled back; the reason alone until it was pulled."""
        reason = entry.error_message or "—"
        if entry.dismissed_by_name and entry.dismissed_at:
            return self.t("sync.owner_dismissed_by", by=entry.dismissed_by_name, reason=reason,
                          time=self.app.time_text(entry.dismissed_at)[5:])
        return self.t("sync.owner_dismissed", reason=reason)

    def open_popup(self, entry: OutboxEntry, mode: str) -> CorrectionPopup:
        popup = CorrectionPopup(entry=entry, mode=mode, screen=self, title=self.t("sync." + mode))
        popup.ids.rep.values = [r["name"] for r in self.reps]
        popup.ids.rep.text = self.app.profile.current.names.get(entry.rep or "", "")
        customer = entry.wire.get("customer") or {}
        popup.ids.name.text, popup.ids.phone.text = customer.get("name", ""), customer.get("phone", "")
        self.popup = popup
        popup.open()
        return popup

    def apply_popup(self, popup: CorrectionPopup) -> None:
        """Save the correction, withdrawal or void in ``popup``: one press = one record (the
        button is disabled while it saves, ``save_once``; a tap reaching a popup that already
        closed does nothing, and the store refuses to replace a record twice)."""
        if self.saving or popup.applied:  # (kv hands ``root`` as a weak proxy: no identity test)
            return
        entry, ids = popup.entry, popup.ids
        if popup.mode in ("withdraw", "void"):
            reason = ids.reason.text.strip()
            if not reason:
                popup.error = self.t("common.required", fields=self.t(f"sync.{popup.mode}_reason"))
                return
            work, done_key = (lambda: self.app.capture.withdraw(entry.id, reason)), (
                "sync.withdrawn" if popup.mode == "withdraw" else "sync.voided")
        else:
            rep = next((r["username"] for r in self.reps if r["name"] == ids.rep.text), entry.rep)
            name, phone = ids.name.text, ids.phone.text
            work, done_key = (lambda: self.app.capture.correct(entry.id, name=name, phone=phone, rep=rep)), "sync.corrected"

        def done(_wire) -> None:
            popup.applied = True
            popup.dismiss()
            self.popup = None
            self.say(self.t(done_key), "ok")
            self.app.sync_now()
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecordInvalid):
                kind = "withdrawal" if popup.mode in ("withdraw", "void") else entry.type
                popup.error = joined_sentences([problem_text(p, self.app.lang, kind) for p in exc.problems], self.app.lang)
            else:
                popup.error = str(exc)

        self.save_once(work, done, failed)
