"""Run by test_ui_signin.py under Xvfb (issue 12 leftovers): a user who must choose a new
password, across an app restart. argv: server_url data_dir result_json. The step is in
``FIELDSYNC_SIGNIN_STEP``:

- ``first``: sign in as new.rep with the temporary password: the 新密码 field shows with the
  first-sign-in hint; the app stops there (as a clerk closing it, or Android killing it).
- ``restart``: the app again on the same data: the field, the username and the hint are back
  before anything is submitted; the new password is chosen and the tablet enrolled.
- ``l3`` (QA of issue 14, L3 and M6): the server address typed without ``http://``, a tablet
  name of 150 characters, then one starting with U+202E, then a good one: each message, and the
  address and name enrolled with.
- ``device`` (QA5 F6b): the device name suggested before and after the username is typed, and
  the name the tablet enrolled with (desk.li).
"""

import os
import sys

from ui_steps import run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
step = os.environ["FIELDSYNC_SIGNIN_STEP"]
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {}


def state(enrol) -> dict:
    return {"must_change": enrol.must_change, "username": enrol.ids.username.text, "message": enrol.message,
            "new_password_shown": enrol.ids.new_password.opacity == 1 and not enrol.ids.new_password.disabled}


def first():
    yield lambda: app.sm.current == "enrol"
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "new.rep", "temp-pass-9"
    press(enrol.ids.submit)
    yield lambda: enrol.must_change and enrol.message_kind == "error"
    yield lambda: app.tasks.busy == 0  # the pending change is kept before the app goes
    result.update(state(enrol))


def restart():
    yield lambda: app.sm.current == "enrol"
    enrol = app.screen("enrol")
    yield lambda: enrol.must_change or app.tasks.busy == 0
    yield lambda: True
    result.update(state(enrol))
    enrol.ids.password.text, enrol.ids.new_password.text = "temp-pass-9", "new-rep-own-pw"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" or enrol.message_kind == "error"
    result["after_submit"] = app.sm.current
    result["submit_message"] = enrol.message


def device():
    yield lambda: app.sm.current == "enrol"
    enrol = app.screen("enrol")
    yield lambda: app.tasks.busy == 0 and enrol.ids.device.text != ""
    result["before_username"] = enrol.ids.device.text
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    yield lambda: True
    result["suggested"] = enrol.ids.device.text
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" or enrol.message_kind == "error"
    result["enrolled"] = app.profile.current.device_name
    result["install_id"] = app.store.get_meta("install_id")


def l3():
    yield lambda: app.sm.current == "enrol"
    enrol = app.screen("enrol")
    yield lambda: app.tasks.busy == 0
    bare = server_url.removeprefix("http://")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = bare, "desk.li", "secret-pass-1"
    for label, name in (("too_long", "前台" * 75), ("override", "\u202e前台五号")):
        enrol.ids.device.text = name
        press(enrol.ids.submit)
        yield lambda: enrol.message_kind == "error"
        result[label] = enrol.message
        enrol.message, enrol.message_kind = "", ""
    enrol.ids.device.text = "前台五号"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" or enrol.message_kind == "error"
    result.update(after=app.sm.current, message=enrol.message, server=app.profile.current.server_url,
                  enrolled=app.profile.current.device_name)


run_steps(app, {"first": first, "restart": restart, "device": device, "l3": l3}[step](), result, result_path)
