"""Organisations, directors and decision proposals (issue 12, R10) in the storage contract, on
SQLite and PostgreSQL: a site's organisation and approval setting, usernames unique across
users and directors, proposals read back as written (JSON kept), per site and oldest first,
reviewed once."""

from __future__ import annotations

import pytest

from sync_server.storage.base import DuplicateKey, Site, UnknownSite, User
from sync_server.storage.organisations import Director, Organisation, ProposalRow


def _proposal(id_: str, at: str, site_id: str = "s1", **changes) -> ProposalRow:
    values = dict(id=id_, site_id=site_id, conflict_id="c1", phone_key="k1", owner="zhang.qiang",
                  split={"zhang.qiang": 70, "wang.li": 30}, reason="客户指定", proposed_at=at, author="zhao.min",
                  covers=["r1", "r2"])
    return ProposalRow(**{**values, **changes})


def test_sites_organisations_and_directors(store):
    store.add_site(Site("s1", "一号"))
    store.add_site(Site("s2", "二号"))
    store.add_org(Organisation("org-a", "华东"))
    with pytest.raises(DuplicateKey):
        store.add_org(Organisation("org-a", "again"))
    assert store.site_approval("s1") == "none" and store.org_of_site("s1") is None
    store.set_site_org("s1", org_id="org-a", approval="splits")
    assert store.org_of_site("s1") == "org-a" and store.site_approval("s1") == "splits"
    assert store.sites_of_org("org-a") == ["s1"] and store.get_site("s1") == Site("s1", "一号")
    with pytest.raises(UnknownSite):
        store.set_site_org("nowhere", approval="all")
    store.add_director(Director("dir.a", "org-a", "钱总", "hash"))
    assert store.get_director("dir.a") == Director("dir.a", "org-a", "钱总", "hash", True)
    assert store.list_directors("org-a") == [store.get_director("dir.a")] and store.list_directors("x") == []
    store.add_user(User("zhao.min", "s1", "赵敏", "manager", "hash"))
    with pytest.raises(DuplicateKey):  # one username space
        store.add_director(Director("zhao.min", "org-a", "x", "hash"))
    with pytest.raises(DuplicateKey):
        store.add_user(User("dir.a", "s1", "x", "rep", "hash"))


def test_proposals_read_back_per_site_oldest_first_and_are_reviewed_once(store):
    store.add_site(Site("s1", "一号"))
    store.add_site(Site("s2", "二号"))
    late, early = _proposal("p1", "2026-11-21T02:00:00.000Z"), _proposal("p2", "2026-11-20T02:00:00.000Z", split=None)
    with store.write("s1"):
        store.add_proposal(late)
        store.add_proposal(early)
    with store.write("s2"):
        store.add_proposal(_proposal("p3", "2026-11-19T02:00:00.000Z", site_id="s2", conflict_id="c9"))
    assert store.get_proposal("s1", "p1") == late and store.get_proposal("s2", "p1") is None
    assert [p.id for p in store.proposals_of_conflicts("s1", ["c1"])] == ["p2", "p1"]
    assert [p.id for p in store.proposals_of_sites(["s1", "s2"])] == ["p3", "p2", "p1"]
    assert [p.id for p in store.proposals_of_sites(["s1"])] == ["p2", "p1"]
    with store.write("s1"):
        store.review_proposal("s1", "p2", status="returned", reviewer="dir.a", reviewed_at="2026-11-22T00:00:00.000Z",
                              review_reason="请补充")
        store.review_proposal("s1", "p2", status="approved", reviewer="x", reviewed_at="2026-11-23T00:00:00.000Z")
    reviewed = store.get_proposal("s1", "p2")
    assert reviewed is not None and (reviewed.status, reviewed.reviewer, reviewed.review_reason) == \
        ("returned", "dir.a", "请补充")  # the first review stands
    assert [p.id for p in store.proposals_of_sites(["s1"])] == ["p1"]
    assert [p.id for p in store.proposals_of_sites(["s1"], None)] == ["p2", "p1"]
