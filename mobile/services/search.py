"""Find a customer (issue 14): by name (张 → 张伟), pinyin initials (zw → 张伟) or whole pinyin,
the full phone, or its last four digits — over the replica and this tablet's own records.

Reads the ``name_keys`` index by key prefix (``name_index.search_keys``), never the tables:
a query costs a few index range reads whatever the replica's size. Results show what the
name warning shows — name, masked phone, owner — never a hidden number."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from shared.errors import InvalidPhone
from shared.explain import story_sentences
from shared.phones import display_phone, normalise_phone, phone_digits

from ..store import LocalStore, StoreError
from ..store.name_index import SEARCH, normalise_name, search_prefixes
from .deals import DealEntry, customer_deals, customer_phone
from .lookup import own_reps
from .profile import site_offset_minutes
from .story_claims import as_this_tablet

__all__ = ["CustomerSearch", "FoundCustomer", "CustomerCard", "CardEntry", "customer_card", "searchable", "is_whole_phone",
           "own_phone", "name_placeholder_key"]


def searchable(query: str) -> bool:
    """Does ``query`` hold anything a customer is found by — a letter (hanzi, Latin) or a digit?
    An emoji- or symbol-only query ("👍", "🇨🇳", "！！") is not: the screen says what can be
    searched instead of "nobody found" (QA5 F6f)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in normalise_name(query))


@dataclass(frozen=True)
class FoundCustomer:
    name: str
    phone_masked: str
    owner_name: str
    phone_hash: str | None
    seen_at: str  # UTC text of the registration (sorts in time order)
    own: bool  # known from this tablet's own records (else from the replica)
    matched: str  # n (name) | i (pinyin initials) | p (pinyin) | t (last four) | phone
    # the whole number (E.164) when the replica holds it (this user's own customer, privacy.md) or
    # this tablet recorded it itself (QA of issue 14, L8)
    phone: str = ""
    # known only from own records the server holds for a manager: "withheld" (归属待经理确认) or
    # "dismissed" (经理不予确认) — then no owner is shown (QA5 F3: it read 归属：王丽（本机登记）)
    ownership_note: str = ""
    # the replica's customer id when a replica row found it: the summary of a customer whose
    # tag this tablet does not hold (another rep's customer on a rep's tablet) is read by it
    customer_id: str = ""

    @property
    def phone_shown(self) -> str:
        """The phone as a row shows it: whole for a customer the server lets this user see
        (the owner's own, a manager's: issue 14 F10), else masked to the last four."""
        return display_phone(self.phone) if self.phone else self.phone_masked


def is_whole_phone(text: str) -> bool:
    """Is a query a whole phone number (maybe with + and separators), not a name or last four?"""
    digits = phone_digits(text)
    return len(digits) >= 7 and len(digits) >= len(normalise_name(text.strip())) - 1


class CustomerSearch:
    """Reads the store: call off the UI thread."""

    def __init__(self, store: LocalStore):
        self.store = store

    def _site(self) -> tuple[str, str]:
        site = self.store.site() or {}
        site_id = site.get("id") or (self.store.get_meta("user") or {}).get("site_id", "")
        return site_id, site.get("region") or "CN"

    def find(self, query: str, limit: int = 20) -> list[FoundCustomer]:
        """Customers matching ``query``, closest first (exact before prefix, then most recent)."""
        text = (query or "").strip()
        if not searchable(text):
            return []
        if is_whole_phone(text):
            return self._by_phone(text, limit)
        prefixes = search_prefixes(text)
        rows = self.store.search_names(prefixes, limit=limit * 3)
        wanted = {p[1] + normalise_name(text) for p in prefixes}  # kind + query: an exact key
        rows.sort(key=lambda r: r["seen_at"] or "", reverse=True)
        rows.sort(key=lambda r: (r["key"][1:] not in wanted, len(r["key"])))
        return self._distinct(rows, limit)

    def _by_phone(self, text: str, limit: int) -> list[FoundCustomer]:
        site_id, region = self._site()
        try:
            key = normalise_phone(text, region)
        except InvalidPhone:
            return []
        h = self.store.phone_tag_of(key, region)  # the keyed tag (issue 14)
        if not h:
            return []
        rows = [r for r in self.store.search_names([SEARCH + "t" + key[-4:]], limit=500) if r["phone_hash"] == h]
        for r in rows:
            r["key"] = SEARCH + "phone"
        rows.sort(key=lambda r: r["seen_at"] or "", reverse=True)
        return self._distinct(rows, limit)

    def _distinct(self, rows: list[dict], limit: int) -> list[FoundCustomer]:
        """One result a customer (rows of one phone: the replica's and own records'), in the
        order of its best row; the name, masked phone and owner from whichever row has them
        (the replica may hold no name for a desk that does not own the customer); the whole
        phone where the replica's summary holds it (the server sends it to the owner)."""
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(r["phone_hash"] or r["ref"], []).append(r)
        out = []
        for group in list(groups.values())[:limit]:
            first = group[0]

            def best(column: str, group: list[dict] = group) -> str:
                return next((r[column] for r in group if r[column]), "")

            matched = "phone" if first["key"].endswith("phone") else first["key"][1:2]
            customer_id = next((r["ref"][2:] for r in group if r["ref"].startswith("c:")), "")
            summary = replica_summary(self.store, first["phone_hash"], customer_id)
            owner, note = self._owner(group, summary)
            out.append(FoundCustomer(best("name"), best("phone_masked"), owner, first["phone_hash"],
                                     first["seen_at"] or "", any(r["ref"].startswith("o:") for r in group), matched,
                                     summary.get("phone") or (own_phone(self.store, first["phone_hash"]) if any(
                                         r["ref"].startswith("o:") for r in group) else ""), note,
                                     customer_id or summary.get("customer_id") or ""))
        return out

    def _owner(self, group: list[dict], summary: dict | None = None) -> tuple[str, str]:
        """``(owner name, note)`` of one result: the server's owner (a replica row of the group,
        or the replica's customer of the group's tag: a name search finds only the own row
        when the replica holds no name) when known, with the note of this tablet's own record
        the server holds back (QA5 F6a: one customer, one row, its held state shown on it);
        else the rep of an own record whose ownership the server did not hold back; else no
        owner and why (``withheld``: 归属待经理确认, ``dismissed``: 经理不予确认)."""
        replica = next((r["owner_name"] for r in group if r["ref"].startswith("c:") and r["owner_name"]), "")
        replica = replica or (summary or {}).get("owner_name") or ""
        notes = []
        for r in group:
            if not r["ref"].startswith("o:"):
                continue
            try:
                entry = self.store.outbox_entry(r["ref"][2:])
            except StoreError:
                continue
            if entry.owner_dismissed or entry.owner_withheld:
                notes.append("dismissed" if entry.owner_dismissed else "withheld")
            elif r["owner_name"] and not replica:
                return r["owner_name"], ""
        return replica, (notes[0] if notes else "")


@dataclass(frozen=True)
class CardEntry:
    type: str  # walkin | call | visit_report | follow_up | complaint | …
    captured_at: str
    rep: str | None
    own: bool  # this tablet's record (else pulled from the server)
    state: str = ""  # own records: pending | accepted | rejected | …


@dataclass(frozen=True)
class CustomerCard:
    """What this user may see of one customer: the replica's summary (owner, status, window,
    the server's explanation when this user may read it), the records this tablet holds, and
    the customer's deals (stage, unit, amount, time) among them."""

    name: str
    phone_masked: str
    owner_name: str
    status: str  # protected | deal | disputed | lapsed | none (pulled, no owner) | "" (own records only)
    protected_until: str
    explanation: tuple[dict, ...]  # stored steps, each with ``text`` {zh, en} rendered here (shared.explain)
    entries: tuple[CardEntry, ...]  # the latest first; deals are in ``deals``
    deals: tuple[DealEntry, ...] = ()  # 成交记录, the latest first (services.deals.customer_deals)
    phone: str = ""  # as typed in a record this tablet holds ("" when only the masked one is known)
    phone_visible: str = ""  # the whole number (E.164) the server lets this user see (F10) or this tablet typed (L8)
    approval: str = ""  # "awaiting": the manager decided, the sales director has not yet approved (R10)

    @property
    def phone_shown(self) -> str:
        """Whole for a customer of this user's (issue 14 F10, docs/privacy.md), else masked."""
        return display_phone(self.phone_visible) if self.phone_visible else self.phone_masked


def _rendered(store: LocalStore, explanation: str | None, phone_hash_: str | None) -> tuple[dict, ...]:
    """The replica's explanation steps (pulled with ``steps=params``: no text; a replica pulled
    before issue 13 has text) each with ``text`` {zh, en} rendered from its params in the
    site's local time (``shared.explain.step_text``, the server's own words), with seconds where
    two of its times share a minute (``story_sentences``, issue 14 F3) and this tablet's own
    registrations told as 本机 / "this tablet" (``story_claims.as_this_tablet``)."""
    offset = site_offset_minutes(store.site())
    steps = [step for step in json.loads(explanation or "[]") if isinstance(step, dict)]
    own_name = str(store.get_meta("device_name") or "")
    reps = own_reps(store, phone_hash_) if phone_hash_ and own_name else set()
    told = {lang: story_sentences(as_this_tablet(steps, own_name, reps, lang), offset) for lang in ("zh", "en")}
    return tuple({**step, "text": {lang: told[lang][i][lang] for lang in told}} for i, step in enumerate(steps))


def own_phone(store: LocalStore, phone_hash_: str | None) -> str:
    """The E.164 number this tablet itself recorded for a customer (its latest own record's),
    "" when none: the desk sees whole what it typed, as 今日来访 shows it (QA of issue 14, L8:
    the card masked it); what others recorded stays masked (docs/privacy.md)."""
    if not phone_hash_:
        return ""
    region = (store.site() or {}).get("region") or "CN"
    for entry in reversed(store.own_records_for(phone_hash_)):
        typed = (entry.wire.get("customer") or {}).get("phone")
        if typed:
            try:
                return normalise_phone(typed, region)
            except InvalidPhone:
                continue
    return ""


def name_placeholder_key(owner_name: str) -> str:
    """What a row or card says for a name the replica does not hold: hidden for a customer with
    an owner (姓名仅归属人可见), not given for one with none yet — a rep's calls make such
    customers; "visible to the owner" with 归属：暂无 read as nonsense (QA of issue 14, L11)."""
    return "find.name_hidden" if owner_name else "find.name_no_owner"


def replica_summary(store: LocalStore, phone_hash_: str | None, customer_id: str = "") -> dict:
    """The replica's row of a customer: by its tag, else by its id — a customer whose tag this
    tablet does not hold (another rep's, ``shared.replica_privacy``) has none, yet its owner,
    status and protection window are the replica's to show (QA of issue 14: its card read
    本机记录，尚未同步). {} when the replica has no row."""
    summary = store.customer_by_hash(phone_hash_) if phone_hash_ else None
    if summary is None and customer_id:
        summary = store.customer_by_id(customer_id)
    return summary or {}


def customer_card(store: LocalStore, found: FoundCustomer) -> CustomerCard:
    """The card of a found customer (reads the store: call off the UI thread). Records are
    read by tag (a customer without one on this tablet has none here); the replica's summary
    by tag or id (``replica_summary``)."""
    summary = replica_summary(store, found.phone_hash, found.customer_id)
    pulled_records = store.records_for(found.phone_hash) if found.phone_hash else []
    entries = [CardEntry(r["type"], r["captured_at"], r["rep"], False) for r in pulled_records if r["type"] != "deal"]
    pulled = {r["id"] for r in pulled_records}
    for e in store.own_records_for(found.phone_hash) if found.phone_hash else []:
        if e.id not in pulled and e.type not in ("withdrawal", "deal") and not e.superseded_by:
            entries.append(CardEntry(e.type, e.captured_at, e.rep, True, e.state))
    entries.sort(key=lambda e: e.captured_at, reverse=True)
    return CustomerCard(summary.get("name") or found.name, summary.get("phone_masked") or found.phone_masked,
                        summary.get("owner_name") or found.owner_name,
                        summary.get("status") or ("none" if summary else ""),  # pulled, no owner: not "not synced"
                        summary.get("protected_until") or "", _rendered(store, summary.get("explanation"), found.phone_hash),
                        tuple(entries), tuple(customer_deals(store, found.phone_hash)),
                        customer_phone(store, found.phone_hash),
                        summary.get("phone") or found.phone or own_phone(store, found.phone_hash),
                        summary.get("approval") or "")
