"""``shared.supersede_rights``: who may correct, withdraw or refer to another user's record — the
rule the server refuses ``not_own_record`` by and the tablet offers 更正/撤回 by, every branch."""

from __future__ import annotations

import pytest

from shared.supersede_rights import desk_work, may_supersede


def _may(username: str, role: str | None, target_type: str = "walkin", author: str | None = "desk.li",
         author_role: str | None = "reception", rep: str | None = "wang.li") -> bool:
    return may_supersede(username, role, target_type=target_type, author=author, author_role=author_role, rep=rep)


@pytest.mark.parametrize("target_type", ["walkin", "call", "follow_up", "deal", "rotation", "withdrawal"])
def test_a_manager_may_supersede_any_record_whoever_wrote_it(target_type):
    assert _may("zhao.min", "manager", target_type, author="chen.jie", author_role="rep", rep="chen.jie")
    assert _may("zhao.min", "manager", target_type, author=None, author_role=None, rep=None)


@pytest.mark.parametrize("role", ["rep", "reception"])
def test_the_author_may_supersede_her_own_record(role):
    assert _may("wang.li", role, "follow_up", author="wang.li", author_role=role, rep="chen.jie")


def test_a_rep_may_not_correct_the_desks_walkin_even_naming_her():
    """QA of issue 14, HIGH-3: the rep took the desk's walk-in by correcting it."""
    assert not _may("wang.li", "rep", "walkin", author="desk.li", author_role="reception", rep="wang.li")


def test_a_rep_may_not_withdraw_another_reps_record():
    assert not _may("wang.li", "rep", "follow_up", author="chen.jie", author_role="rep", rep="chen.jie")


def test_the_rep_of_a_deal_may_refer_to_it_whoever_wrote_it_and_no_other_rep():
    """R9: the rep keeps the deal; the manager's correction of her 小定 stays hers to 退订."""
    assert _may("wang.li", "rep", "deal", author="zhao.min", author_role="manager", rep="wang.li")
    assert not _may("chen.jie", "rep", "deal", author="zhao.min", author_role="manager", rep="wang.li")
    # only a deal: a walk-in naming her that the manager wrote stays the manager's
    assert not _may("wang.li", "rep", "walkin", author="zhao.min", author_role="manager", rep="wang.li")


def test_the_desk_may_supersede_the_desks_records():
    assert _may("desk.two", "reception", "walkin", author="desk.li", author_role="reception", rep="wang.li")
    assert _may("desk.two", "reception", "rotation", author="desk.li", author_role="reception", rep="wang.li")


def test_the_desk_may_undo_a_managers_rotation_record_but_not_correct_her_walkin():
    """QA re-check (HIGH-C) and fourth round: the board is the desk's, a manager's walk-in is hers."""
    assert _may("desk.li", "reception", "rotation", author="zhao.min", author_role="manager", rep="wang.li")
    assert not _may("desk.li", "reception", "walkin", author="zhao.min", author_role="manager", rep="wang.li")
    assert not _may("desk.li", "reception", "call", author="zhao.min", author_role="manager", rep=None)


def test_the_desk_may_not_supersede_a_reps_record_nor_a_deal_naming_nobody_at_the_desk():
    assert not _may("desk.li", "reception", "follow_up", author="wang.li", author_role="rep", rep="wang.li")
    assert not _may("desk.li", "reception", "deal", author="wang.li", author_role="rep", rep="wang.li")


def test_a_rep_is_no_desk_for_the_desks_records():
    assert not _may("wang.li", "rep", "rotation", author="desk.li", author_role="reception", rep="wang.li")


def test_an_unknown_author_matches_nobody_and_nobody_signed_in_is_nobody():
    assert not _may("wang.li", "rep", "walkin", author=None, author_role=None, rep="wang.li")
    assert _may("wang.li", "rep", "deal", author=None, author_role=None, rep="wang.li")  # her deal still
    assert not _may("", "rep", "walkin", author="", author_role=None, rep="")
    assert not _may("", None, "deal", author=None, author_role=None, rep=None)


def test_an_author_the_reader_does_not_know_is_no_desk_work():
    assert not _may("desk.li", "reception", "walkin", author="gone.user", author_role=None)


@pytest.mark.parametrize(("target_type", "author_role", "expected"), [
    ("walkin", "reception", True), ("rotation", "reception", True), ("rotation", "manager", True),
    ("walkin", "manager", False), ("rotation", "rep", False), ("walkin", "rep", False), ("rotation", None, False),
])
def test_desk_work(target_type, author_role, expected):
    assert desk_work(target_type, author_role) is expected
