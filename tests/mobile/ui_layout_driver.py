"""Run by test_ui_layout.py under Xvfb at 1280×800 (QA of issue 14, N8): every screen of the
desk's app against a real server. argv: server_url data_dir result_json [shots_dir].

- bands: in every vertical box of every screen, two shown neighbours lie no further apart than
  the box's spacing (a child hidden by a height of 0 leaves no gap); on the sync screen the
  summary starts right under the banner's reserved space (the ~130 px band);
- buttons: every button of every screen (toggles aside: their ``down`` means chosen) looks the
  same after a press and release as before it (the theme's pressed colour never sticks);
- lists: every drop-down and date field of every screen, opened by a real touch, then closed by a
  touch outside it, and the 指定接待 list closed by choosing a row: its button looks as before.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402
from kivy.uix.behaviors import ButtonBehavior  # noqa: E402
from kivy.uix.boxlayout import BoxLayout  # noqa: E402
from kivy.uix.scrollview import ScrollView  # noqa: E402
from kivy.uix.spinner import Spinner  # noqa: E402
from kivy.uix.togglebutton import ToggleButton  # noqa: E402
from ui_steps import run_steps, save_shot  # noqa: E402

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402
from mobile.pickers import DateField  # noqa: E402
from mobile.screens import SCREENS  # noqa: E402

server_url, data_dir, result_path = sys.argv[1:4]
shots = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=600)
result: dict = {"bands": [], "stuck": [], "lists": [], "screens": []}


def look(widget) -> list:
    return [list(widget.background_color), list(widget.color), widget.state]


def tap_at(x: float, y: float) -> None:
    """A finger down and up at window point (x, y), through the window's own event dispatch."""
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()


def tap(widget) -> None:
    tap_at(*widget.to_window(*widget.center))


def bands(screen_name: str, root) -> None:
    for box in root.walk():
        if not isinstance(box, BoxLayout) or box.orientation != "vertical" or box.height <= 0:
            continue
        shown = [c for c in reversed(box.children) if c.height > 0]
        for above, below in zip(shown, shown[1:], strict=False):
            gap = above.y - below.top
            if gap > box.spacing + 1:
                result["bands"].append([screen_name, type(box).__name__, box.spacing, gap,
                                        type(above).__name__, type(below).__name__])


def stuck_buttons(screen_name: str, root) -> None:
    for widget in root.walk():
        if isinstance(widget, ButtonBehavior) and not isinstance(widget, ToggleButton) and hasattr(widget, "color"):
            before = look(widget)
            widget._do_press()
            widget._do_release()
            if look(widget) != before:
                result["stuck"].append([screen_name, type(widget).__name__, getattr(widget, "text", ""),
                                        before, look(widget)])


def is_open(widget) -> bool:
    if isinstance(widget, Spinner):
        return widget.is_open
    return widget.popup is not None and widget.popup.parent is not None


def in_view(widget) -> bool:
    """Is the widget's centre on the window, inside every scrolling area around it?"""
    x, y = widget.to_window(*widget.center)
    if not (0 < x < Window.width and 0 < y < Window.height - 76):
        return False
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            x0, y0 = parent.to_window(parent.x, parent.y)
            x1, y1 = parent.to_window(parent.right, parent.top)
            if not (x0 < x < x1 and y0 < y < y1):
                return False
        parent = parent.parent
    return True


def list_buttons(root) -> list:
    return [w for w in root.walk() if (isinstance(w, Spinner) and w.values) or isinstance(w, DateField)
            if w.opacity > 0 and not w.disabled and w.get_root_window() is not None and in_view(w)]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    # first (before anything pressed it): 指定接待 on the walk-in screen opened by a touch, closed by choosing a rep
    app.show("walkin")
    walkin = app.screen("walkin")
    yield lambda: app.sm.current == "walkin" and not app.sm.transition.is_active and len(walkin.ids.designated.values) > 1
    spinner = walkin.ids.designated
    before = look(spinner)
    tap(spinner)
    yield lambda: spinner.is_open
    save_shot(shots, "layout_designated_open")
    row = next(w for w in spinner._dropdown.container.children if w.text == spinner.values[1])
    tap(row)
    yield lambda: not spinner.is_open and spinner.text == spinner.values[1]
    yield lambda: True
    save_shot(shots, "layout_designated_chosen")
    result["lists"].append(["walkin", "designated", "chosen", before, look(spinner)])
    result["designated_text"] = spinner.text

    for name in SCREENS:
        if name == "enrol":
            continue
        app.show(name)
        yield lambda n=name: app.tasks.busy == 0 and app.sm.current == n and not app.sm.transition.is_active
        yield lambda: True  # one more frame: the layout settles
        screen = app.screen(name)
        result["screens"].append(name)
        save_shot(shots, f"layout_{name}")
        bands(name, screen)
        for button in list_buttons(screen):  # by real touches, before the sweep below pressed them
            before = look(button)
            tap(button)
            yield lambda b=button: is_open(b)
            tap_at(4, 4)  # a touch outside the list: dismissed
            yield lambda b=button: not is_open(b)
            yield lambda: True
            result["lists"].append([name, type(button).__name__, "dismissed", before, look(button)])
        stuck_buttons(name, screen)
        if name == "sync":
            sync = app.screen("sync")
            bar = next(w for w in sync.walk() if type(w).__name__ == "MessageBar")
            summary = next(w for w in sync.walk() if getattr(w, "text", None) == sync.summary and w is not sync)
            result["sync_band"] = {"banner_bottom": bar.y, "banner_height": bar.height,
                                   "summary_top": summary.top, "summary_text": summary.text}
            # QA5 F5: the band shows the sync status while empty; a banner takes its place, nothing moves
            quiet = {"text": bar.text, "kind": bar.kind, "top": bar.top, "height": bar.height, "summary_top": summary.top,
                     "rows_top": sync.ids.rows.parent.top}
            sync.say(sync.t("sync.corrected"), "ok")  # the screen's own banner after a correction
            yield lambda: True
            yield lambda: True
            banner = {"text": bar.text, "kind": bar.kind, "top": bar.top, "height": bar.height, "summary_top": summary.top,
                      "rows_top": sync.ids.rows.parent.top}
            save_shot(shots, "layout_sync_banner")
            sync.say("")
            result["sync_quiet"], result["sync_banner"] = quiet, banner


run_steps(app, script(), result, result_path, timeout_s=40)
