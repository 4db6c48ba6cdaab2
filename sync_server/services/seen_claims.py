"""What a manager saw of a dispute, against what it holds now (QA14 F2).

A decision covers the conflict's claims when it is stored. A late but earlier-captured claim
may join an open conflict after the manager opened its page (the rule's owner changes), or a
claim the manager saw may be withdrawn: a decision made on the page as it was would cover a
claim its manager never looked at. The console's form and the API's ``seen_claims`` say which
claims were seen; ``changed_since_seen`` refuses when they are not the conflict's claims now.
The director's approval checks the same against the claims the decision was submitted on.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Conflict
from ..storage.base import Store
from .display import display_name

__all__ = ["changed_since_seen"]


def changed_since_seen(store: Store, site_id: str, claim_ids: Iterable[str], seen: Iterable[str] | None,
                       what: str = "decision") -> Conflict | None:
    """409 ``conflict_changed`` when a dispute's claims now (``claim_ids``) are not the ones a
    manager saw (``seen``: the claim record ids the page or client showed; None: not said, an
    old client, nothing checked). QA14 F2: a late but earlier-captured claim joined an open
    conflict after the manager opened it, and the decision covered a claim nobody looked at.
    A claim seen that is no longer among them (withdrawn, corrected away) is a change too.
    The message names the reps of the new and the gone claims; ``details`` carries their ids.
    ``what``: "decision" (a manager deciding) or "approval" (a director approving a decision
    submitted on the claims ``seen``)."""
    if seen is None:
        return None
    now, before = {i.lower() for i in claim_ids}, {i.lower() for i in seen}  # either case is one id
    new, gone = sorted(now - before), sorted(before - now)
    if not new and not gone:
        return None
    reps = {r.id: r.rep for r in store.records_by_ids(site_id, [*new, *gone])}

    def who(ids: list[str], sep: str) -> str:
        names = [display_name(store, reps[i]) if reps.get(i) else "?" for i in ids]
        return sep.join(dict.fromkeys(names))

    en_parts, zh_parts = [], []
    if new:
        en_parts.append(f"a new registration by {who(new, ', ')} joined it" if len(new) == 1 else
                        f"new registrations by {who(new, ', ')} joined it")
        zh_parts.append(f"{who(new, '、')} 的新登记已加入")
    if gone:
        en_parts.append(f"the registration of {who(gone, ', ')} you saw is no longer in it (withdrawn or corrected)"
                        if len(gone) == 1 else
                        f"the registrations of {who(gone, ', ')} you saw are no longer in it (withdrawn or corrected)")
        zh_parts.append(f"您看到的 {who(gone, '、')} 的登记已不在其中（已撤回或已更正）")
    details = {"new_claims": new, "gone_claims": gone}
    if what == "approval":
        return Conflict("conflict_changed", f"The dispute has changed since this decision was submitted: "
                        f"{'; '.join(en_parts)}. The decision did not consider it; return the decision with a "
                        "reason so the manager decides again.", details=details,
                        zh=f"该裁定提交后争议已变化：{'；'.join(zh_parts)}。该裁定未考虑这些变化：请退回该裁定并写明理由，"
                        "由项目经理重新裁定。")
    return Conflict("conflict_changed", f"The dispute has changed: {'; '.join(en_parts)}. Your decision was not "
                    "saved; read the dispute again and decide.", details=details,
                    zh=f"争议已变化：{'；'.join(zh_parts)}。您的裁定未保存，请重新查看后裁定。")
