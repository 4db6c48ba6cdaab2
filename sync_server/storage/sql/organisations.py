"""Organisations, directors and decision proposals of ``SqlStore`` (issue 12, R10)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

from sqlalchemy import select, update

from ..base import DuplicateKey, UnknownSite
from ..organisations import Director, Organisation, ProposalRow
from .engine import Transactions, loads
from .tables import decision_proposals, directors, organisations, sites, users

__all__ = ["Organisations"]

_NAMES = [f.name for f in fields(ProposalRow)]
_SELECT = select(*[decision_proposals.c[name] for name in _NAMES])
_DIRECTOR_SELECT = select(directors.c.username, directors.c.org_id, directors.c.name, directors.c.password_hash,
                          directors.c.active)


def _proposal_of(row: Sequence) -> ProposalRow:
    values = dict(zip(_NAMES, row, strict=True))
    values["split"] = loads(values["split"]) if values["split"] is not None else None
    values["covers"] = loads(values["covers"])
    return ProposalRow(**values)


def _director_of(row: Sequence) -> Director:
    return Director(row[0], row[1], row[2], row[3], bool(row[4]))


def _order(rows: Iterable[ProposalRow]) -> list[ProposalRow]:
    return sorted(rows, key=lambda p: (p.proposed_at, p.site_id, p.id))


class Organisations(Transactions):
    def add_org(self, org: Organisation) -> None:
        with self.write():
            if self.get_org(org.id):
                raise DuplicateKey(f"organisation {org.id} exists")
            self._exec(organisations.insert().values(id=org.id, name=org.name))

    def get_org(self, org_id: str) -> Organisation | None:
        rows = self._all(select(organisations.c.id, organisations.c.name).where(organisations.c.id == org_id))
        return Organisation(*rows[0]) if rows else None

    def list_orgs(self) -> list[Organisation]:
        return [Organisation(*r) for r in self._all(select(organisations.c.id, organisations.c.name)
                                                    .order_by(organisations.c.id))]

    def org_of_site(self, site_id: str) -> str | None:
        rows = self._all(select(sites.c.org_id).where(sites.c.id == site_id))
        return rows[0][0] if rows else None

    def site_approval(self, site_id: str) -> str:
        rows = self._all(select(sites.c.approval).where(sites.c.id == site_id))
        return rows[0][0] if rows else "none"

    def set_site_org(self, site_id: str, *, org_id: str | None = None, approval: str | None = None) -> None:
        with self.write(site_id):
            if not self._all(select(sites.c.id).where(sites.c.id == site_id)):
                raise UnknownSite(site_id)
            values = {k: v for k, v in (("org_id", org_id), ("approval", approval)) if v is not None}
            if values:
                self._exec(update(sites).where(sites.c.id == site_id).values(**values))

    def sites_of_org(self, org_id: str) -> list[str]:
        return [r[0] for r in self._all(select(sites.c.id).where(sites.c.org_id == org_id).order_by(sites.c.id))]

    def add_director(self, director: Director) -> None:
        with self.write():
            if (self.get_director(director.username)
                    or self._all(select(users.c.username).where(users.c.username == director.username))):
                raise DuplicateKey(f"user {director.username} exists")
            self._exec(directors.insert().values(username=director.username, org_id=director.org_id,
                                                 name=director.name, password_hash=director.password_hash,
                                                 active=director.active))

    def get_director(self, username: str) -> Director | None:
        rows = self._all(_DIRECTOR_SELECT.where(directors.c.username == username))
        return _director_of(rows[0]) if rows else None

    def list_directors(self, org_id: str | None = None) -> list[Director]:
        query = _DIRECTOR_SELECT.order_by(directors.c.org_id, directors.c.username)
        if org_id:
            query = query.where(directors.c.org_id == org_id)
        return [_director_of(r) for r in self._all(query)]

    def add_proposal(self, row: ProposalRow) -> None:
        self._exec(decision_proposals.insert(), [{name: getattr(row, name) for name in _NAMES}])

    def get_proposal(self, site_id: str, proposal_id: str) -> ProposalRow | None:
        rows = self._all(_SELECT.where(decision_proposals.c.site_id == site_id,
                                       decision_proposals.c.id == proposal_id))
        return _proposal_of(rows[0]) if rows else None

    def review_proposal(self, site_id: str, proposal_id: str, *, status: str, reviewer: str, reviewed_at: str,
                        review_reason: str | None = None, decision_id: str | None = None) -> None:
        self._exec(update(decision_proposals).where(
            decision_proposals.c.site_id == site_id, decision_proposals.c.id == proposal_id,
            decision_proposals.c.status == "awaiting").values(
            status=status, reviewer=reviewer, reviewed_at=reviewed_at, review_reason=review_reason,
            decision_id=decision_id))

    def proposals_of_conflicts(self, site_id: str, conflict_ids: Iterable[str]) -> list[ProposalRow]:
        ids = sorted(set(conflict_ids))
        if not ids:
            return []
        rows = self._all(_SELECT.where(decision_proposals.c.site_id == site_id,
                                       decision_proposals.c.conflict_id.in_(ids)))
        return _order(map(_proposal_of, rows))

    def proposals_of_sites(self, site_ids: Sequence[str], status: str | None = "awaiting") -> list[ProposalRow]:
        if not site_ids:
            return []
        query = _SELECT.where(decision_proposals.c.site_id.in_(sorted(set(site_ids))))
        if status is not None:
            query = query.where(decision_proposals.c.status == status)
        return _order(map(_proposal_of, self._all(query)))
