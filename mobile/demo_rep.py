"""The demo's rep tablet (``--demo-shots``): 王丽 enrols, opens 我的客户, files a follow-up (a
past next date refused), a visit report with a drawn signature, a complaint and a deal (小定,
then 换房, ``demo_deal``), syncs, and the desk's English screen explains a customer in English.
Yields the demo's waits, as ``Demo.script`` does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from shared.phones import phone_digits

from .demo_deal import deal_steps
from .demo_kit import find_widget, press
from .demo_server import PASSWORD

__all__ = ["rep_steps"]


def rep_steps(demo) -> Iterator:
    app, t = demo.app, demo.app.t
    # the rep's tablet
    app.open_profile(demo.workdir / "rep-wang")
    yield demo.until(lambda: app.sm.current == "enrol", 10)
    demo.type_into("enrol", "server", demo.server.base_url)
    demo.type_into("enrol", "username", "wang.li")
    demo.type_into("enrol", "password", PASSWORD)
    demo.type_into("enrol", "device", "王丽的平板")
    press(demo.screen("enrol").ids.submit)
    yield demo.until(lambda: app.sm.current == "home", 20)
    yield demo.until(lambda: app.status.last_success is not None, 20)
    app.screen("home").refresh()
    yield 0.3
    demo.shot("home_rep")
    app.show("customers")
    customers = demo.screen("customers")
    yield demo.until(lambda: find_widget(customers, lambda w: "王芳" in str(getattr(w, "text", ""))
                                         and hasattr(w, "on_release")), 10, "王芳 listed under 我的客户")
    yield 0.3
    demo.shot("my_customers_due")
    # tap 王芳: the follow-up form opens with her name and phone
    demo.tap("customers", lambda w: "王芳" in str(getattr(w, "text", "")) and hasattr(w, "on_release"))
    yield demo.until(lambda: app.sm.current == "follow", 5, "tapping a customer opens 跟进")
    follow = demo.screen("follow")
    demo.check("the follow-up is prefilled with 王芳 and her phone",
               follow.ids.name.text == "王芳" and phone_digits(follow.ids.phone.text).endswith("13700001111"))
    press(follow.ids.method_phone)  # asked each time: no method is preselected (issue 14 F6)
    follow.ids.content.text = "介绍 3 号楼新开盘户型，约周六看样板间"
    follow.ids.next_action.text = "周六带看"
    follow.ids.next_on.open_picker()  # the date comes from a month picker, never typed
    yield 0.3
    demo.shot("follow_up_date_picker")
    # a next date in the past is refused (issue 11); the rep picks one three days ahead
    follow.ids.next_on.choose((date.today() - timedelta(days=1)).isoformat())
    demo.tap_text("follow", t("common.save"))
    yield demo.until(lambda: follow.message_kind == "error", 10, "a next date in the past is refused")
    demo.check("a next date in the past is refused", "不能早于跟进当天" in follow.message)
    follow.ids.next_on.choose((date.today() + timedelta(days=3)).isoformat())
    yield 0.3
    demo.shot("follow_up_from_my_customers")
    demo.tap_text("follow", t("common.save"))
    yield demo.until(lambda: follow.message_kind == "ok", 10, "follow-up saved")
    # from the follow-up, a visit report for the same customer
    press(follow.ids.start_visit)
    yield demo.until(lambda: app.sm.current == "visit", 5)
    visit = demo.screen("visit")
    demo.check("the visit report starts with 王芳 as main contact",
               visit.ids.contact_name.text == "王芳" and phone_digits(visit.ids.contact_mobile.text).endswith("13700001111"))
    for field, text in (("organisation", "华夏建材有限公司"), ("address", "星河路 88 号"), ("legal", "刘洋"),
                        ("suggestions", "希望增加周末看房班车"), ("contact_title", "采购经理")):
        visit.ids[field].text = text
    for scale, label in (("quality", "优良"), ("service", "良好"), ("awareness", "知名")):
        demo.tap("visit", lambda w, s=scale, lab=label: getattr(w, "group", None) == "visit-" + s
                 and w.text == t("rating." + lab))
    pad = visit.ids.signature
    pad.draw_stroke([(30 + i * 12, 60 + (i % 5) * 14) for i in range(25)])
    pad.draw_stroke([(60 + i * 10, 120 - (i % 4) * 10) for i in range(20)])
    yield 0.3
    demo.check("three ratings scored", visit.score_text.count("9") + visit.score_text.count("8") >= 2)
    demo.shot("visit_report_ratings")
    visit.ids.form_scroll.scroll_y = 0
    yield 0.4
    demo.shot("visit_report_signed")
    demo.tap_text("visit", t("common.save"))
    yield demo.until(lambda: visit.message_kind == "ok", 10, "visit report saved")
    # back on the follow-up (the customer is still there), a complaint for her
    app.go_back()
    yield 0.3
    press(follow.ids.start_complaint)
    yield demo.until(lambda: app.sm.current == "complaint", 5)
    complaint = demo.screen("complaint")
    demo.check("the complaint starts with 王芳 and her phone",
               complaint.ids.name.text == "王芳" and phone_digits(complaint.ids.phone.text).endswith("13700001111"))
    complaint.ids.content.text, complaint.ids.handler.text = "样板间空调太冷，等候时间过长", "王丽"
    press(complaint.ids.general)  # the severity is asked: none preselected (issue 14 F6)
    yield 0.3
    demo.shot("complaint")
    demo.tap_text("complaint", t("common.save"))
    yield demo.until(lambda: complaint.message_kind == "ok", 10)
    yield from deal_steps(demo)  # 成交登记: 小定, then 换房 (demo_deal.py)
    yield demo.until(lambda: app.status.pending == 0 and app.status.rejected == 0 and app.status.online, 30,
                     "the rep's records synced")
    app.show("sync")
    yield 1.0
    demo.shot("sync_rep_done")
    app.show("customers")
    yield 1.0
    demo.shot("my_customers_after_sync")
    app.set_language("en")
    app.show("walkin")
    demo.type_into("walkin", "phone", "137 0000 1111")
    yield demo.until(lambda: (s := demo.walkin_status("+8613700001111")) and s.verdict == "deal", 10)  # the 小定 above
    yield 0.3
    demo.shot("walkin_english")
    demo.check("the English screen explains in English",
               demo.screen("walkin").explanation_text.startswith("first registration"))
    demo.check("every screen shot saved", demo.shot_count >= 24)
