"""The tablet's strings of the desk's day: 今日来访, 查找客户, 客户卡片 and the date picker, merged into ``i18n.STRINGS`` (split out of ``i18n.py`` by
responsibility; no key changed)."""

from __future__ import annotations

DESK_STRINGS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "today.title": ("今日来访", "Today's visitors"),
    "today.counts": ("今日　来人 {walkins}　来电 {calls}", "Today: {walkins:walk-in|walk-ins}, {calls:call|calls}"),
    # refused by the server, not corrected or withdrawn yet: counted apart, not as visitors (QA of issue 14 F8)
    "today.to_fix": ("　待处理 {count}（服务器未接受，请在同步页更正或撤回，更正后计入来人）",
                     "; {count} to fix (refused by the server: correct or withdraw it on the sync screen; once corrected it counts)"),
    "today.row_to_fix": ("　待处理", "  to fix"),
    "today.no_rep": ("—", "—"),
    "today.row": ("{time}　{type}　{name}　{phone}　{rep}", "{time}  {type}  {name}  {phone}  {rep}"),
    "today.empty": ("今天还没有登记", "Nothing registered today yet"),
    "find.title": ("查找客户", "Find a customer"),
    "find.hint": ("姓名、拼音首字母、手机号码或尾号", "Name, pinyin initials, phone or its last four digits"),
    "find.how": ("例如：张伟、zw、zhangwei、13800138000、8000", "For example: 张伟, zw, zhangwei, 13800138000, 8000"),
    "find.none": ("没有找到：请换个写法，或输入手机号码", "Nobody found: try another spelling, or type the phone"),
    "find.none_rep_phone": ("本机没有这个号码：其他售楼员的客户不在您的平板上，登记后由服务器判定归属",
                            "Not on this tablet: other reps' customers are not kept here; the server decides the "
                            "owner once the record is synced"),
    "find.unsearchable": ("表情和符号无法查找：请输入姓名、拼音首字母、手机号码或尾号", "Emoji and symbols cannot be searched: type a name, pinyin initials, the phone or its last four digits"),
    "find.row": ("{name}　{phone}　归属：{owner}", "{name}  {phone}  owner: {owner}"),
    "find.own": ("　（本机登记）", "  (registered on this tablet)"),
    "find.no_owner": ("暂无", "none yet"),
    "find.withheld": ("待经理确认", "awaiting the manager"),
    "find.own_withheld": ("　（本机登记：归属待经理确认）", "  (registered on this tablet: ownership awaiting the manager)"),
    "find.own_dismissed": ("　（本机登记：经理不予确认）", "  (registered on this tablet: not accepted by the manager)"),
    "find.dismissed": ("经理不予确认", "not accepted by the manager"),
    "find.name_hidden": ("（姓名仅归属人可见）", "(name visible to the owner only)"),
    "card.title": ("客户卡片", "Customer card"),
    "card.summary": ("{phone}　归属：{owner}　{status}", "{phone}  owner: {owner}  {status}"),
    "card.status.protected": ("保护期内（至 {until}）", "protected (until {until})"),
    "card.status.deal": ("已成交", "deal"),
    "card.status.disputed": ("归属有争议，待经理裁定", "disputed; a manager will decide"),
    "card.status.lapsed": ("保护期已过", "protection lapsed"),
    "card.status.unknown": ("本机记录，尚未同步", "on this tablet only, not yet synced"),
    "card.history": ("来访、来电、跟进和投诉", "Visits, calls, follow-ups and complaints"),
    "card.row": ("{time}　{type}　{rep}", "{time}  {type}  {rep}"),
    "card.own": ("　（本机：{state}）", "  (this tablet: {state})"),
    "card.no_records": ("本机没有该客户的记录", "This tablet holds no records of this customer"),
    "date.pick": ("选择日期", "Pick a date"),
    "date.none": ("未选择", "Not set"),
    "date.clear": ("清除", "Clear"),
    "date.today": ("今天", "Today"),
    "date.month": ("{year} 年 {month} 月", "{year}-{month:02d}"),
    "date.weekdays": ("一 二 三 四 五 六 日", "Mo Tu We Th Fr Sa Su"),
}
