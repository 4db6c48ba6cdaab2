"""QA5 F6b: the device name a tablet suggests at enrolment (``mobile.device_name``)."""

from __future__ import annotations

from mobile.device_name import MAX_NAME, install_id, suggested_name
from mobile.store import LocalStore


def test_qa5_f6b_the_suggestion_is_the_word_for_a_tablet_the_model_and_this_installs_id():
    """QA of issue 14, L1: the suggestion was the login name (desk.li-9daf), read by others as
    "在 desk.li-9daf 首次登记" on Chinese screens; now the word for a tablet in the user's language."""
    assert suggested_name("平板", "3f2a") == "平板-3f2a"
    assert suggested_name("平板", "3f2a", "SM-T510") == "平板-SM-T510-3f2a"
    assert suggested_name("Tablet", "3f2a") == "Tablet-3f2a"
    assert suggested_name("", "3f2a") == "tablet-3f2a"
    long = suggested_name("a" * 60, "3f2a", "Galaxy Tab S9 Ultra")
    assert len(long) <= MAX_NAME and long.endswith("-3f2a")


def test_qa5_f6b_the_install_id_is_drawn_once_per_installation(tmp_path):
    one, two = LocalStore(tmp_path / "one.db"), LocalStore(tmp_path / "two.db")
    try:
        first = install_id(one)
        assert install_id(one) == first and len(first) == 4
        again = LocalStore(tmp_path / "one.db")
        assert install_id(again) == first  # kept across restarts
        again.close()
        # two installations: 65,536 ids, so an equal pair is possible but rare; a clash is told apart by
        # the console's device id anyway
        ids = {install_id(LocalStore(tmp_path / f"t{i}.db")) for i in range(8)} | {install_id(two)}
        assert len(ids) >= 2
    finally:
        one.close()
        two.close()
