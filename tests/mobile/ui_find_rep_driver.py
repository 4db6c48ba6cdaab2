"""Run by test_ui_find.py under Xvfb: rep 王丽 opens 查找客户 — ``xm`` and ``小明`` find her own
customer 小明🙂😀 with the whole phone (issue 14 F5, F10); ``8000`` finds 陈杰's customer with a
hidden name, said so (姓名仅归属人可见), in Chinese and English; his whole phone is not on her
tablet, said so (issue 14: a rep's tablet holds no tag of another rep's customer).

argv: server_url data_dir result_json [shots_dir].
"""

import sys

from ui_steps import run_steps, save_shot

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
shots_dir = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {}


def shot(name: str) -> None:
    save_shot(shots_dir, name)


def rows(find) -> list[str]:
    return [str(getattr(w, "text", "")) for w in reversed(find.ids.rows.children)]


def search(find, query: str):
    done = find.searches_done
    find.ids.query.text = query
    return lambda: find.searches_done > done and app.tasks.busy == 0 and find.ids.query.text == query


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "wang.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home"
    yield lambda: app.status.online and app.status.pending == 0 and app.search.find("8000") != []
    app.show("find")
    find = app.screen("find")
    for query, key in (("xm", "xm"), ("小明", "name"), ("8000", "other")):
        yield search(find, query)
        result[key] = rows(find)
        shot(f"find14_rep_{key}")
    yield search(find, "138 0013 8000")  # 陈杰's customer by whole phone: not on a rep's tablet (issue 14)
    result["other_phone"] = rows(find)
    for query, key in (("👍", "thumbs_up"), ("！！", "symbols"), ("🇨🇳", "flag")):  # QA5 F6f
        yield search(find, query)
        result[key] = rows(find)
    app.toggle_language()
    yield search(find, "👍")
    result["thumbs_up_en"] = rows(find)
    yield search(find, "5678")
    result["own_en"] = rows(find)
    yield search(find, "8000")
    result["other_en"] = rows(find)
    app.toggle_language()
    yield lambda: app.tasks.busy == 0
    # QA6 H2 / QA7: her own walk-in screen — she receives it herself, and her own customer is hers
    app.show("walkin")
    walkin = app.screen("walkin")
    for number, key in (("139 0000 5678", "walkin_own_customer"), ("137 5555 0199", "walkin_new")):
        walkin.ids.phone.text = number
        yield lambda last=number[-4:]: walkin.status is not None and walkin.plan_ready and (
            app.tasks.busy == 0 and walkin.status.phone_key.endswith(last))
        result[key] = [walkin.verdict_text, walkin.receiver_text]


run_steps(app, script(), result, result_path)
