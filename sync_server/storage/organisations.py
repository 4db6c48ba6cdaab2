"""Organisations, sales directors and decisions awaiting approval (issue 12, R10).

R10 (001 §14(五)): the project manager writes an opinion with a reason and the sales director
approves it (由项目经理……提出书面意见，报销售总监审批). A site belongs to at most one
organisation; a director belongs to an organisation (not to a site) and reviews the proposals
of its sites. A proposal is a manager's decision held back by the site's ``approval`` setting:
the engine never reads proposals, so until a director approves one the rule's owner stands.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Organisation", "Director", "ProposalRow", "OrgStore", "APPROVAL_SETTINGS", "PROPOSAL_STATUSES"]

APPROVAL_SETTINGS = ("none", "splits", "against_rule", "all")
"""A site's ``approval``: which manager decisions wait for the director. ``none`` (the default):
none, a decision takes effect at once; ``splits``: one that splits the commission between two
or more reps; ``against_rule``: one whose owner is not the rule's owner (the conflict's
``owner``); ``all``: every decision."""

PROPOSAL_STATUSES = ("awaiting", "approved", "returned")


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str


@dataclass(frozen=True)
class Director:
    """A sales director (销售总监) of one organisation: signs in to the console, reviews the
    decisions of the organisation's sites. Usernames are unique among users and directors."""

    username: str
    org_id: str
    name: str
    password_hash: str
    active: bool = True


@dataclass(frozen=True)
class ProposalRow:
    """A manager's decision waiting for (or reviewed by) the director. The decision's fields as
    ``DecisionRow`` has them (``proposed_at``: when the manager wrote it, UTC ISO 8601);
    ``status``: awaiting | approved | returned; ``reviewer``/``reviewed_at``: the director and
    when; ``review_reason``: the written reason of a return; ``decision_id``: the decision an
    approval stored."""

    id: str
    site_id: str
    conflict_id: str
    phone_key: str
    owner: str
    split: dict | None
    reason: str
    proposed_at: str
    author: str
    covers: list
    status: str = "awaiting"
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_reason: str | None = None
    decision_id: str | None = None


class OrgStore(ABC):
    """The organisation part of the storage contract (``base.Store`` inherits it)."""

    @abstractmethod
    def add_org(self, org: Organisation) -> None:
        """Create an organisation (own write). ``DuplicateKey`` for an id that exists."""

    @abstractmethod
    def get_org(self, org_id: str) -> Organisation | None:
        """The organisation, or None."""

    @abstractmethod
    def list_orgs(self) -> list[Organisation]:
        """Every organisation, by id."""

    @abstractmethod
    def org_of_site(self, site_id: str) -> str | None:
        """The organisation of the site (None: none, or no such site)."""

    @abstractmethod
    def site_approval(self, site_id: str) -> str:
        """The site's ``approval`` setting (``APPROVAL_SETTINGS``; ``none`` for an unknown site)."""

    @abstractmethod
    def set_site_org(self, site_id: str, *, org_id: str | None = None, approval: str | None = None) -> None:
        """Put the site in an organisation and/or set its approval (the ones given; own write of
        the site). ``UnknownSite`` for an unknown site; the caller checks the organisation exists."""

    @abstractmethod
    def sites_of_org(self, org_id: str) -> list[str]:
        """The ids of the organisation's sites, sorted."""

    @abstractmethod
    def add_director(self, director: Director) -> None:
        """Create a director (own write). ``DuplicateKey`` when the username is a user's or a
        director's already."""

    @abstractmethod
    def get_director(self, username: str) -> Director | None:
        """The director, active or not, or None."""

    @abstractmethod
    def list_directors(self, org_id: str | None = None) -> list[Director]:
        """The organisation's directors (all when None), by organisation then username."""

    @abstractmethod
    def add_proposal(self, row: ProposalRow) -> None:
        """*(in write of the site)* Append a proposal; an id stored twice at a site raises the
        database's integrity error."""

    @abstractmethod
    def get_proposal(self, site_id: str, proposal_id: str) -> ProposalRow | None:
        """The site's proposal, or None (another site's id reads as None)."""

    @abstractmethod
    def review_proposal(self, site_id: str, proposal_id: str, *, status: str, reviewer: str, reviewed_at: str,
                        review_reason: str | None = None, decision_id: str | None = None) -> None:
        """*(in write of the site)* Mark an awaiting proposal approved or returned."""

    @abstractmethod
    def proposals_of_conflicts(self, site_id: str, conflict_ids: Iterable[str]) -> list[ProposalRow]:
        """The site's proposals on these conflicts, by ``(proposed_at, id)``."""

    @abstractmethod
    def proposals_of_sites(self, site_ids: Sequence[str], status: str | None = "awaiting") -> list[ProposalRow]:
        """The proposals of these sites with ``status`` (all when None), oldest first
        (``proposed_at``, then site, then id)."""
