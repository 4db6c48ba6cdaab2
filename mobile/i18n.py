"""Every string the tablet shows, in 简体中文 and English (one table; switchable at runtime):
the app's frame here (enrol, home, status line, clock warning), the rest in modules by
responsibility merged below (``i18n_forms``, ``i18n_messages``, ``i18n_desk``,
``i18n_rotation``, ``i18n_deals``).

``tr(key, lang, **values)`` formats the entry; a missing key shows the key itself so a gap is
visible in screenshots instead of crashing the desk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["STRINGS", "LANGUAGES", "tr", "missing_keys", "clock_warning_text", "CLOCK_WARNING_MS",
           "join_list"]

from .i18n_deals import DEAL_STRINGS
from .i18n_desk import DESK_STRINGS
from .i18n_forms import FORM_STRINGS
from .i18n_messages import MESSAGE_STRINGS
from .i18n_rotation import ROTATION_STRINGS

LANGUAGES = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "app.title": ("fieldsync 现场登记", "fieldsync field desk"),
    "lang.switch": ("English", "中文"),
    "common.back": ("返回", "Back"),
    "common.save": ("保存", "Save"),
    "common.cancel": ("取消", "Cancel"),
    "common.saved": ("已保存，等待同步", "Saved; waiting to sync"),
    "common.none": ("无", "None"),
    "common.required": ("请填写：{fields}", "Please fill in: {fields}"),
    "common.error": ("未能保存：{message}", "Not saved: {message}"),
    # enrol
    "enrol.title": ("平板登记", "Enrol this tablet"),
    "enrol.server": ("服务器地址", "Server address"),
    "enrol.username": ("用户名", "Username"),
    "enrol.device_word": ("平板", "Tablet"),
    "enrol.password": ("密码", "Password"),
    "enrol.new_password": ("新密码（至少 8 位，由您自己设定）", "New password (at least 8 characters, your own)"),
    "enrol.device": ("设备名称", "Device name"),
    "enrol.submit": ("登录并登记本机", "Sign in and enrol"),
    "enrol.device_too_long": ("设备名称太长：最多 {limit} 个字，现在有 {length} 个字，请改短。",
                              "The device name is too long: it has {length} characters, the limit is {limit}; shorten it."),
    "enrol.device_hidden": ("设备名称里有看不见或改变文字方向的字符（{char}），常随粘贴带入：请重新输入设备名称。",
                            "The device name holds an invisible or direction-changing character ({char}), often "
                            "pasted along with text: type the name again."),
    "enrol.working": ("正在连接服务器…", "Contacting the server…"),
    "enrol.failed": ("登录失败：{message}", "Sign-in failed: {message}"),
    "enrol.remembered": ("本机已登记为 {device}，用户 {user}", "This tablet is enrolled as {device} for {user}"),
    # home
    "home.title": ("{site} · {name}", "{site} · {name}"),
    "home.walkin": ("来访登记", "Walk-in registration"),
    "home.call": ("来电登记", "Phone inquiry"),
    "home.rotation": ("排班 / 轮流接待", "Rotation board"),
    "home.customers": ("我的客户", "My customers"),
    "home.visit": ("走访报告单", "Site visit report"),
    "home.follow": ("跟进记录", "Follow-up"),
    "home.complaint": ("投诉登记", "Complaint"),
    "home.sync": ("同步", "Sync"),
    "home.signout": ("切换用户", "Switch user"),
    "alert.disputed": ("注意：{name}（{time} 登记，由 {rep} 接待）现有归属争议，按规则暂归 {owner}，等待经理裁定。",
                       "Note: {name} (registered {time}, received by {rep}) is now disputed; the rules give them to "
                       "{owner} until a manager decides."),
    "alert.owner": ("注意：{name}（{time} 登记，由 {rep} 接待）现归 {owner}。",
                    "Note: {name} (registered {time}, received by {rep}) now belongs to {owner}."),
    "alert.more": ("另有 {count} 条类似提醒，见同步页面。", "{count} more like this: see the sync screen."),
    "role.reception": ("接待台", "Reception desk"),
    "role.rep": ("售楼员", "Sales rep"),
    "role.manager": ("经理", "Manager"),
    # sync status line
    "status.pending": ("待同步 {pending} 条", "{pending} to sync"),
    "status.rejected": ("被退回 {rejected} 条", "{rejected} rejected"),
    "status.online": ("在线", "online"),
    "status.offline": ("离线", "offline"),
    "status.syncing": ("同步中…", "syncing…"),
    "status.never": ("尚未同步", "never synced"),
    "status.last": ("上次同步 {time}", "last sync {time}"),
    "status.signin": ("需要重新登录", "sign in again"),
    "status.revoked": ("本机已被停用", "tablet revoked"),
    "status.server_error": ("服务器出错（{status}）", "server error ({status})"),
    "clock.off": ("本机时钟与服务器相差{amount}（{direction}）：请在系统设置中校正日期和时间。已登记的记录仍以服务器时间核对，无法核实的时间会交经理确认。",
                  "This tablet's clock is {amount} {direction} the server's: correct the date and time in the "
                  "system settings. Records are still timed by the server; times it cannot verify go to the manager."),
    "clock.ahead": ("偏快", "ahead of"),
    "clock.behind": ("偏慢", "behind"),
    "clock.days": ("{n} 天", "{n:day|days}"),
    "clock.hours": ("{n} 小时", "{n:hour|hours}"),
    "clock.minutes": ("{n} 分钟", "{n:minute|minutes}"),
}


_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}|]*)\}")
"""``{count:walk-in|walk-ins}`` in an English string: the count, a space, then the word for
one or for any other number (QA of issue 14, L6: "Today: 12 walk-ins, 1 calls")."""


def _plurals(text: str, values: dict) -> str:
    def pick(match: re.Match) -> str:
        value = values.get(match.group(1))
        one = isinstance(value, int | float) and abs(value) == 1 or str(value) == "1"
        return "{" + match.group(1) + "} " + (match.group(2) if one else match.group(3))

    return _PLURAL.sub(pick, text)


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The string for ``key`` in ``lang`` (zh/en), formatted with ``values``; an English count
    written ``{n:day|days}`` takes the word that fits the number (``_PLURAL``)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[0 if lang.startswith("zh") else 1]
    if "|" in text:
        text = _plurals(text, values)
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError):
        return text


def join_list(items: Iterable[str], lang: str = "zh") -> str:
    """Names or labels as one list in ``lang``: 陈杰、王丽 in Chinese, "Chen Jie, Wang Li" in
    English (QA of issue 12 F12.3: the English board read "a、b")."""
    return ("、" if lang.startswith("zh") else ", ").join(items)


CLOCK_WARNING_MS = 10 * 60_000
"""A wall clock this far off the server's is shown as a problem (the server's own check on an
unverified clock allows 15 min; issue 8 item 7)."""


def clock_warning_text(offset_ms: int | None, t) -> str:
    """The home/sync screens' warning for a wall clock ``offset_ms`` ahead of the server (negative:
    behind), in the language of ``t`` (``t(key, **values)``); "" when near enough or unknown."""
    if offset_ms is None or abs(offset_ms) < CLOCK_WARNING_MS:
        return ""
    minutes = abs(offset_ms) // 60_000
    if minutes >= 2 * 24 * 60:
        amount = t("clock.days", n=minutes // (24 * 60))
    elif minutes >= 120:
        amount = t("clock.hours", n=minutes // 60)
    else:
        amount = t("clock.minutes", n=minutes)
    return t("clock.off", amount=amount, direction=t("clock.ahead" if offset_ms > 0 else "clock.behind"))


STRINGS.update(FORM_STRINGS)  # the record forms (i18n_forms.py)
STRINGS.update(MESSAGE_STRINGS)  # sync screen, refusals and messages (i18n_messages.py)
STRINGS.update(DESK_STRINGS)  # 今日来访, 查找客户, 客户卡片, date picker (i18n_desk.py)
STRINGS.update(ROTATION_STRINGS)  # 排班: its own module (i18n_rotation.py)
STRINGS.update(DEAL_STRINGS)  # 成交登记: its own module (i18n_deals.py)


def missing_keys(keys: list[str]) -> list[str]:
    return [k for k in keys if k not in STRINGS]
