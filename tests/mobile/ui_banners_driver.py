"""Run by test_ui_banners.py under Xvfb (QA of issue 14, item 4): the desk's banners and
wrapping labels with long names, at 1280×800 and 1024×600, in Chinese and English, in the real
app against a real server. argv: server_url data_dir result_json [shots_dir].

For each size and language: a walk-in saved with a 100-character name, one with a 40-character
name (爱新觉罗·溥…), one with a 100-letter Latin name; the confirmation bar's lines as Kivy laid
them out; the rep's verdict (新客户：本人接待（其他售楼员的客户不在本机：…）) and a long verdict
with similar names in the verdict band; the sync screen's rows (wrapping labels). Each banner is
recorded as ``{"case", "size", "lang", "lines", "fits"}``; screenshots in shots_dir.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from ui_steps import answer_walkin, run_steps, save_shot  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402

server_url, data_dir, result_path = sys.argv[1:4]
shots_dir = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {"banners": [], "labels": [], "shots": []}

NAMES = {"name100": "欧阳" + "娜" * 98, "name40": "爱新觉罗·溥" + "溥" * 34,
         "latin100": ("Zoë O'Brien-Smith " * 6)[:100].strip()}


def rendered(label) -> list[str]:
    """The label's lines as Kivy laid them out (after its own texture update)."""
    label.texture_update()
    return ["".join(w.text for w in line.words) for line in label._label._cached_lines]


def record(case: str, label, size: tuple[int, int], lang: str) -> None:
    result["banners"].append({"case": case, "size": list(size), "lang": lang, "text": label.text,
                              "lines": rendered(label), "fits": label.texture_size[1] <= label.height + 0.5})


def shot(name: str) -> None:
    result["shots"].append(save_shot(shots_dir, name))


def script():
    from kivy.core.window import Window

    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    phone = iter(range(100))
    walkin, sync, call = app.screen("walkin"), app.screen("sync"), app.screen("call")
    for size in ((1280, 800), (1024, 600)):
        Window.size = size
        for _ in range(5):
            yield lambda: True
        for lang in ("zh", "en"):
            if not app.lang.startswith(lang):
                app.toggle_language()
            app.show("walkin")
            for _ in range(3):
                yield lambda: True
            tag = f"{size[0]}x{size[1]}_{lang}"
            for case, name in NAMES.items():
                previous = walkin.message
                number = f"139 0000 {1000 + next(phone):04d}"
                walkin.ids.phone.text, walkin.ids.name.text = number, name
                answer_walkin(app, walkin)
                yield lambda number=number: (walkin.plan_ready and walkin.status is not None
                                             and walkin.status.phone_key == "+86" + number.replace(" ", ""))
                yield lambda: app.tasks.busy == 0 and walkin.plan_ready and not walkin.ids.register.disabled
                press(walkin.ids.register)
                yield lambda previous=previous: walkin.message_kind == "ok" and walkin.message != previous
                for _ in range(3):
                    yield lambda: True
                record("saved_" + case, walkin.ids.message, size, lang)
                shot(f"qa14_banner_{case}_{tag}")
            # a new number and a name one character from the long names saved: the real similar-name warning
            number = f"139 0000 {1000 + next(phone):04d}"
            walkin.ids.phone.text, walkin.ids.name.text = number, NAMES["name40"][:-1] + "仪"
            yield lambda: walkin.status is not None and bool(walkin.status.similar) and app.tasks.busy == 0
            for _ in range(4):
                yield lambda: True
            record("similar_verdict", walkin.ids.verdict, size, lang)
            shot(f"qa14_banner_similar_verdict_{tag}")
            # the rep's verdict in its exact words (a rep's tablet: 本人接待 + 其他售楼员的客户不在本机)
            walkin.verdict_text = walkin.t("verdict.new_own") + walkin.t("verdict.partial")
            for _ in range(4):
                yield lambda: True
            record("rep_verdict", walkin.ids.verdict, size, lang)
            shot(f"qa14_banner_rep_verdict_{tag}")
            # every field missing: the refusal lists them all in the message bar
            walkin.ids.phone.text = walkin.ids.name.text = walkin.ids.party.text = walkin.ids.source.text = ""

            def refused() -> bool:  # 登记 is disabled while the receiver is planned again: press once it is not
                if walkin.message_kind == "error":
                    return True
                if walkin.plan_ready and not walkin.saving and app.tasks.busy == 0:
                    press(walkin.ids.register)
                return False

            yield refused
            for _ in range(3):
                yield lambda: True
            record("missing_fields", walkin.ids.message, size, lang)
            shot(f"qa14_banner_missing_fields_{tag}")
            yield lambda: app.tasks.busy == 0
            # 来电登记's confirmation (form.saved_n, every record form's): the same bar, a long name
            app.show("call")
            for _ in range(3):
                yield lambda: True
            number = f"139 0000 {1000 + next(phone):04d}"
            call.ids.phone.text, call.ids.name.text, call.ids.topic.text = number, NAMES["name100"], "价格"
            call.ids.source.text = call.ids.source.values[0]
            yield lambda number=number: (call.status is not None and call.status.phone_key.endswith(number[-4:])
                                         and app.tasks.busy == 0)
            previous = call.message
            press(call.ids.save)
            yield lambda previous=previous: call.message_kind == "ok" and call.message != previous
            for _ in range(3):
                yield lambda: True
            record("call_saved", call.ids.message, size, lang)
            shot(f"qa14_banner_call_saved_{tag}")
            app.show("complaint")  # looked at: at 1024×600 its fields ran under the header too
            for _ in range(4):
                yield lambda: True
            shot(f"qa14_complaint_{tag}")
            # the sync screen's rows: wrapping labels with the long names
            app.show("sync")
            yield lambda: app.sm.current == "sync" and len(sync.ids.rows.children) >= 3
            for _ in range(4):
                yield lambda: True
            for box in sync.ids.rows.children:
                for label in box.walk():
                    if type(label).__name__ == "InfoLabel" and label.text:
                        result["labels"].append({"size": list(size), "lang": lang, "text": label.text,
                                                 "lines": rendered(label)})
            shot(f"qa14_sync_rows_{tag}")
    if not app.lang.startswith("zh"):
        app.toggle_language()
    # L3: the name filled in for a returning customer's number goes when the number stops
    # matching — also for one typed with the letter O, which the verdict names
    app.show("walkin")
    walkin.ids.phone.text = walkin.ids.name.text = ""
    yield lambda: app.tasks.busy == 0
    walkin.ids.phone.text = "139 0000 1000"  # the first walk-in of this run
    yield lambda: walkin.status is not None and walkin.status.verdict == "returning" and bool(walkin.ids.name.text)
    result["filled_name"] = walkin.ids.name.text
    walkin.ids.phone.text = "139 OOOO 1OOO"
    yield lambda: walkin.status is not None and walkin.status.verdict == "invalid" and app.tasks.busy == 0
    result["letter_o"] = {"name": walkin.ids.name.text, "verdict": walkin.verdict_text, "kind": walkin.verdict_kind}
    shot("qa14_letter_o_zh")


run_steps(app, script(), result, result_path, timeout_s=60)
