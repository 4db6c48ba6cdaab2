"""Random but replayable ownership examples for the property tests (hypothesis strategies).

An example is a household of two linked phones (R6) with records of every type — walk-ins
(some received on duty, some for the other spouse), calls, follow-ups, deals, staff and
company referrals (R7/R8), visit reports, complaints, corrections (``supersedes``) and
withdrawals — and 0–3 managers' decisions at random points. Each record may arrive late
(after the decisions), as an offline tablet's would. A decision is made the way the server
makes one: over what had arrived by then, covering the open conflict's claims, naming the
current share-holders (or, sometimes, leaving one out, as a decision stored before the
server checked that would).

Ids come from the example itself (its position in the generated list), never from uuid4 or
``hash()``: a failing example prints the same records in every process and replays.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import strategies as st

from shared.ownership import ManagerDecision, Ownership, TimedRecord, decide_ownership
from shared.policy import SitePolicy
from tests.builders import T0, timed

REPS = ("wang.li", "zhang.qiang", "chen.jie")
CUSTOMERS = (("张伟", "138 0013 8000", None), ("李娜", "139 1234 5678", "138 0013 8000"))
CLOCKS = (("same_boot", 2_000), ("anchor", 30_000), ("unverified", 900_000))
KINDS = ("walkin",) * 6 + ("call", "follow_up", "deal", "referral", "visit_report", "complaint",
                           "correction", "correction", "withdrawal")
HORIZON_HOURS = 24 * 40
POLICIES = st.builds(SitePolicy, validity_days=st.sampled_from([1, 3, 30]),
                     household=st.sampled_from(["split", "first"]))


def record_id(space: int, index: int) -> str:
    """A fixed id for the ``index``-th record of id ``space`` (replayable)."""
    return str(uuid.UUID(int=(space << 64) | (index + 1), version=4))


@dataclass
class Example:
    records: list[TimedRecord]
    late: set[str]  # ids of records that arrive after every decision
    decisions: list[ManagerDecision] = field(default_factory=list)
    policy: SitePolicy = field(default_factory=SitePolicy)

    @property
    def as_of(self) -> datetime:
        """A minute after the example's last record or decision: when a manager would look."""
        times = [r.estimate.at for r in self.records] + [d.decided_at for d in self.decisions]
        return max(times, default=T0) + timedelta(minutes=1)

    def decide(self, records=None, decisions=None, as_of=None) -> Ownership:
        return decide_ownership(self.records if records is None else records, self.policy,
                                self.decisions if decisions is None else decisions, as_of=as_of or self.as_of)


_spec = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(REPS),
    st.integers(0, len(CUSTOMERS) - 1),
    st.integers(0, 40),  # when, in 40ths of the example's spread after T0: ties happen on purpose
    st.sampled_from(CLOCKS),
    st.booleans(),  # duty reception / company channel / correction changes the rep
    st.integers(0, 10_000),  # which earlier record a correction or withdrawal names
    st.integers(0, 3),  # 0: arrives late (after the decisions)
)


def _build(index: int, spec: tuple, built: list[TimedRecord], space: int, spread_hours: int) -> TimedRecord:
    kind, rep, customer, step, (method, uncertainty), flag, target, _ = spec
    name, phone, household = CUSTOMERS[customer]
    at = T0 + timedelta(hours=spread_hours * step / 40)
    hours = int(spread_hours * step / 40)
    rid = record_id(space, index)
    clock = {"method": method, "uncertainty_ms": uncertainty}
    versions = [r for r in built if r.record.type != "withdrawal"]
    if kind in ("correction", "withdrawal") and not versions:
        kind = "walkin"  # nothing to correct yet
    if kind in ("correction", "withdrawal"):
        original = versions[target % len(versions)]
        rec = original.record
        later = max(at, original.estimate.at + timedelta(minutes=1))  # a correction is made after the fact
        if kind == "withdrawal":
            return timed("withdrawal", rep=None, name=rec.customer.name, phone=rec.customer.phone, at=later,
                         supersedes=rec.id, id=rid, seq=index + 1, **clock)
        new_rep = rep if flag or rec.rep is None else rec.rep
        if rec.type in ("call", "complaint", "referral"):
            new_rep = rec.rep
        return timed(rec.type, rep=new_rep, name=rec.customer.name, phone=rec.customer.phone, at=later,
                     data=dict(rec.data), supersedes=rec.id, id=rid, seq=index + 1, **clock)
    data: dict = {}
    record_rep: str | None = rep
    if kind == "walkin":
        data = {"duty": flag and hours % 3 == 0, "visit": "return" if hours % 2 else "first",
                **({"household_phone": household} if household else {})}
    elif kind == "referral":
        day = (at + timedelta(hours=hours % 48)).astimezone(T0.tzinfo).date().isoformat()
        data = {"referrer": "李会计", "channel": "company" if flag else "staff", "appointment_date": day}
        record_rep = None
    elif kind in ("call", "complaint"):
        record_rep = None if flag else rep
    return timed(kind, rep=record_rep, name=name, phone=phone, at=at, data=data, id=rid, seq=index + 1, **clock)


@st.composite
def examples(draw, min_size=1, max_size=16, max_decisions=3, space=0) -> Example:
    """An ``Example``; ``space`` keeps two examples drawn together from sharing ids."""
    spread = draw(st.sampled_from([2, 48, 24 * 10, HORIZON_HOURS]))  # a morning … forty days
    specs = draw(st.lists(_spec, min_size=min_size, max_size=max_size))
    records: list[TimedRecord] = []
    late: set[str] = set()
    for index, spec in enumerate(specs):
        built = _build(index, spec, records, space, spread)
        records.append(built)
        if spec[-1] == 0:
            late.add(built.record.id)
    example = Example(records=records, late=late, policy=draw(POLICIES))
    # each decision: some minutes after one of the records (so it falls among them), by whom, which split
    plans = draw(st.lists(st.tuples(st.integers(0, max_size), st.integers(1, 24 * 60), st.integers(0, 99),
                                    st.integers(0, 5)), max_size=max_decisions))
    times = sorted(r.estimate.at for r in records)
    moments = sorted({times[i % len(times)] + timedelta(minutes=m, seconds=1): (who, kind)
                      for i, m, who, kind in plans}.items())
    for number, (at, (who, split_kind)) in enumerate(moments):
        decision = _decide_like_the_server(example, number, at, who, split_kind)
        if decision is not None:
            example.decisions.append(decision)
    return example


def _decide_like_the_server(example: Example, number: int, at: datetime, who: int,
                            split_kind: int) -> ManagerDecision | None:
    """A decision at ``at`` over what had arrived by then, as a manager makes one in the console."""
    arrived = [r for r in example.records if r.estimate.at < at and r.record.id not in example.late]
    seen = decide_ownership(arrived, example.policy, example.decisions, as_of=at)
    open_conflicts = [c for c in seen.conflicts if c.status == "open"]
    if open_conflicts:
        covers = open_conflicts[-1].claim_ids
        claimants = list(dict.fromkeys(c.rep for c in open_conflicts[-1].claims))
    elif seen.live_claims:
        covers = frozenset(c.record_id for c in seen.live_claims)  # a reassignment (001 §14(五)3(12))
        claimants = [REPS[who % len(REPS)]]
    else:
        return None
    owner = claimants[who % len(claimants)]
    holders = [r for r, share in (seen.split or {}).items() if share > 0]
    parties = list(dict.fromkeys([owner, *holders, *claimants]))
    others = [h for h in holders if h != owner]
    if split_kind >= 4 and others:
        parties.remove(others[0])  # left out: as a decision stored before the server checked that
    split = None if split_kind == 0 and not holders else _split(parties, who)
    return ManagerDecision(id=f"decision-{number}", owner=owner, reason="R10", author="zhao.min", decided_at=at,
                           covers=covers, split=split)


def _split(parties: list[str], seed: int) -> dict[str, int]:
    """Whole percentages summing to 100 over ``parties``, the owner (first) above 0, some maybe 0."""
    if len(parties) == 1:
        return {parties[0]: 100}
    shares = [(seed * (i + 3)) % 41 for i in range(len(parties) - 1)]
    shares = [s if s + sum(shares[:i]) < 100 else 0 for i, s in enumerate(shares)]
    return {parties[0]: 100 - sum(shares), **dict(zip(parties[1:], shares, strict=True))}
