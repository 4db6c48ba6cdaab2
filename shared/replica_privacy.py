"""Who sees a customer, and which customers' phone tags a user's tablet holds (000 §三;
issue 14, docs/privacy.md "What a rep's tablet holds").

The same rule on the server (what a pull or snapshot sends) and on the tablet (what it keeps,
whatever an older server sent). Roles: ``manager``, ``director``, ``reception``, ``rep``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .shares import holders

__all__ = ["sees_customer", "holds_phone_tag", "SEES_EVERY_PHONE"]

SEES_EVERY_PHONE = ("manager",)
"""Roles that see every customer's phone and name (000 §三: the owner and the managers; a
director reads the sites' numbers and disputes in the director's console, not customers)."""


def sees_customer(role: str | None, username: str | None, owner: str | None,
                  split: Mapping[str, int] | None) -> bool:
    """Does a user see a customer's phone and name? Managers always; anyone else
    only as the customer's owner or a rep holding a share above 0 % of it (R8, R10; a share of
    0 is how a decision takes one away, ``shared.shares``). ``split``: rep -> percent, or None."""
    if role in SEES_EVERY_PHONE:
        return True
    return bool(username) and (owner == username or username in holders(split))


def holds_phone_tag(role: str | None, username: str | None, owner: str | None,
                    split: Mapping[str, int] | None, named: bool = False) -> bool:
    """Does this user's tablet hold the customer's ``phone_tag`` (``shared.phones.phone_tag``)?
    ``named``: the user's own records (written by them or naming them as the rep, held ones
    left out) named this phone — the tablet holds the number in clear already.

    The reception desk holds every customer's: its look-up of a typed number ("returning
    customer of 王丽") is what it exists for. A rep's tablet holds only the tags of the customers
    the rep sees (``sees_customer``): a tag with the last four digits is what an insider's
    script enumerates (521,600 candidates a number, docs/privacy.md), and a rep has no need to
    recognise other reps' customers offline — the server decides ownership when the record
    arrives (R1, by capture time), and the rep's tablet says it could not check. A number the
    rep's own records named keeps its customer's tag (the tablet has the number anyway): after
    a sync the rep's tablet still tells that its walk-in is another rep's customer (issue 9's
    alert). Managers hold every tag (they see every phone anyway)."""
    return role != "rep" or named or sees_customer(role, username, owner, split)
