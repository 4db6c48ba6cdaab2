"""QA of issue 14 (M6): a device name starting with U+202E (right-to-left override), enrolled
before enrolment refused it, turned the console's explanation around it backwards ("在 杰陈
人待接，记登次首 号五台前"). Every value a sentence embeds is isolated (<bdi>)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, update

from sync_server.storage.sql.tables import devices
from tests.console.conftest import shot, sign_in
from tests.server.helpers import Tablet

pytestmark = pytest.mark.browser

# where each character of the sentence's own words is drawn, left to right (first occurrence)
_LEFTS = """(li) => {
  const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT), lefts = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const ch = node.data[i];
      if ('首次登记接待人'.includes(ch) && !(ch in lefts)) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        lefts[ch] = range.getBoundingClientRect().left;
      }
    }
  }
  return lefts;
}"""


def test_qa14_m6_an_old_device_name_with_a_right_to_left_override_cannot_reverse_the_explanation(page, server):
    desk = Tablet(server, "desk.li", "前台五号")
    record = desk.record(rep="chen.jie", name="黄小丽", phone="13900009501")
    assert desk.statuses(record) == ["accepted"]
    engine = create_engine(server.db_url)
    with engine.begin() as conn:  # as enrolled before the server refused it
        conn.execute(update(devices).where(devices.c.id == desk.device_id).values(name="\u202e前台五号"))
    engine.dispose()
    customer_id = Tablet(server, "zhao.min").get("/customers/lookup", phone="13900009501").json()["customer_id"]

    sign_in(page)
    page.goto(f"/console/customers/{customer_id}")
    step = page.get_by_test_id("step").filter(has_text="首次登记").first
    lefts = step.evaluate(_LEFTS)
    shot(page, "qa14_m6_bidi_device_name")
    assert lefts["首"] < lefts["次"] < lefts["登"] < lefts["记"], lefts  # read left to right, not reversed
    assert lefts["记"] < lefts["接"] < lefts["待"] < lefts["人"], lefts
    assert step.locator("bdi", has_text="前台五号").count() == 1
