"""``GET /sync/pull``: the changes a caller may see after a cursor, in server order.

A cursor is opaque to tablets: base64url of ``{"e": <database epoch>, "c": <change id>}``.
It is served while the epoch matches and ``c`` is not ahead of the head; anything else
(another database, a restored backup that went back in time, a malformed string) is 410
``resync``. Scope: managers see everything of their site; reps their own records (written by
them or naming them as ``rep``); reception the records of its own device; everyone the site,
its users and the ownership index (phones and names only where they may see them), and
the site's ``rotation`` records (排班: every tablet folds the same board, ``shared.rotation_log``).
A manager's confirmation (R4) of a record goes to whoever may see that record.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Container, Mapping
from datetime import timedelta
from typing import Any

from shared.phones import TAG_KEYS
from shared.replica_privacy import sees_customer
from shared.timeutil import format_time, parse_time, utc_now

from ..errors import Conflict, Gone
from ..storage.base import Change, DismissedRecord, Store
from .approval import awaiting_keys
from .auth import Caller
from .conflicts import decisions_of
from .ownership import first_ever_registered
from .record_budget import DISMISSED_FIELD, WITHHELD_FIELD, dismissal_view
from .tagging import PULL_AT_MOST, keep_pulled_tags, tag_phones
from .views import (
    arrivals,
    conflict_view,
    ownership_view,
    record_fragment,
    record_view,
    serves_tag,
    site_view,
    user_view,
)

__all__ = ["pull", "check_keys", "note_pull", "PULL_NOTE_EVERY", "changes_page", "count_changes", "render_changes", "encode_cursor", "decode_cursor", "MAX_LIMIT", "DEFAULT_LIMIT"]

PULL_NOTE_EVERY = timedelta(minutes=1)
"""A device's last pull (设备/人员 最近下载) is written at most this often: a pull is a read."""
MAX_LIMIT = 1000
DEFAULT_LIMIT = 500
_RESYNC = ("This sync position is not valid on this server (the server was reset or restored, or the cursor is "
           "damaged); rebuild the server data from the start, keeping records not yet pushed.")


def encode_cursor(epoch: str, change_id: int) -> str:
    raw = json.dumps({"e": epoch, "c": change_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, epoch: str, head: int) -> int:
    """The change id a cursor stands for, or Gone(resync)."""
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        change_id = value["c"]
        # JSON true/false is no change id (bool is an int in Python; QA F5: a 500 from SQLAlchemy)
        ok = (value["e"] == epoch and isinstance(change_id, int) and not isinstance(change_id, bool)
              and 0 <= change_id <= head)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise Gone("resync", _RESYNC, zh="此同步位置在本服务器上无效（服务器已重置或恢复，或游标已损坏）：请从头重新下载服务器数据，"
                   "尚未上传的记录会保留。")
    return change_id


def _scope(caller: Caller) -> tuple[str, str] | None:
    if caller.is_manager:
        return None
    if caller.role == "rep":
        return ("user", caller.user.username)
    return ("device", caller.device.id)


def check_keys(caller: Caller, keys: str) -> None:
    """Refuse a pull or snapshot asking ``keys=tag`` where no tag would come back (QA of issue
    14, M2): the site is set to ``replica_keys = tag2``, or the caller moved to ``tag2`` on
    another tablet (``views.serves_tag``). Served, such a tablet of the first release synced
    without a word and told the desk 新客户 for every returning customer; refused, it shows the
    code with "update the app" (its sentence for a code it does not know) and keeps pushing —
    the push comes first in a sync, nothing is lost. ``Conflict`` (409) ``app_too_old``."""
    if keys == "tag" and not serves_tag(caller.site, keys, caller.user):
        raise Conflict("app_too_old", "This app is too old for the site's protection of customers' phone numbers "
                       "(it asks keys=tag, no longer served here): update the app on this tablet, then sync "
                       "again. Its records are still sent to the server; nothing is lost.",
                       zh="本机应用版本过旧，本案场已不再向它提供客户号码的比对信息：请更新本机应用后再同步。"
                          "本机填写的记录仍会上传，不会丢失。")


def pull(store: Store, caller: Caller, cursor: str | None, limit: int, rendered: bool = True,
         keys: str = "hash") -> dict:
    """One page: ``{"changes", "cursor", "more", "about"}``. ``about`` (added in issue 13) is
    how many change ids lie between the cursor and the head at read time: an upper bound of
    the changes still to come (ids of other scopes and gaps count), for a progress display.
    ``rendered``: explanation steps carry ``text`` (False: ``steps=params``, ``views.plain_steps``).
    ``keys``: how customers are named by phone (``views.phone_keys``: ``tag`` for ``keys=tag``,
    issue 14; ``hash``, the old form); ``keys=tag`` where no tag would come: ``check_keys``.
    Records of another device whose phone the tagger has not reached yet get their tag computed
    here (at most ``tagging.PULL_AT_MOST``, ``render_changes(computed=…)``) and stored after the
    read, as the tagger would store it."""
    check_keys(caller, keys)
    computed: dict[str, str] = {}
    with store.read():
        epoch, head = store.epoch(), store.head(caller.site.id)
        after = decode_cursor(cursor or "", epoch, head)
        changes, more = changes_page(store, caller, after, head, limit)
        body = render_changes(store, caller, changes, rendered, keys, computed=computed)
    keep_pulled_tags(store, caller.site.id, computed, keys)  # the tagger's work, done: not computed twice
    next_id = changes[-1].change_id if more else head
    note_pull(store, caller, keys)
    return {"changes": body, "cursor": encode_cursor(epoch, next_id), "more": more, "about": head - after}


def note_pull(store: Store, caller: Caller, keys: str = "hash") -> None:
    """Remember the caller's device pulled now (``Store.note_pull``), unless it did less than
    ``PULL_NOTE_EVERY`` ago (its ``last_pull_at`` came with the token's look-up: no extra read);
    and, for a first ``keys=tag2`` pull of the user, that the user moved to the costlier tags
    (``Store.note_tag2``: their ``keys=tag`` pulls carry no tags from then on, issue 14)."""
    now = utc_now()
    if keys == "tag2" and caller.user.tag2_since is None:
        store.note_tag2(caller.site.id, caller.user.username, format_time(now))
    last = caller.device.last_pull_at
    if last is None or now - parse_time(last) >= PULL_NOTE_EVERY:
        store.note_pull(caller.site.id, caller.device.id, format_time(now))


def changes_page(store: Store, caller: Caller, after: int, upto: int, limit: int,
                 texts: bool = False) -> tuple[list[Change], bool]:
    """The first ``limit`` changes the caller may see with ``after < change_id <= upto``, in
    change id order, and whether more follow (inside the caller's ``store.read()``). ``texts``:
    with the stored JSON texts (``Store.changes_after``), for ``render_changes(spliced=True)``."""
    scope = _scope(caller)
    changes = store.changes_after(caller.site.id, after, upto, limit + 1, record_scope=scope,
                                  conflicts=caller.is_manager, texts=texts)
    # merging the first limit+1 of each keeps the first limit+1 of both in change id order
    changes += store.confirmations_after(caller.site.id, after, upto, limit + 1, record_scope=scope)
    changes.sort(key=lambda c: c.change_id)
    return changes[:limit], len(changes) > limit


def count_changes(store: Store, caller: Caller, after: int, upto: int) -> int:
    """How many changes ``changes_page`` gives in all for ``after < change_id <= upto`` (the
    same scope; counted in the database, inside the caller's ``store.read()``)."""
    return store.count_changes(caller.site.id, after, upto, record_scope=_scope(caller), conflicts=caller.is_manager)


def render_changes(store: Store, caller: Caller, changes: list[Change], rendered: bool = True,
                   keys: str = "hash", spliced: bool = False, memo: dict[str, Any] | None = None,
                   computed: dict[str, str] | None = None) -> list[dict]:
    """The changes as the documented shapes (a few reads for names, decisions, arrivals and
    first registrations of the whole list, never one per change). ``rendered``: explanation
    steps with ``text`` (an old tablet) or without (one that renders them, ``steps=params``).
    ``keys``: ``tag`` or ``tag2`` (issue 14) also gives each record its customer's tag of that
    kind as ``phone_tag`` (one read of the page's customers; none for ``tag`` on a site set to
    ``replica_keys = tag2``, ``views.serves_tag``) and the site its ``replica_key``; ``hash``,
    the old form. A manager's held or refused record whose phone has no customer gets the
    tagger's tag of its phone (``Store.phone_tags(held=True)``, the same read); every other
    caller's held record keeps ``phone_tag: null`` (``withhold``).
    ``spliced`` (the snapshot, issue 13): a change read with its stored JSON text
    (``Change.text``) carries that text as an ``orjson.Fragment`` where it is what the view
    would encode byte for byte (``views.record_fragment``, ``ownership_view``'s
    ``explanation_text``; held and refused records stay dicts: ``withhold`` edits them);
    ``orjson.dumps`` alone can write such a view. ``memo``: a dict kept across the calls of one
    read snapshot (the snapshot's chunks): what does not change within it is read once (a rep's
    ``phones_named_by``). ``computed`` (issue 13): a dict kept across the calls of one answer;
    a record of another device whose phone has no tag yet (the tagger's backlog after a bulk
    push) gets it computed here, up to ``tagging.PULL_AT_MOST`` an answer, and added to
    ``computed`` for the caller to store after its read (``tagging.store_phone_tags``): the tablet
    would compute it otherwise, slower, and every tablet again. Only phones ``tags`` holds (the
    same rules); the caller's own device's records are left out (its outbox holds their tags),
    and so are held and refused records but for a manager (their tag is a manager's only)."""
    names = {u.username: u.name for u in store.list_users(caller.site.id)}
    conflict_rows = [c.row for c in changes if c.kind == "conflict"]
    decisions = decisions_of(store, caller.site.id, conflict_rows)
    received = arrivals(store, conflict_rows)
    now = utc_now()
    first_ever = first_ever_registered(store, caller.site, [c.row for c in changes if c.kind == "ownership"], now)
    awaiting = awaiting_keys(store, caller.site.id) if any(c.kind == "ownership" for c in changes) else set()
    tags = None
    if keys in TAG_KEYS:
        phones = {c.row.phone_key for c in changes if c.kind == "record"} if serves_tag(caller.site, keys, caller.user) \
            else set()
        # a manager (who gets every record's tag, held ones too: ``withhold``) also gets the
        # tagger's tag of a phone only held or refused records name (0026_held_phone_tags)
        tags = store.phone_tags(caller.site.id, phones, keys, held=caller.is_manager) if phones else {}
    record_ids = [c.row.id for c in changes if c.kind == "record" and c.row.phone_key]
    held = store.held_record_ids(caller.site.id, record_ids) if record_ids else set()
    dismissed = store.dismissed(caller.site.id, record_ids) if record_ids else {}
    if computed is not None and tags:
        # a held record's tag goes to managers only (``withhold``): for anyone else it is not
        # even computed, or the answer's time would tell a customer's number from a new one
        _tag_missing(caller, changes, tags, keys, computed, () if caller.is_manager else held | set(dismissed))
    # the phones the caller's own records named: their customers' tags — and on a legacy site
    # their hashes (QA of issue 14, L2: an old rep tablet could not match its own walk-in)
    named = _named(store, caller, changes, memo) if keys in TAG_KEYS or caller.site.replica_keys == "legacy" \
        else set()
    kept = (held | set(dismissed)) if spliced else set()  # withhold edits their views: dicts
    body = [_render(change, caller, names, decisions, now, received, first_ever, rendered, keys, tags, named,
                    spliced and not (change.kind == "record" and change.row.id in kept), awaiting)
            for change in changes]
    if held or dismissed:
        by_change = {c.change_id: c.row.id for c in changes if c.kind == "record" and (c.row.id in held or c.row.id in dismissed)}
        withhold(body, by_change, caller, dismissed, names)
    return body


def _tag_missing(caller: Caller, changes: list[Change], tags: dict[str, str | None], keys: str,
                 computed: dict[str, str], skip: Container[str] = ()) -> None:
    """Fill in ``tags`` for the page's records of other devices whose phone has no tag yet
    (but the records ``skip`` names): from ``computed`` (an earlier call of this answer), else
    computed now while fewer than ``PULL_AT_MOST`` were (``tagging.tag_phones``); the new ones
    are added to ``computed``."""
    missing = sorted({c.row.phone_key for c in changes if c.kind == "record" and c.row.device_id != caller.device.id
                      and c.row.id not in skip and c.row.phone_key in tags and tags[c.row.phone_key] is None})
    known = {key: computed[key] for key in missing if key in computed}
    room = max(0, PULL_AT_MOST - len(computed))
    new = tag_phones(keys, caller.site.replica_key, [key for key in missing if key not in known][:room])
    computed.update(new)
    tags.update(known)
    tags.update(new)


def _named(store: Store, caller: Caller, changes: list[Change], memo: dict[str, Any] | None = None) -> set[str]:
    """For a rep whose page holds customers it does not see: the phones its own records named
    (``Store.phones_named_by``; their customers' tags it may hold, issue 14; read once a
    ``memo``); else nothing to read."""
    user = caller.user
    if user.role != "rep" or all(sees_customer(user.role, user.username, c.row.owner, c.row.split)
                                 for c in changes if c.kind == "ownership"):
        return set()
    if memo is not None and "named" in memo:
        return memo["named"]
    named = store.phones_named_by(caller.site.id, user.username)
    if memo is not None:
        memo["named"] = named
    return named


def withhold(body: list[dict], held: Mapping[int, str], caller: Caller,
             dismissed: Mapping[str, DismissedRecord] | None = None, names: Mapping[str, str] | None = None) -> None:
    """Held records (``record_budget``, issue 14; ``held``: change id -> record id) come with
    ``owner_withheld: true`` and, but for a manager, ``phone_tag: null``: the tag of an existing
    customer would name its owner. A held record a manager refused (``dismissed``, 不予确认,
    issue 14 N3) stays so for ever and also carries ``owner_dismissed``: ``{"by", "by_name",
    "at", "reason"}`` (docs/protocol.md)."""
    dismissed = dismissed or {}
    for change in body:
        record_id = held.get(change["change_id"])
        if record_id is not None:
            record = change["record"]
            record[WITHHELD_FIELD] = True
            if "phone_tag" in record and not caller.is_manager:
                record["phone_tag"] = None
            refusal = dismissed.get(record_id)
            if refusal is not None:
                record[DISMISSED_FIELD] = dismissal_view(refusal, (names or {}).get(refusal.dismissed_by,
                                                                                     refusal.dismissed_by))


def _render(change: Change, caller: Caller, names: dict[str, str], decisions: dict, now,
            received: dict[str, str], first_ever: dict[str, str | None], rendered: bool = True,
            keys: str = "hash", tags: dict[str, str | None] | None = None,
            named: Container[str] = (), spliced: bool = False, awaiting: Container[str] = ()) -> dict:
    row = change.row
    text = change.text if spliced else None
    payload: Any
    match change.kind:
        case "site":
            payload = site_view(row, keys)
        case "user":
            payload = user_view(row)
        case "record":
            payload = (text is not None and record_fragment(row, text, tags)) or record_view(row, tags=tags)
        case "ownership":
            payload = ownership_view(row, caller, names, now, first_ever, rendered, keys, named, explanation_text=text,
                                     awaiting=awaiting)
        case "confirmation":
            payload = {"record_id": row.record_id, "confirmed_by": row.author, "confirmed_at": row.confirmed_at}
        case _:
            payload = conflict_view(row, decisions.get(row.decision_id), received=received,
                                    utc_offset_minutes=caller.site.utc_offset_minutes, rendered=rendered)
    key = "customer" if change.kind == "ownership" else change.kind
    return {"change_id": change.change_id, "kind": change.kind, key: payload}
