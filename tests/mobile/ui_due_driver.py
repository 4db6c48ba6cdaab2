"""Run by test_ui_due_list.py in a subprocess under Xvfb: rep 王丽 opens 今日待跟进 after her
customers and a complaint were pulled; the list is most overdue first, a tap opens the
follow-up form for that customer, a next date in the past is refused in zh and en, and a
follow-up with a next date takes the customer off today's list at once (before any sync).

argv: server_url data_dir result_json [shots_dir].
"""

import sys
from datetime import date, timedelta

from ui_steps import run_steps, save_shot

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
shots_dir = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {}


def shot(name: str) -> None:
    save_shot(shots_dir, name)


def row_texts(screen) -> list[str]:
    return [getattr(w, "text", "") for w in reversed(screen.ids.rows.children)]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "wang.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home"
    yield lambda: len(app.customers.due_list("wang.li")) >= 4  # the pull brought her customers
    result["home_tiles"] = [w.text for w in reversed(app.screen("home").ids.tiles.children)]
    app.show("due")
    due = app.screen("due")
    yield lambda: app.tasks.busy == 0 and len(due.ids.rows.children) > 2
    result["summary"] = due.ids.summary.text
    result["rows"] = row_texts(due)
    shot("due_zh")
    app.toggle_language()
    yield lambda: app.tasks.busy == 0 and due.ids.summary.text.startswith(("0", "1", "2", "3"))
    result["summary_en"] = due.ids.summary.text
    result["rows_en"] = row_texts(due)
    app.toggle_language()
    yield lambda: app.tasks.busy == 0 and "今日待跟进" in due.ids.summary.text
    first = list(reversed(due.ids.rows.children))[0]
    press(first)
    yield lambda: app.sm.current == "follow"
    follow = app.screen("follow")
    result["follow_prefill"] = [follow.ids.name.text, follow.ids.phone.text]
    follow.ids.content.text = "电话回访，客户下周来看样板间"
    # F6: no method is preselected; saving without one is refused by its label
    result["method_preselected"] = [m for m in ("phone", "visit", "message") if follow.ids["method_" + m].state == "down"]
    press(follow.ids.save)
    yield lambda: follow.message_kind == "error"
    result["method_missing"] = follow.message
    follow.say("")
    press(follow.ids.method_phone)  # asked each time (issue 14 F6)
    follow.ids.next_on.value = (date.today() - timedelta(days=1)).isoformat()
    press(follow.ids.save)
    yield lambda: follow.message_kind == "error"
    result["past_refused"] = follow.message
    result["past_marked"] = follow.marked()
    app.toggle_language()
    press(follow.ids.save)
    yield lambda: follow.message_kind == "error" and follow.message.startswith("Not saved")
    result["past_refused_en"] = follow.message
    app.toggle_language()
    follow.ids.next_on.value = (date.today() + timedelta(days=2)).isoformat()
    press(follow.ids.grade_A)  # 李娜 was B: the rep re-grades her at this contact
    press(follow.ids.tier_vip)
    yield lambda: True
    shot("due_follow_up_regrade_zh")
    press(follow.ids.save)
    yield lambda: follow.message_kind == "ok"
    result["saved"] = follow.message
    result["grade_after_save"] = [follow.ids["grade_" + g].state for g in "ABCD"]
    result["method_after_save"] = [m for m in ("phone", "visit", "message") if follow.ids["method_" + m].state == "down"]
    result["her_grade"] = [c.grade for c in app.customers.due_list("wang.li") if c.name == "李娜"]
    app.go_back()
    yield lambda: app.sm.current == "due"
    yield lambda: app.tasks.busy == 0 and row_texts(due) != result["rows"]
    result["rows_after"] = row_texts(due)
    shot("due_after_follow_up_zh")
    # the open complaint: tap it, record that the customer was contacted (响应)
    press(next(w for w in due.ids.rows.children if "样板间漏水" in getattr(w, "text", "")))
    yield lambda: app.sm.current == "complaint_step"
    step = app.screen("complaint_step")
    result["step_summary"] = step.ids.summary.text
    result["step_preselected"] = [s for s in ("responded", "solution_offered", "resolved")
                                  if step.ids["step_" + s].state == "down"]
    result["extension_shown_to_rep"] = step.ids.extension_row.opacity
    result["satisfaction_preselected"] = [s for s in ("satisfied", "neutral", "dissatisfied")
                                          if step.ids["sat_" + s].state == "down"]
    step.ids.note.text = "已电话联系客户，约明天上午查看"
    yield lambda: True
    shot("complaint_step_zh")
    press(step.ids.save)
    yield lambda: app.sm.current == "due"
    yield lambda: app.tasks.busy == 0 and any("初步方案" in t for t in row_texts(due))
    result["complaint_after_step"] = [t for t in row_texts(due) if "样板间漏水" in t]
    yield lambda: app.tasks.busy == 0


run_steps(app, script(), result, result_path)
