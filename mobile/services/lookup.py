"""Who is this customer? The desk's answer while a phone number is being typed.

The answer is computed from local knowledge only (it must work offline):

- the server's last ownership summary for the phone's hash (``customers`` in the replica);
- the records the replica holds for that hash;
- the tablet's own records not yet accepted by the server.

With nothing unsent, the server's summary is the answer (re-checked against today for a
lapsed window). With unsent records, ``decide_ownership`` runs over all of it (the server's
summary entering as the claim and renewal it stands for) for a *provisional* answer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from shared.clocks import UNVERIFIED, CaptureEstimate
from shared.errors import InvalidPhone, RecordInvalid
from shared.explain import Step, render_story, story_sentences
from shared.ownership import TimedRecord, decide_ownership
from shared.phones import normalise_phone, phone_digits, phone_kind, phone_typo
from shared.policy import SitePolicy
from shared.records import parse_record
from shared.timeutil import format_time, parse_time, utc_now
from shared.wire_shapes import restated_times

from ..device_clock import wall_now
from ..store import LocalStore
from ..store.name_index import (
    deletion_keys,
    normalise_name,
    pinyin_key,
    shares_edited_syllable,
    within_one_edit,
)
from .profile import site_offset_minutes, user_names
from .story_claims import (
    THIS_TABLET,
    as_this_tablet,
    claims_told,
    devices_told,
    handovers_told,
    server_steps,
)

__all__ = ["CustomerLookup", "CustomerStatus", "SimilarName"]

VERDICTS = ("typing", "invalid", "new", "returning", "lapsed", "disputed", "deal")


@dataclass(frozen=True)
class SimilarName:
    name: str
    phone_masked: str
    owner_name: str


@dataclass(frozen=True)
class CustomerStatus:
    """What the desk should know about a phone. ``verdict`` is one of VERDICTS."""

    verdict: str
    phone_key: str = ""
    phone_hash: str = ""
    owner: str | None = None
    owner_name: str | None = None
    protected_until: datetime | None = None
    provisional: bool = False
    explanation: tuple[str, ...] = ()
    similar: tuple[SimilarName, ...] = field(default_factory=tuple)
    problem: str = ""  # why an invalid number is one (``InvalidPhone.reason``: letter_o, symbol, …)
    problem_char: str = ""  # the character that makes it so (symbol, letters)
    kind: str = ""  # mobile | landline | other (shared.phones.phone_kind), once the number is valid
    known_name: str = ""  # the name on file for this number (replica or own records), to fill in
    partial: bool = False  # a rep's tablet: other reps' customers are not on it (issue 14), "new" may not be
    # a desk's "new" it cannot be sure of (QA of issue 14, H1): "unloaded" — the replica is not on
    # this tablet yet (never synced, or reloading after an upgrade); "untagged" — customers with
    # the typed number's last four are on it without their tag yet (the server's tagger is behind)
    unsure: str = ""
    awaiting_approval: bool = False  # disputed, the manager's decision awaits the sales director (R10)


"""How a story names this tablet's own registrations (issue 14 F3: it said 某台平板)."""
_REPLICA_SLACK = timedelta(days=366)  # bounds of replica records are the server's, checked on receipt


def _again(step: Step, first_ever: str | None) -> Step:
    """A ``first_registration`` step later than the customer's first registration ever (the
    replica lacks the lapsed claim) told as ``registered_again``, with the first ever."""
    if step.key != "first_registration" or not first_ever or not isinstance(step.params.get("time"), datetime):
        return step
    first = parse_time(first_ever)
    if step.params["time"] - first <= timedelta(seconds=1):
        return step
    return replace(step, key="registered_again", params={**step.params, "first": first})




class CustomerLookup:
    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now, lang: Callable[[], str] = lambda: "zh"):
        self.store, self.now, self.lang = store, now, lang

    def _policy(self) -> tuple[SitePolicy, str]:
        site = self.store.site() or {}
        policy = SitePolicy(validity_days=site.get("validity_days") or 30, household=site.get("household") or "split",
                            utc_offset_minutes=site_offset_minutes(site), region=site.get("region") or "CN")
        site_id = site.get("id") or (self.store.get_meta("user") or {}).get("site_id", "")
        return policy, site_id

    def check(self, phone_text: str, name: str = "") -> CustomerStatus:
        """The desk's answer for what has been typed so far."""
        policy, site_id = self._policy()
        digits = phone_digits(phone_text)
        typo = phone_typo(phone_text)  # 138OO138OOO, 📞138…: said at once, however few digits (QA of issue 14, L3)
        if typo is not None:
            return CustomerStatus("invalid", problem=typo[0], problem_char=typo[1], similar=self.similar_names(name))
        if len(digits) < 7:
            return CustomerStatus("typing", similar=self.similar_names(name))
        try:
            key = normalise_phone(phone_text, policy.region)
        except InvalidPhone as exc:
            verdict = "invalid" if len(digits) >= 11 else "typing"
            return CustomerStatus(verdict, problem=exc.reason, problem_char=exc.char, similar=self.similar_names(name))
        h = self.store.phone_tag_of(key, policy.region) or ""  # keyed tag (issue 14); "" before the key came
        status = self._ownership(key, h, policy)
        # a known customer's number: the name on file is filled in, no similar-name warning (QA of issue 14, L2)
        known = status.verdict in ("returning", "deal", "disputed", "lapsed")
        similar = () if known else tuple(self.similar_names(name, exclude_hash=h))
        partial = status.verdict == "new" and (self.store.get_meta("user") or {}).get("role") == "rep"
        unsure = self._unsure(key) if status.verdict == "new" and not partial else ""
        return CustomerStatus(**{**status.__dict__, "similar": similar, "kind": phone_kind(key),
                                 "known_name": self._known_name(h), "partial": partial, "unsure": unsure})

    def _unsure(self, key: str) -> str:
        """Why a "new" on this tablet may be wrong (``CustomerStatus.unsure``), "" when it is not:
        the replica was never loaded (cursor unset), or customers ending in the same four digits
        wait for their tag (a push of more than a few new customers, the backfill of a new tag:
        the server tags them in the background and the next pull brings the tags)."""
        if not self.store.get_meta("cursor"):
            return "unloaded"
        return "untagged" if self.store.untagged_customers_ending(key[-4:]) else ""

    def _known_name(self, h: str) -> str:
        """The customer's name as last registered: the replica's (the server shows it to every
        desk of the site) or, newer, this tablet's own record of that number."""
        own = [e for e in self.store.own_records_for(h) if e.type != "withdrawal" and e.customer_name]
        if own:
            return own[-1].customer_name
        summary = self.store.customer_by_hash(h) or {}
        return summary.get("name") or ""

    def _ownership(self, key: str, h: str, policy: SitePolicy) -> CustomerStatus:
        now = self.now()
        summary = self.store.customer_by_hash(h)
        own = [e for e in self.store.own_records_for(h) if e.type != "withdrawal"]
        unsent = [e for e in own if e.state == "pending"]
        if summary is None and not unsent:
            # no customer row under this tag yet — the server has not tagged it (QA of issue 14,
            # H1: a desk's 20 walk-ins read 新客户 for three minutes after the sync): this tablet's
            # own records sent since and the records pulled under the tag still decide, provisionally
            pulled = {row["id"] for row in self.store.records_for(h)}
            # (a record whose ownership the server withheld or a manager dismissed claims nothing)
            unsent = [e for e in own if e.id not in pulled
                      and (e.state == "held" or (e.state == "accepted" and not e.error_code))]
            if not unsent and not pulled:
                return CustomerStatus("new", key, h)
        if not unsent and summary is not None:
            if not summary.get("owner"):
                return CustomerStatus("new", key, h)
            until = parse_time(summary["protected_until"]) if summary.get("protected_until") else None
            verdict = {"protected": "returning", "deal": "deal", "disputed": "disputed", "lapsed": "lapsed"}.get(
                summary.get("status", ""), "returning")
            if verdict == "returning" and until is not None and until < now:
                verdict = "lapsed"
            steps = self._server_story(server_steps(summary), h, policy)
            if not steps:
                # The server gives its explanation only to the owner and managers (privacy); the
                # desk gets the engine's steps over what it may see — owner, first registration
                # and window, already in the banner — so it can still say which rule decides.
                steps = self._explain(self._timed_records(key, h, summary, [], policy), policy, now, summary)[1]
            return CustomerStatus(verdict, key, h, summary["owner"], summary.get("owner_name"), until, False, steps,
                                  awaiting_approval=verdict == "disputed" and summary.get("approval") == "awaiting")
        decided, steps = self._explain(self._timed_records(key, h, summary, unsent, policy), policy, now, summary)
        if decided.status is None:
            return CustomerStatus("new", key, h, provisional=True)
        verdict = {"protected": "returning"}.get(decided.status, decided.status)
        return CustomerStatus(verdict, key, h, decided.owner, self._names().get(decided.owner or "", decided.owner),
                              decided.protected_until, True, steps)

    def _lang(self) -> str:
        return "zh" if self.lang().startswith("zh") else "en"

    def _names(self) -> dict[str, str]:
        return user_names(self.store)

    def _server_story(self, told: list[dict], h: str, policy: SitePolicy) -> tuple[str, ...]:
        """The server's story in the desk's language (rendered here from its params, issue 13),
        seconds where two of its times share a minute, and this tablet's own registrations told
        as 本机 / "this tablet" — the server names the device as enrolled (issue 14 F3)."""
        lang, (_, own_name) = self._lang(), self._device()
        items = as_this_tablet(told, own_name, own_reps(self.store, h), lang)
        return tuple(text[lang] for text in story_sentences(items, policy.utc_offset_minutes))

    def _device(self) -> tuple[str, str]:
        """This tablet's ``(device id, device name)`` as enrolled."""
        return str(self.store.get_meta("device_id") or ""), str(self.store.get_meta("device_name") or "")

    def _explain(self, timed: list[TimedRecord], policy: SitePolicy, now: datetime, summary: dict | None = None):
        """``decide_ownership`` over ``timed`` and its steps rendered in the desk's language, as
        one story (``shared.explain.render_story``: seconds where two times share a minute).
        The replica may lack a lapsed earlier claim: the summary's ``first_ever_registered_at``
        then names the rebuilt claim a registration again, never 首次登记 (issue 9). The
        hand-overs the server's story tells of are replayed at their times (issue 12 leftover)."""
        names = self._names()
        handovers = handovers_told(server_steps(summary), {n: u for u, n in names.items()},
                                   (summary or {}).get("customer_id") or "")
        decided = decide_ownership(timed, policy, as_of=now, rep_names=names, handovers=handovers)
        first_ever = (summary or {}).get("first_ever_registered_at")
        steps = [_again(step, first_ever) for step in decided.explanation]
        return decided, render_story(steps, self._lang(), policy.utc_offset_minutes)

    def _timed_records(self, key: str, h: str, summary: dict | None, unsent, policy: SitePolicy) -> list[TimedRecord]:
        """The claims the engine decides over, each with the device to name (issue 14 F3): this
        tablet's own (unsent, or pulled back with this tablet's device id) as 本机; another
        device by the name the server's story gives it; none where nobody says (the sentence
        then names no device)."""
        timed: dict[str, TimedRecord] = {}
        names, (own_id, _) = self._names(), self._device()
        here = THIS_TABLET[self._lang()]
        story = server_steps(summary)
        told = devices_told(story)

        def device_of(rep: str | None, at: datetime) -> str:
            name = names.get(rep or "", rep)
            return next((d for r, when, d in told if r == name and abs(when - at) <= timedelta(seconds=1)), "")

        replica = [(json.loads(row["wire"]), parse_time(row["estimated_at"] or row["captured_at"]),
                    row.get("clock_method") or "same_boot", row.get("device_id") or "") for row in self.store.records_for(h)]

        def held(rep: str, at: datetime) -> bool:  # the replica has the record the summary stands for
            return any(wire.get("rep") == rep and abs(when - at) <= timedelta(seconds=1) for wire, when, _, _ in replica)

        if summary and summary.get("owner") and (summary.get("first_registered_at") or summary.get("protected_until")):
            base = uuid.uuid5(uuid.NAMESPACE_URL, "fieldsync:" + summary["customer_id"])
            if handovers_told(story, {}, ""):
                # handed over: the summary's owner did not register first — replay the story's
                # registrations, deals and renewal with their own reps (issue 12 leftover)
                for claim in claims_told(story, {n: u for u, n in names.items()}):
                    if not held(claim.rep, claim.at):
                        self._add(timed, str(uuid.uuid5(base, f"{claim.kind}:{claim.rep}:{claim.at.isoformat()}")),
                                  claim.kind, key, claim.rep, claim.at, dict(claim.data), claim.device)
            else:
                self._rebuild(timed, summary, base, key, policy, held, device_of)
        for wire, at, method, device_id in replica:
            device = here if own_id and device_id == own_id else device_of(wire.get("rep"), at)
            self._add_wire(timed, wire, at, method, key, device)
        for entry in unsent:
            self._add_wire(timed, entry.wire, parse_time(entry.wire["captured_at"]), UNVERIFIED, key, here)
        return list(timed.values())

    def _rebuild(self, timed: dict, summary: dict, base: uuid.UUID, key: str, policy: SitePolicy,
                 held: Callable[[str, datetime], bool], device_of: Callable[[str, datetime], str]) -> None:
        """The claim and the renewal the summary stands for (owner, first registration, window)
        where the replica lacks them. An owner holding by a manager's decision alone has no
        registration (``first_registered_at`` null, QA8): the claim stands at the start of the
        window the decision gave, so the rebuilt story keeps the server's owner."""
        owner = summary["owner"]
        first = parse_time(summary["first_registered_at"]) if summary.get("first_registered_at") else \
            parse_time(summary["protected_until"]) - policy.validity
        kind = "deal" if summary.get("status") == "deal" else "walkin"
        data = {"stage": "contract"} if kind == "deal" else {"visit": "first"}
        if not held(owner, first):
            self._add(timed, str(base), kind, key, owner, first, data, device_of(owner, first))
        if summary.get("protected_until") and kind == "walkin":
            renewed = parse_time(summary["protected_until"]) - policy.validity
            if renewed > first + timedelta(seconds=1) and not held(owner, renewed):
                self._add(timed, str(uuid.uuid5(base, "renewal")), "follow_up", key, owner, renewed,
                          {"method": "visit", "content": "renewal"}, "")

    def _add(self, timed: dict, id_: str, kind: str, key: str, rep: str, at: datetime, data: dict,
             device: str) -> None:
        wire = {"id": id_, "seq": 1, "type": kind, "captured_at": format_time(at), "rep": rep,
                "customer": {"name": "-", "phone": key}, "data": data}
        self._add_wire(timed, wire, at, "same_boot", key, device)

    @staticmethod
    def _add_wire(timed: dict, wire: dict, at: datetime, method: str, key: str, device: str = "") -> None:
        # a record the server stored before the one time shape was enforced still counts (QA of issue 15)
        clean = {k: v for k, v in restated_times(wire).items() if k in ("id", "seq", "type", "captured_at", "clock",
                                                                        "rep", "customer", "supersedes", "data")}
        customer = dict(clean.get("customer") or {})
        if not customer.get("phone"):
            customer["phone"] = key  # the replica may hold records without the number in clear
        clean["customer"] = {"name": customer.get("name") or "-", "phone": customer["phone"]}
        try:
            # the server bounded these times on receipt; this tablet's clock may lag the server's
            record = parse_record(clean, now=max(utc_now(), at) + _REPLICA_SLACK)
        except RecordInvalid:
            return
        if record.id not in timed:
            timed[record.id] = TimedRecord(record, CaptureEstimate(at, 2_000, method), device_name=device)

    def similar_names(self, name: str, exclude_hash: str | None = None, limit: int = 5) -> tuple[SimilarName, ...]:
        """Known customers (other phones) whose name is the same, sounds the same (张玮/张伟,
        李那/李娜, 汪芳/王芳: same toneless pinyin) or is one edit away (张伟/张强, 张伟/张伟国);
        at most ``limit``, ranked by ``_similarity``."""
        keys = deletion_keys(name)
        if not keys:
            return ()
        typed, typed_pinyin = keys[0], pinyin_key(name)
        found: dict[str, tuple[tuple[int, int], str, SimilarName]] = {}
        ranks: dict[tuple[str, str], tuple[int, int] | None] = {}  # one rank a distinct name: 张伟 ×20 is one
        # per key: enough rows to fill the warning even if some are this phone or two edits away
        for row in self.store.names_by_keys(keys + ([typed_pinyin] if typed_pinyin else []), per_key=limit * 4):
            who = row["phone_hash"] or row["ref"]
            if exclude_hash and row["phone_hash"] == exclude_hash:  # an untagged row is nobody's phone (issue 14)
                continue
            other = (row["name"] or "", row["pinyin"] or "")
            if other not in ranks:
                ranks[other] = _similarity(typed, typed_pinyin, normalise_name(other[0]), other[1])
            rank = ranks[other]
            if rank is not None and (who not in found or rank < found[who][0]):
                found[who] = (rank, row["seen_at"],
                              SimilarName(row["name"] or "", row["phone_masked"] or "", row["owner_name"] or ""))
        # by rank, the most recent registration first within a rank
        ranked = sorted(found.values(), key=lambda f: f[1], reverse=True)
        ranked.sort(key=lambda f: f[0])
        return tuple(f[2] for f in ranked[:limit])


def _similarity(typed: str, typed_pinyin: str, other: str, other_pinyin: str) -> tuple[int, int] | None:
    """How alike two normalised names are, smaller first; None if not alike enough to warn:

    0. the same name (an exact duplicate on another phone);
    1. the same toneless pinyin — a homophone, the usual slip of a pinyin input method (张玮 for
       张伟); one edit apart before two (章薇);
    2. one edit apart and the changed character can be read like the one it replaces (曾/增
       ceng|zeng, 乐/悦 le|yue), or an added one repeats its neighbour (王芳芳);
    3. any other name one edit apart (张伟国 for 张伟, 张伟强 for 张伟国): a character changed before
       one added or dropped — but not one of two characters changed to one read otherwise (张强
       for 张伟: every name of a surname would be "similar", QA of issue 14 L2; 张玮 still is: 1.)."""
    if other == typed:
        return (0, 0)
    one_edit = within_one_edit(typed, other)
    if typed_pinyin and other_pinyin == typed_pinyin:
        return (1, 0 if one_edit else 1)
    if not one_edit:
        return None
    if typed_pinyin and other_pinyin and shares_edited_syllable(typed, other):
        return (2, abs(len(other) - len(typed)))
    return None if len(typed) == len(other) == 2 else (3, abs(len(other) - len(typed)))


def own_reps(store: LocalStore, phone_hash_: str) -> set[str]:
    """The display names of the reps this tablet registered the customer (``phone_hash_``) for."""
    names = user_names(store)
    return {names.get(e.rep or "", e.rep or "") for e in store.own_records_for(phone_hash_) if e.type != "withdrawal"}
