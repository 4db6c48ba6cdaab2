"""May the signed-in user correct, withdraw (撤回, 撤销, 作废) or refer to (退订, 换房) a record on
this tablet? The rule the server refuses ``not_own_record`` by (``shared.supersede_rights``),
applied before the tablet offers the action, so nobody does work the server refuses later.

The typical case is a shared desk tablet after 切换用户: the outbox still holds the records the
previous user captured (``outbox.author``, ``018_outbox_author``); a rep signed in on the
desk's tablet must not correct the desk's walk-ins. An outbox record of no known author
(captured before 018) is the signed-in user's, as ``SendQueue.pending_run`` sends it. A pulled
record (a deal's 退订/换房 of one) is left to the server: its author is not on the wire, and the
replica holds only the signed-in user's scope (QA: the tablet refused a rep's own 小定 pulled
on a fresh tablet). With nobody signed in (a tablet not enrolled yet, or the services' tests),
an authorless record is whoever signs in next's: allowed.

``RecordRights.load`` reads the store (off the UI thread); the snapshot it returns is pure.
``refusal`` gives the ``not_own_record`` ``Problem`` the action would meet (None: allowed),
its ``params`` carrying what a person reads (``mobile.messages.not_own_text``); ``check``
raises it as ``NotOwnRecord``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.errors import Problem
from shared.supersede_rights import may_supersede

from ..messages import not_own_text
from ..store import LocalStore, OutboxEntry, RecordRefused, StoreError

__all__ = ["RecordRights", "NotOwnRecord", "ACTIONS"]

ACTIONS = ("correct", "withdraw", "correct_or_withdraw", "void", "undo", "cancellation", "unit_change",
           "cancel_or_change")
"""What a person does to the record (``rights.action.<action>``: the verb the sentence ends with)."""


class NotOwnRecord(RecordRefused):
    """The signed-in user may not correct, withdraw or refer to this record: the server would
    refuse it ``not_own_record``; nothing was saved. ``problems`` holds that one problem (screens
    show it as any RecordInvalid: ``problem_text`` names the author in the user's language)."""

    def message(self, lang: str = "zh") -> str:
        return not_own_text(self.problems[0].params or {}, lang)


@dataclass(frozen=True)
class RecordRights:
    """Who is signed in (``username``, ``role``) and the site's users the replica holds
    (``roles``, ``names``: username -> role / display name, deactivated users too)."""

    username: str = ""
    role: str = ""
    roles: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: LocalStore) -> RecordRights:
        """Reads the store: call off the UI thread."""
        user = store.get_meta("user") or {}
        users = store.users(active_only=False)
        return cls(str(user.get("username") or ""), str(user.get("role") or ""),
                   {u["username"]: u["role"] for u in users}, {u["username"]: u["name"] or u["username"] for u in users})

    def refusal(self, action: str, *, record_type: str, author: str | None, rep: str | None,
                field: str = "supersedes") -> Problem | None:
        """The ``not_own_record`` problem ``action`` on one of this tablet's own records, of
        ``record_type``, captured by ``author`` (None: before 018, the signed-in user's) naming
        ``rep``, would meet; None when the signed-in user may."""
        if not author:
            if not self.username:
                return None  # nobody signed in: it goes as whoever signs in next, its author then
            author = self.username
        if may_supersede(self.username, self.role, target_type=record_type, author=author,
                         author_role=self.roles.get(author or ""), rep=rep):
            return None
        params = {"author": author or "", "author_name": self.names.get(author or "", author or ""),
                  "rep": rep or "", "rep_name": self.names.get(rep or "", rep or ""), "type": record_type,
                  "action": action}
        return Problem("not_own_record", f"{author or 'Another user'} captured this record; only its author, the desk "
                       "for the desk's records, or a manager may change it.", field, params)

    def entry_refusal(self, entry: OutboxEntry, action: str, field: str = "supersedes") -> Problem | None:
        """``refusal`` of one of this tablet's own records (``field``: the wire field naming it)."""
        return self.refusal(action, record_type=entry.type, author=entry.author, rep=entry.rep, field=field)

    def check(self, entry: OutboxEntry, action: str) -> None:
        """NotOwnRecord unless the signed-in user may ``action`` this own record."""
        problem = self.entry_refusal(entry, action)
        if problem is not None:
            raise NotOwnRecord([problem])

    def reference_refusal(self, store: LocalStore, record_id: str, action: str) -> Problem | None:
        """``refusal`` of referring to record ``record_id`` (a deal's ``data.refers_to``: 退订,
        换房) when it is this tablet's own record; a pulled one, or one the tablet does not hold,
        is the server's to judge: None. Reads the store."""
        try:
            entry = store.outbox_entry(record_id)
        except StoreError:
            # a pulled record: its author is not on the wire, and everything the replica holds is
            # the signed-in user's scope (records she wrote or that name her, or of a customer
            # handed to her: ``_scoped`` on the server) — the server judges it (QA: a rep's own
            # 小定 naming another rep, pulled on a fresh tablet, was refused here with a sentence
            # telling her, its 录入人, that its 录入人 may); a refusal comes back with its reason
            return None
        return self.entry_refusal(entry, action, field="data.refers_to")

    def check_reference(self, store: LocalStore, record_id: str, action: str) -> None:
        """NotOwnRecord unless the signed-in user may refer to record ``record_id``
        (``reference_refusal``)."""
        problem = self.reference_refusal(store, record_id, action)
        if problem is not None:
            raise NotOwnRecord([problem])
