"""Who may correct, withdraw or refer to a record another user captured: one rule for the
server (``sync_server.services.push_checks.foreign_supersedes``: ``not_own_record``) and the
tablet (``mobile.services.record_rights``: the 更正 / 撤回 / 撤销 / 作废 / 退订 / 换房 it offers).

A record "supersedes" another when it corrects it (R4: corrections are new records, the
history stays) or withdraws it (a ``withdrawal`` naming it in ``supersedes``); a deal's
``data.refers_to`` (退订, 换房) names the deal it changes. The pusher may do so when:

- the pusher is a manager (R4: the manager corrects and arbitrates);
- the pusher is the target's author (their own record);
- the target is a ``deal`` whose ``rep`` is the pusher (R9: the rep keeps the deal, whoever
  wrote its entries — a manager's correction of her 小定 stays hers to 退订);
- the pusher is the desk (role ``reception``) and the target is desk work (``desk_work``):
  reception staff share the desk's day, its walk-ins and 排班; a manager's ``rotation`` record
  is the manager covering the desk's board. A manager's walk-in or call is not: letting the
  desk correct it let the desk re-point a rep's walk-in the manager had corrected (QA of
  issue 14, fourth round).

Pure: no I/O, no clock. Shapes: usernames and roles are the server's (``manager``,
``reception``, ``rep``); ``author`` None when the author is not known (a pulled record: the
wire carries no author), which then matches nobody.
"""

from __future__ import annotations

__all__ = ["may_supersede", "desk_work", "DESK_ROLE", "MANAGER_ROLE"]

MANAGER_ROLE = "manager"
DESK_ROLE = "reception"


def desk_work(target_type: str, author_role: str | None) -> bool:
    """Is a record of ``target_type`` whose author has ``author_role`` the desk's to correct or
    withdraw? A desk user's record, or a manager's 排班 ``rotation`` record (it names no
    customer, so it moves no ownership)."""
    return author_role == DESK_ROLE or (author_role == MANAGER_ROLE and target_type == "rotation")


def may_supersede(username: str, role: str | None, *, target_type: str, author: str | None,
                  author_role: str | None, rep: str | None) -> bool:
    """May ``username`` (of ``role``) correct, withdraw or refer to (a deal's ``refers_to``)
    a record of ``target_type`` captured by ``author`` (``author_role`` its role on the site,
    None for a user the reader does not know) naming ``rep``? See the module's rule.

    >>> may_supersede("wang.li", "rep", target_type="walkin", author="desk.li", author_role="reception",
    ...               rep="wang.li")
    False
    >>> may_supersede("desk.two", "reception", target_type="walkin", author="desk.li",
    ...               author_role="reception", rep="wang.li")
    True
    """
    if role == MANAGER_ROLE:
        return True
    if not username:
        return False  # nobody signed in is nobody's author
    if author is not None and author == username:
        return True
    if target_type == "deal" and rep is not None and rep == username:
        return True
    return role == DESK_ROLE and desk_work(target_type, author_role)
