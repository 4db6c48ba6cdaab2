"""``fieldsync-app --demo-shots DIR``: a scripted reception-and-rep day through the real widgets.

A throwaway server is started; the desk enrols, sets the rotation, registers walk-ins (one
new, one returning), goes offline (registrations keep working), comes back, finds a dispute
and a rejected record, corrects it; the manager confirms two walk-ins in the console and the
desk sees who confirmed them; then a rep's tablet files a visit report with a drawn
signature, a follow-up, a complaint and a deal (小定, then 换房). A PNG of every screen
passed is saved in DIR. Exit status 0 only if every check of the script held.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from shared.phones import phone_digits

from .demo_deal import deal_steps
from .demo_server import PASSWORD, DemoServer

__all__ = ["run_demo", "find_widget", "press"]


def find_widget(root, predicate: Callable) -> object | None:
    """The first widget under ``root`` (depth first) for which ``predicate`` holds."""
    todo = [root]
    while todo:
        widget = todo.pop(0)
        if predicate(widget):
            return widget
        todo.extend(widget.children[::-1])  # kivy keeps children last-added first
    return None


def press(button) -> None:
    """Press and release a button as a finger would: the same calls as ButtonBehavior's touch
    handlers (state changes, toggle groups, on_press, on_release)."""
    button._do_press()
    button.dispatch("on_press")
    button._do_release()
    button.dispatch("on_release")


class ScriptFailed(Exception):
    pass


class Demo:
    def __init__(self, app, shots: Path, server: DemoServer, workdir: Path):
        self.app, self.shots, self.server, self.workdir = app, shots, server, workdir
        self.checks: list[tuple[str, bool]] = []
        self.rep_tablets: list[tuple] = []
        self.shot_count = 0
        self.failed: str | None = None

    # -- helpers -----------------------------------------------------------------------------
    def shot(self, name: str) -> None:
        from kivy.core.window import Window

        self.shot_count += 1
        target = self.shots / f"{self.shot_count:02d}_{name}.png"
        made = Window.screenshot(name=str(self.shots / "tmp.png"))
        os.replace(made, target)

    def check(self, what: str, ok: bool) -> None:
        self.checks.append((what, bool(ok)))
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            raise ScriptFailed(what)

    def screen(self, name: str):
        return self.app.screen(name)

    def type_into(self, screen_name: str, field: str, text: str) -> None:
        self.screen(screen_name).ids[field].text = text

    def tap(self, screen_name: str, predicate) -> None:
        button = find_widget(self.screen(screen_name), predicate)
        if button is None:
            raise ScriptFailed(f"no such button on {screen_name}")
        press(button)

    def tap_text(self, screen_name: str, text: str) -> None:
        self.tap(screen_name, lambda w: getattr(w, "text", None) == text and hasattr(w, "on_release"))

    def until(self, predicate, timeout: float = 20.0, what: str = ""):
        return ("until", predicate, timeout, what)

    def walkin_status(self, phone_key: str):
        status = self.screen("walkin").status
        return status if status is not None and status.phone_key == phone_key else None

    def rep_tablet(self, username: str) -> tuple:
        """Another rep's tablet, driven through the same services (no window of its own)."""
        from .services import RecordCapture
        from .store import LocalStore
        from .sync import SyncClient

        store = LocalStore(self.workdir / f"tablet-{username}" / "fieldsync.db")
        client = SyncClient(store)
        client.enroll(self.server.base_url, username, PASSWORD, f"{username}-tablet")
        tablet = (store, RecordCapture(store), client)
        self.rep_tablets.append(tablet)
        return tablet

    # -- the script -----------------------------------------------------------------------------
    def script(self) -> Iterator:
        app, t = self.app, self.app.t
        yield self.until(lambda: app.sm.current == "enrol", 10, "enrol screen shown")
        self.type_into("enrol", "server", self.server.base_url)
        self.type_into("enrol", "username", "desk.li")
        self.type_into("enrol", "password", PASSWORD)
        self.type_into("enrol", "device", "前台平板-1")
        yield 0.3
        self.shot("enrol")
        press(self.screen("enrol").ids.submit)
        yield self.until(lambda: app.sm.current == "home", 20, "desk signed in")
        yield self.until(lambda: app.status.last_success and app.status.pending == 0 and
                         len(app.profile.current.reps) == 3, 20, "first sync brought the reps")
        app.screen("home").refresh()
        yield 0.3
        self.shot("home_reception")

        # rotation: zhang.qiang is on an errand for the manager (keeps priority, 补接)
        app.show("rotation")
        yield self.until(lambda: self.screen("rotation").board is not None, 10)
        self.tap("rotation", lambda w: getattr(w, "group", None) == "rot-zhang.qiang" and w.text == t("rotation.assigned"))
        yield self.until(lambda: self.screen("rotation").board.rotation.status.get("zhang.qiang") == "assigned", 10)
        yield 0.3
        self.shot("rotation_errand")

        # a new customer
        app.show("walkin")
        self.type_into("walkin", "phone", "138 0013 8000")
        self.type_into("walkin", "name", "张伟")
        yield self.until(lambda: self.walkin_status("+8613800138000"), 10, "lookup answered")
        yield self.until(lambda: self.screen("walkin").turn is not None, 10)
        self.check("张伟 is a new customer", self.walkin_status("+8613800138000").verdict == "new")
        first_rep = self.screen("walkin").turn.rep
        self.check("new walk-in goes to the head of the rotation (陈杰)", first_rep == "chen.jie")
        yield 0.2
        self.shot("walkin_new_customer")
        press(self.screen("walkin").ids.register)
        yield self.until(lambda: self.screen("walkin").message_kind == "ok", 10, "registration saved")
        yield self.until(lambda: app.status.pending == 0 and app.status.online, 20, "registration synced")

        # the same customer comes back: returning, hand over, not counted
        self.type_into("walkin", "phone", "+86 138-0013-8000")
        yield self.until(lambda: (s := self.walkin_status("+8613800138000")) and s.verdict == "returning", 10)
        yield self.until(lambda: self.screen("walkin").turn is not None and self.screen("walkin").turn.reason == "returning", 10)
        status = self.walkin_status("+8613800138000")
        self.check("returning customer of 陈杰 recognised from the server's index", status.owner == "chen.jie")
        why = self.screen("walkin").explanation_text
        self.check("the desk sees why in plain words: first registration by 陈杰, protected until",
                   "首次登记" in why and "陈杰" in why and "保护期至" in why and "R1" not in why)
        yield 0.2
        self.shot("walkin_returning_customer")
        self.type_into("walkin", "name", "张伟")
        press(self.screen("walkin").ids.register)
        yield self.until(lambda: self.screen("walkin").message_kind == "ok", 10)
        # the returning walk-in reaches the server before it goes away (else it races the stop)
        yield self.until(lambda: app.status.pending == 0 and app.status.online, 20, "returning walk-in synced")

        # chen.jie's own tablet (enrolled while online)
        chen = self.rep_tablet("chen.jie")
        # offline stretch: the server goes away
        self.server.stop()
        app.sync_now()  # the last sync may have finished before the stop; the next timed one is a minute away
        yield self.until(lambda: app.status.online is False, 30, "the tablet notices it is offline")
        # chen.jie's tablet captures 李娜 first, offline as well
        chen[1].capture("walkin", name="李娜", phone="139 1234 5678", rep="chen.jie",
                             data={"visit": "first", "party_size": 2, "intent": "A"})
        yield 1.0
        app.show("walkin")
        self.type_into("walkin", "phone", "139 1234 5678")
        self.type_into("walkin", "name", "李娜")
        yield self.until(lambda: (s := self.walkin_status("+8613912345678")) and s.verdict == "new", 10)
        yield self.until(lambda: self.screen("walkin").turn is not None and self.screen("walkin").turn.reason == "turn", 10)
        self.check("offline, the next new walk-in goes to 王丽", self.screen("walkin").turn.rep == "wang.li")
        press(self.screen("walkin").ids.register)
        yield self.until(lambda: self.screen("walkin").message_kind == "ok"
                         and "李娜" in self.screen("walkin").message, 10)
        # next up would be zhang.qiang, still on the errand: skipped now, owed a turn (补接)
        self.type_into("walkin", "phone", "136 2222 3333")
        self.type_into("walkin", "name", "刘洋")
        yield self.until(lambda: (s := self.walkin_status("+8613622223333")) and s.verdict == "new", 10)
        yield self.until(lambda: self.screen("walkin").turn is not None and self.screen("walkin").turn.rep == "chen.jie", 10,
                         "zhang.qiang skipped while away")
        press(self.screen("walkin").ids.register)
        yield self.until(lambda: self.screen("walkin").message_kind == "ok"
                         and "刘洋" in self.screen("walkin").message, 10)
        # zhang.qiang is back from the errand: his missed turn is made up (补接)
        app.show("rotation")
        yield 0.3
        self.tap("rotation", lambda w: getattr(w, "group", None) == "rot-zhang.qiang" and w.text == t("rotation.present"))
        yield self.until(lambda: self.screen("rotation").board.rotation.status.get("zhang.qiang") == "present", 10)
        yield 0.3
        self.shot("rotation_back_owed_turns")
        # meanwhile the manager deactivated zhang.qiang (he left); the offline desk cannot know yet
        self.server.cli("users", "deactivate", "zhang.qiang")
        app.show("walkin")
        self.type_into("walkin", "phone", "137 0000 1111")
        self.type_into("walkin", "name", "王芳")
        yield self.until(lambda: (s := self.walkin_status("+8613700001111")) and s.verdict == "new", 10)
        yield self.until(lambda: self.screen("walkin").turn is not None and self.screen("walkin").turn.reason == "makeup", 10)
        self.check("zhang.qiang gets his make-up turn (补接)", self.screen("walkin").turn.rep == "zhang.qiang")
        yield 0.2
        self.shot("walkin_offline_makeup_turn")
        press(self.screen("walkin").ids.register)
        yield self.until(lambda: self.screen("walkin").message_kind == "ok"
                         and "王芳" in self.screen("walkin").message, 10)
        app.show("sync")
        yield self.until(lambda: app.status.pending == 7 and app.status.online is False, 10)
        yield 0.5
        self.shot("sync_offline_pending")

        self.server.start()
        yield self.until(lambda: app.status.pending == 0 and app.status.online, 60, "synced after the outage")
        # captured after his deactivation: refused (what was captured before would be accepted)
        self.check("the make-up walk-in for a departed rep is rejected", app.status.rejected == 1)
        chen[2].sync()  # chen.jie's tablet syncs later; its earlier capture wins (R1) → dispute
        app.sync_now()
        yield 2.0
        sync = self.screen("sync")
        sync.refresh()
        yield self.until(lambda: any(e.needs_attention for e in sync.entries), 10, "rejected record listed")
        rejected = next(e for e in sync.entries if e.needs_attention)
        self.check("rejected record shows the server's reason", rejected.error_code == "rep_inactive")
        yield 0.3
        self.shot("sync_rejected_with_reason")
        self.tap("sync", lambda w: getattr(w, "text", None) == t("sync.correct"))
        yield self.until(lambda: sync.popup is not None, 5)
        sync.popup.ids.rep.text = "王丽"
        yield 0.3
        self.shot("sync_correct_rejected")
        press(sync.popup.ids.apply)
        yield self.until(lambda: sync.popup is None, 10, "correction saved")
        yield self.until(lambda: app.status.pending == 0 and app.status.rejected == 0, 30, "correction accepted")
        sync.refresh()
        yield 0.8
        self.shot("sync_after_correction")

        # the manager confirms two of the day's walk-ins in the console (审核确认, R4); the desk's
        # next sync brings the confirmations and the sync screen says who confirmed them, and when
        chosen = [e.id for e in sync.entries if e.state == "accepted" and e.customer_name in ("张伟", "刘洋")][:2]
        self.server.confirm(chosen)
        app.sync_now()
        yield self.until(lambda: {e.id for e in sync.entries if e.confirmed} == set(chosen), 20,
                         "the confirmations reached the desk")
        rows = [w.text for w in sync.ids.rows.walk() if "已确认" in str(getattr(w, "text", ""))]
        self.check("the sync screen shows 已确认：赵敏 beside the confirmed walk-ins",
                   len(rows) == 2 and all("已确认：赵敏" in text for text in rows))
        yield 0.3
        self.shot("sync_confirmed_by_manager")

        # the dispute: 李娜 was registered by chen.jie's tablet first
        app.show("walkin")
        self.type_into("walkin", "phone", "")
        yield 0.3
        self.type_into("walkin", "phone", "13912345678")
        yield self.until(lambda: (s := self.walkin_status("+8613912345678")) and s.verdict == "disputed", 20,
                         "the desk sees the dispute")
        self.check("dispute: 陈杰 holds 李娜 by R1 until a manager decides",
                   self.walkin_status("+8613912345678").owner == "chen.jie")
        self.check("the dispute is explained: who registered first", "先登记" in self.screen("walkin").explanation_text
                   or "首次登记" in self.screen("walkin").explanation_text)
        yield 0.3
        self.shot("walkin_disputed")
        # the desk's day, and finding a customer by pinyin initials (issue 14)
        app.show("today")
        yield self.until(lambda: "来人" in self.screen("today").counts_text, 10, "today's visitors listed")
        self.shot("today_visitors")
        app.show("find")
        self.type_into("find", "query", "zw")
        yield self.until(lambda: any(f.name == "张伟" for f in self.screen("find").found), 10, "zw finds 张伟")
        self.shot("find_zw")
        self.screen("find").open(next(f for f in self.screen("find").found if f.name == "张伟"))
        yield self.until(lambda: self.screen("card").card is not None, 10, "the card of 张伟")
        self.shot("customer_card")

        # the rep's tablet
        app.open_profile(self.workdir / "rep-wang")
        yield self.until(lambda: app.sm.current == "enrol", 10)
        self.type_into("enrol", "server", self.server.base_url)
        self.type_into("enrol", "username", "wang.li")
        self.type_into("enrol", "password", PASSWORD)
        self.type_into("enrol", "device", "王丽的平板")
        press(self.screen("enrol").ids.submit)
        yield self.until(lambda: app.sm.current == "home", 20)
        yield self.until(lambda: app.status.last_success is not None, 20)
        app.screen("home").refresh()
        yield 0.3
        self.shot("home_rep")
        app.show("customers")
        customers = self.screen("customers")
        yield self.until(lambda: find_widget(customers, lambda w: "王芳" in str(getattr(w, "text", ""))
                                             and hasattr(w, "on_release")), 10, "王芳 listed under 我的客户")
        yield 0.3
        self.shot("my_customers_due")
        # tap 王芳: the follow-up form opens with her name and phone
        self.tap("customers", lambda w: "王芳" in str(getattr(w, "text", "")) and hasattr(w, "on_release"))
        yield self.until(lambda: app.sm.current == "follow", 5, "tapping a customer opens 跟进")
        follow = self.screen("follow")
        self.check("the follow-up is prefilled with 王芳 and her phone",
                   follow.ids.name.text == "王芳" and phone_digits(follow.ids.phone.text).endswith("13700001111"))
        follow.ids.content.text = "介绍 3 号楼新开盘户型，约周六看样板间"
        follow.ids.next_action.text = "周六带看"
        follow.ids.next_on.open_picker()  # the date comes from a month picker, never typed
        yield 0.3
        self.shot("follow_up_date_picker")
        # a next date in the past is refused (issue 11); the rep picks one three days ahead
        follow.ids.next_on.choose((date.today() - timedelta(days=1)).isoformat())
        self.tap_text("follow", t("common.save"))
        yield self.until(lambda: follow.message_kind == "error", 10, "a next date in the past is refused")
        self.check("a next date in the past is refused", "不能早于跟进当天" in follow.message)
        follow.ids.next_on.choose((date.today() + timedelta(days=3)).isoformat())
        yield 0.3
        self.shot("follow_up_from_my_customers")
        self.tap_text("follow", t("common.save"))
        yield self.until(lambda: follow.message_kind == "ok", 10, "follow-up saved")
        # from the follow-up, a visit report for the same customer
        press(follow.ids.start_visit)
        yield self.until(lambda: app.sm.current == "visit", 5)
        visit = self.screen("visit")
        self.check("the visit report starts with 王芳 as main contact",
                   visit.ids.contact_name.text == "王芳" and phone_digits(visit.ids.contact_mobile.text).endswith("13700001111"))
        for field, text in (("organisation", "华夏建材有限公司"), ("address", "星河路 88 号"), ("legal", "刘洋"),
                            ("suggestions", "希望增加周末看房班车"), ("contact_title", "采购经理")):
            visit.ids[field].text = text
        for scale, label in (("quality", "优良"), ("service", "良好"), ("awareness", "知名")):
            self.tap("visit", lambda w, s=scale, lab=label: getattr(w, "group", None) == "visit-" + s
                     and w.text == t("rating." + lab))
        pad = visit.ids.signature
        pad.draw_stroke([(30 + i * 12, 60 + (i % 5) * 14) for i in range(25)])
        pad.draw_stroke([(60 + i * 10, 120 - (i % 4) * 10) for i in range(20)])
        yield 0.3
        self.check("three ratings scored", visit.score_text.count("9") + visit.score_text.count("8") >= 2)
        self.shot("visit_report_ratings")
        visit.ids.form_scroll.scroll_y = 0
        yield 0.4
        self.shot("visit_report_signed")
        self.tap_text("visit", t("common.save"))
        yield self.until(lambda: visit.message_kind == "ok", 10, "visit report saved")
        # back on the follow-up (the customer is still there), a complaint for her
        app.go_back()
        yield 0.3
        press(follow.ids.start_complaint)
        yield self.until(lambda: app.sm.current == "complaint", 5)
        complaint = self.screen("complaint")
        self.check("the complaint starts with 王芳 and her phone",
                   complaint.ids.name.text == "王芳" and phone_digits(complaint.ids.phone.text).endswith("13700001111"))
        complaint.ids.content.text, complaint.ids.handler.text = "样板间空调太冷，等候时间过长", "王丽"
        yield 0.3
        self.shot("complaint")
        self.tap_text("complaint", t("common.save"))
        yield self.until(lambda: complaint.message_kind == "ok", 10)
        yield from deal_steps(self)  # 成交登记: 小定, then 换房 (demo_deal.py)
        yield self.until(lambda: app.status.pending == 0 and app.status.rejected == 0 and app.status.online, 30,
                         "the rep's records synced")
        app.show("sync")
        yield 1.0
        self.shot("sync_rep_done")
        app.show("customers")
        yield 1.0
        self.shot("my_customers_after_sync")
        app.set_language("en")
        app.show("walkin")
        self.type_into("walkin", "phone", "137 0000 1111")
        yield self.until(lambda: (s := self.walkin_status("+8613700001111")) and s.verdict == "deal", 10)  # the 小定 above
        yield 0.3
        self.shot("walkin_english")
        self.check("the English screen explains in English",
                   self.screen("walkin").explanation_text.startswith("first registration"))
        self.check("every screen shot saved", self.shot_count >= 22)


def run_demo(shots: Path) -> int:
    """Run the scripted demo; 0 if every check held."""
    shots.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="fieldsync-demo-"))
    os.environ.setdefault("KIVY_HOME", str(workdir / "kivy"))
    server = DemoServer(workdir)
    server.seed()
    server.start()
    from kivy.clock import Clock

    from .app import FieldsyncApp

    app = FieldsyncApp(data_dir=workdir / "desk", sync_interval=60)
    demo = Demo(app, shots, server, workdir)
    app.demo = demo
    steps = demo.script()
    state: dict = {"waiting": None}

    def fail(message: str) -> None:
        demo.failed = message
        print("FAIL " + message, flush=True)
        app.stop()

    def advance(_dt) -> None:
        try:
            if state["waiting"] is not None:
                _, predicate, deadline, what = state["waiting"]
                try:
                    done = predicate()
                except Exception:
                    done = False
                if not done:
                    if time.monotonic() > deadline:
                        fail(f"timed out waiting: {what or predicate}")
                        return
                    Clock.schedule_once(advance, 0.1)
                    return
                state["waiting"] = None
            step = next(steps)
        except StopIteration:
            app.stop()
            return
        except ScriptFailed as exc:
            fail(str(exc))
            return
        except Exception:
            fail(traceback.format_exc())
            return
        if isinstance(step, tuple) and step[0] == "until":
            state["waiting"] = ("until", step[1], time.monotonic() + step[2], step[3])
            Clock.schedule_once(advance, 0.1)
        else:
            Clock.schedule_once(advance, float(step))

    Clock.schedule_once(advance, 1.0)
    try:
        app.run()
    finally:
        server.stop()
        for store, _capture, _client in demo.rep_tablets:
            store.close()
        shutil.rmtree(workdir, ignore_errors=True)
    passed = demo.failed is None and demo.checks and all(ok for _, ok in demo.checks)
    print(f"demo {'passed' if passed else 'FAILED'}: {sum(ok for _, ok in demo.checks)} checks, "
          f"{demo.shot_count} screenshots in {shots}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(run_demo(Path(sys.argv[1])))
