"""Properties of the ownership engine over random record sets (hypothesis):
order, batching and duplicates never matter; calls never change the owner; a lapsed claim
never blocks a new one; a manager's decision is never overturned by records that arrive
after it."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.ownership import ManagerDecision, decide_ownership
from shared.policy import SitePolicy
from tests.builders import T0, timed

REPS = ("wang.li", "zhang.qiang", "chen.jie")
CUSTOMERS = (("张伟", "138 0013 8000", None), ("李娜", "139 1234 5678", "138 0013 8000"))
POLICIES = st.builds(SitePolicy, validity_days=st.sampled_from([1, 3, 30]),
                     household=st.sampled_from(["split", "first"]))
SETTINGS = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def record_specs(draw, min_size=1, max_size=14, id_space=0):
    """Random records; ``id_space`` keeps two generated lists from sharing ids."""
    specs = draw(st.lists(st.tuples(
        st.sampled_from(["walkin"] * 6 + ["call", "follow_up", "deal"]),
        st.sampled_from(REPS),
        st.integers(0, len(CUSTOMERS) - 1),
        st.integers(0, 24 * 40) ,  # hours after T0: ties happen on purpose
        st.sampled_from([("same_boot", 2_000), ("anchor", 30_000), ("unverified", 900_000)]),
        st.booleans(),  # duty reception
        st.integers(0, 2**64 - 1),
    ), min_size=min_size, max_size=max_size))
    return [_build(*spec[:-1], id_bits=(id_space << 64) | spec[-1]) for spec in specs]


def _build(kind, rep, customer, hours, clock, duty, id_bits):
    name, phone, household = CUSTOMERS[customer]
    data = {}
    if kind == "walkin":
        data = {"duty": duty, **({"household_phone": household} if household else {})}
    method, uncertainty = clock
    return timed(kind, rep=rep, name=name, phone=phone, at=T0 + timedelta(hours=hours), data=data,
                 method=method, uncertainty_ms=uncertainty, id=str(uuid.UUID(int=id_bits)))


def summary(outcome):
    """Everything a person could see of an outcome, in comparable form."""
    return (
        outcome.owner, outcome.status, outcome.protected_until, outcome.first_registered_at,
        tuple(sorted((outcome.split or {}).items())), tuple(c.record_id for c in outcome.live_claims),
        tuple((tuple(c.record_id for c in k.claims), k.owner, k.flags, k.decision_id) for k in outcome.conflicts),
        tuple((s.rule, s.key, tuple(sorted(map(str, s.params.items())))) for s in outcome.history),
    )


AS_OF = T0 + timedelta(days=45)


@SETTINGS
@given(records=record_specs(), policy=POLICIES, seed=st.integers())
def test_any_permutation_gives_the_same_result(records, policy, seed):
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    assert summary(decide_ownership(shuffled, policy, as_of=AS_OF)) == summary(decide_ownership(records, policy, as_of=AS_OF))


@SETTINGS
@given(records=record_specs(), policy=POLICIES, seed=st.integers(), cuts=st.lists(st.integers(0, 14), max_size=4))
def test_any_batching_received_in_any_order_gives_the_same_result(records, policy, seed, cuts):
    # The server recomputes from everything it has after each batch; the last answer must
    # not depend on how the records were cut into batches or which batch came first.
    bounds = sorted({0, len(records), *[c % (len(records) + 1) for c in cuts]})
    batches = [records[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    random.Random(seed).shuffle(batches)
    received = []
    for batch in batches:
        received.extend(batch)
        decide_ownership(received, policy, as_of=AS_OF)
    assert summary(decide_ownership(received, policy, as_of=AS_OF)) == summary(decide_ownership(records, policy, as_of=AS_OF))


@SETTINGS
@given(records=record_specs(), policy=POLICIES, picks=st.lists(st.integers(0, 100), min_size=1, max_size=5))
def test_duplicates_change_nothing(records, policy, picks):
    duplicated = records + [records[p % len(records)] for p in picks]
    assert summary(decide_ownership(duplicated, policy, as_of=AS_OF)) == summary(decide_ownership(records, policy, as_of=AS_OF))


@SETTINGS
@given(records=record_specs(), calls=record_specs(id_space=2), policy=POLICIES)
def test_calls_never_change_the_owner(records, calls, policy):
    only_calls = [timed("call", rep=c.record.rep, name=c.record.customer.name, phone=c.record.customer.phone,
                        at=c.estimate.at) for c in calls]
    before = decide_ownership(records, policy, as_of=AS_OF)
    after = decide_ownership(records + only_calls, policy, as_of=AS_OF)
    assert (after.owner, after.status, after.protected_until, after.split, after.conflicts) == (
        before.owner, before.status, before.protected_until, before.split, before.conflicts)


@SETTINGS
@given(records=record_specs(), policy=POLICIES, rep=st.sampled_from(REPS), gap_hours=st.integers(1, 500))
def test_a_lapsed_claim_never_blocks_a_new_one(records, policy, rep, gap_hours):
    latest = max(r.estimate.at for r in records)
    outcome = decide_ownership(records, policy, as_of=latest)
    if outcome.status == "deal" or outcome.protected_until is None:
        return  # R9: a deal never lapses
    at = max(latest, outcome.protected_until) + timedelta(hours=gap_hours)
    newcomer = timed(rep=rep, at=at, name="张伟", phone="138 0013 8000")
    after = decide_ownership(records + [newcomer], policy, as_of=at)
    assert after.owner == rep and after.owner_claim.record_id == newcomer.record.id
    assert after.status == "protected"


@SETTINGS
@given(records=record_specs(), late=record_specs(max_size=6, id_space=1), policy=POLICIES, owner=st.sampled_from(REPS),
       after_hours=st.integers(1, 48))
def test_a_decision_is_never_overturned_by_records_that_arrive_after_it(records, late, policy, owner, after_hours):
    latest = max(r.estimate.at for r in records + late)
    decided_at = latest + timedelta(minutes=1)
    seen = decide_ownership(records, policy, as_of=decided_at)
    decision = ManagerDecision(id="decision-1", owner=owner, reason="R10", author="zhao.min", decided_at=decided_at,
                               covers=frozenset(c.record_id for c in seen.live_claims))
    as_of = decided_at + timedelta(hours=after_hours)
    without_late = decide_ownership(records, policy, [decision], as_of=as_of)
    with_late = decide_ownership(records + late, policy, [decision], as_of=as_of)
    assert without_late.owner == with_late.owner == owner
    if with_late.status != "deal":  # a late deal by the decided owner rightly makes it final (R9)
        assert with_late.protected_until == without_late.protected_until
    unseen_live = {c.record_id for c in with_late.live_claims} - decision.covers
    for claim_id in unseen_live:  # a late claim that still competes is in an open after_decision conflict
        if any(c.record_id == claim_id and c.rep != owner for c in with_late.live_claims):
            assert any(claim_id in k.claim_ids and "after_decision" in k.flags and k.decision_id is None
                       for k in with_late.conflicts)
